"""Requests no person can have typed are refused before any view sees them."""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _valid_utf8(encoded):
    """Whether a percent-encoded query string or form body decodes as UTF-8."""
    try:
        unquote_to_bytes(encoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _has_nul(data):
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)


class MalformedInputMiddleware:
    """Answer 400 to NUL characters and invalid UTF-8 in addresses and form fields.

    Django would decode invalid UTF-8 into replacement characters and hand NUL characters
    to the database, which PostgreSQL refuses with an error (a 500); neither is input a
    person can give, so it gets a clear 400 instead: JSON for the API, a page elsewhere.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": problem}, status=400)
        raise BadRequest(problem)

    def problem(self, request):
        query = request.META.get("QUERY_STRING", "").encode("latin-1", "replace")
        if not _valid_utf8(query):
            return _("The address contains characters that are not valid UTF-8.")
        # A path is looked up as it comes (a slug, a code), so a NUL there reaches the database.
        if "\x00" in request.path or _has_nul(request.GET):
            return _("The address contains a NUL character.")
        if request.method != "POST":
            return None
        content_type = request.content_type or ""
        if content_type == FORM_TYPES[0] and not _valid_utf8(request.body):
            return _("The form data is not valid UTF-8.")
        if content_type in FORM_TYPES and _has_nul(request.POST):
            return _("The form data contains a NUL character.")
        return None


class RequestSizeMiddleware:
    """Answer 413 to a body announced larger than UPLOAD_REQUEST_MAX_BYTES, unread.

    Bodies without a length (chunked) are still bounded: the upload handler drops each file's
    bytes past UPLOAD_MAX_BYTES and Django refuses other fields past
    DATA_UPLOAD_MAX_MEMORY_SIZE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.UPLOAD_REQUEST_MAX_BYTES
        if length <= limit:
            return self.get_response(request)
        message = _("The request is larger than the %(limit)s the portal accepts.") % {
            "limit": filesizeformat(limit)
        }
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)
        return render(request, "413.html", {"limit": limit}, status=413)
