"""Where uploads live: logos under the public MEDIA_ROOT, everything else outside it."""

import os
from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

# Stored extension -> the type it is served as; nothing else is ever stored.
CONTENT_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
}


@deconstructible
class PrivateStorage(FileSystemStorage):
    """PRIVATE_MEDIA_ROOT, which no web server serves: only views that check who asks read
    these files. The location is read from settings on every use, so tests can move it."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public address; link to the view serving them.")


private_storage = PrivateStorage()


def _generated(folder, filename):
    suffix = PurePath(filename).suffix.lower()
    if suffix not in CONTENT_TYPES:
        raise ValueError(f"Uploads are stored as {', '.join(CONTENT_TYPES)}, not {suffix!r}.")
    return f"{folder}/{uuid4().hex}{suffix}"


def logo_path(instance, filename):
    return _generated("logos", filename)


def certificate_path(instance, filename):
    return _generated("certificates", filename)


def attachment_path(instance, filename):
    return _generated("expressions", filename)


def message_attachment_path(instance, filename):
    return _generated("messages", filename)
