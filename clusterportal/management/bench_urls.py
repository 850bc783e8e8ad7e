"""The portal's URLs plus a bare view, for bench_web alone (selected with ROOT_URLCONF)."""

from django.http import HttpResponse
from django.urls import path

from clusterportal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    # The ceiling: the whole middleware stack and nothing else.
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *portal_urlpatterns]
