import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from clusterportal.tasks import HEARTBEAT_CACHE_KEY
from partnerships.models import Label
from partnerships.queries import home_figures, organisations_for_user
from partnerships.uploads.serving import (
    download_name,
    private_file_response,
    public_image_response,
)

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def page_not_found(request, exception):
    """Django's 404 page; under /api/ the JSON error every API answer has.

    A request that no API route matches (`/api/v1/countries/0/`, `/api/v1/nothing/`) never
    reaches DRF, whose own 404s are JSON already.
    """
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"error: {error.__class__.__name__}"
    return "ok"


def _check_redis():
    url = settings.CELERY_BROKER_URL
    if not url.startswith(REDIS_SCHEMES):
        return "not configured"
    timeout = settings.HEALTHZ_REDIS_TIMEOUT
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"error: {error.__class__.__name__}"
    finally:
        client.close()
    return "ok"


def _check_worker():
    """The worker heartbeat's state and age in whole seconds (None when there is none)."""
    if not settings.CELERY_BROKER_URL:
        # Tasks run in the web process itself: there is no worker to hear from.
        return "not configured", None
    try:
        beat = cache.get(HEARTBEAT_CACHE_KEY)
    # Any cache backend failure (Redis down, bad URL) is a finding to report, not a crash.
    except Exception as error:
        return f"error: {error.__class__.__name__}", None
    if beat is None:
        return "missing", None
    age = max(0, round(time.time() - beat))
    return ("ok" if age <= settings.HEARTBEAT_STALE_AFTER else "stale"), age


def healthz(request):
    """200 while the database answers, 503 when it does not.

    Redis and the worker heartbeat are reported but never turn the answer into a 503: the
    portal serves pages and saves without them (tasks wait in the broker or run later).
    """
    database = _check_database()
    worker, heartbeat_age = _check_worker()
    checks = {"database": database, "redis": _check_redis(), "worker": worker}
    if database != "ok":
        status = "unavailable"
    elif all(value in {"ok", "not configured"} for value in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse(
        {
            "status": status,
            "checks": checks,
            "worker_heartbeat_age_seconds": heartbeat_age,
            "status_code_depends_on": ["database"],
        },
        status=503 if status == "unavailable" else 200,
    )


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | home_figures()


@require_GET
@cache_control(private=True, no_store=True)
def label_certificate(request, pk):
    """A label's certificate, to whoever may see its organisation, always as a download.

    Certificates live in PRIVATE_MEDIA_ROOT, which no web server serves, since those of draft
    organisations are not public; as a download of its detected type with nosniff, the file
    never runs in the portal's origin.
    """
    label = get_object_or_404(
        Label.objects.filter(organisation__in=organisations_for_user(request.user)).exclude(
            certificate=""
        ),
        pk=pk,
    )
    return private_file_response(
        label.certificate,
        filename=download_name(label.certificate_original_name, label.certificate.name),
    )


@require_GET
def logo(request, name):
    """A logo, the one kind of upload anyone may see: the URL pattern admits only the
    generated names of re-encoded images, and the answer is that image, never a page."""
    if not default_storage.exists(f"logos/{name}"):
        raise Http404
    return public_image_response(default_storage, f"logos/{name}")
