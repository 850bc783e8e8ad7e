"""Answers that hand out stored files: never as a page, always with their detected type."""

import unicodedata
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse

from partnerships.uploads.storage import CONTENT_TYPES


def _content_type(name):
    # Only inspected files are stored, under the extension of their type; anything else
    # (a file left from before the checks) is handed out as opaque bytes.
    return CONTENT_TYPES.get(PurePath(name).suffix.lower(), "application/octet-stream")


def disposition(kind, filename):
    """Content-Disposition per RFC 6266: an ASCII fallback for old clients, then the real
    name in UTF-8 (filename*), so "Zertifikat Köln.pdf" downloads under that name."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = "".join(c if c.isprintable() and c not in '"\\' else "_" for c in ascii_name)
    header = f'{kind}; filename="{ascii_name or "file"}"'
    if ascii_name != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def download_name(original, stored):
    """The name a download is offered under: the uploaded one, with the stored file's
    extension, since that is the type it really has."""
    suffix = PurePath(stored).suffix.lower()
    stem = PurePath(original).stem if original else ""
    return f"{stem or 'file'}{suffix}"


def private_file_response(fieldfile, *, filename):
    """A private file as a download, for a view that has already checked who asks.

    With PRIVATE_MEDIA_ACCEL set, the front server sends the bytes (X-Accel-Redirect for
    nginx, X-Sendfile for Apache or lighttpd) and the portal only answers the headers.
    """
    accel = settings.PRIVATE_MEDIA_ACCEL
    if accel == "x-accel-redirect":
        response = HttpResponse()
        location = settings.PRIVATE_MEDIA_ACCEL_PREFIX.rstrip("/") + "/" + quote(fieldfile.name)
        response["X-Accel-Redirect"] = location
    elif accel == "x-sendfile":
        response = HttpResponse()
        response["X-Sendfile"] = fieldfile.path
    else:
        response = FileResponse(fieldfile.open("rb"))
    response["Content-Type"] = _content_type(fieldfile.name)
    response["Content-Disposition"] = disposition("attachment", filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def public_image_response(storage, name):
    """A logo: shown inline as the image type it was re-encoded to, never as a page."""
    response = FileResponse(storage.open(name, "rb"), content_type=_content_type(name))
    response["Content-Disposition"] = disposition("inline", PurePath(name).name)
    response["X-Content-Type-Options"] = "nosniff"
    # A logo is never rewritten in place: a new one gets a new name.
    response["Cache-Control"] = "public, max-age=86400"
    return response
