"""The address that serves the current request, for the links the portal writes into e-mails
and calendar files: a portal reached at another host or port than SITE_URL's links there."""

import contextvars

from django.conf import settings
from django.core.exceptions import DisallowedHost

_origin = contextvars.ContextVar("request_origin", default=None)


def site_url():
    """The current request's scheme and host; SITE_URL outside a request (tasks, commands)."""
    return _origin.get() or settings.SITE_URL


class RequestOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            # get_host() checks ALLOWED_HOSTS: a forged Host header never reaches a link.
            origin = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            origin = None
        token = _origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)
