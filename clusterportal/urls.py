from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from clusterportal import views
from events.api import register as register_events_api
from matchmaking.api import register as register_matchmaking_api
from partnerships.api import register as register_partnerships_api

handler404 = views.page_not_found

router = DefaultRouter()
register_partnerships_api(router)
register_events_api(router)
register_matchmaking_api(router)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads its start-up code as a script file, not inline; Swagger UI still
    # sets style attributes as it renders, which the policy allows on this page alone.
    path(
        "api/docs/",
        csp_update({"style-src": [SELF, UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("labels/<int:pk>/certificate/", views.label_certificate, name="label-certificate"),
    path("", include("partnerships.urls")),
    path("", include("matchmaking.urls")),
    path("", include("events.urls")),
    # Logos are the only uploads served from MEDIA_URL, by name pattern: in development, under
    # `make web` and (unless the front server serves them itself, see the README) in
    # production alike. Private files are never under MEDIA_ROOT and have no pattern here.
    re_path(
        rf"^{settings.MEDIA_URL.lstrip('/')}logos/(?P<name>[0-9a-f]{{32}}\.(?:png|jpg|webp))$",
        views.logo,
        name="logo",
    ),
]
