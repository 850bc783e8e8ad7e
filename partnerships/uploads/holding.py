"""Uploads kept between two tries of a form, so a form error does not lose a chosen file.

An accepted upload is written to PRIVATE_MEDIA_ROOT/held/ under a random name; the form
carries a signed token naming it. The signature keeps the token from naming any other file,
the random name from being guessed, and the token expires after HELD_UPLOAD_SECONDS; held
files older than that are deleted whenever another file is held.
"""

import re
import time
from dataclasses import dataclass
from uuid import uuid4

from django.conf import settings
from django.core import signing

from partnerships.uploads.checks import TYPES, InspectedFile
from partnerships.uploads.storage import private_storage

SALT = "partnerships.uploads.held"
FOLDER = "held"
KEY = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Held:
    token: str
    name: str


def _path(key, detected):
    return f"{FOLDER}/{key}{TYPES[detected][1]}"


def prune(now=None):
    """Delete held files past their token's lifetime."""
    if not private_storage.exists(FOLDER):
        return
    cutoff = (now or time.time()) - settings.HELD_UPLOAD_SECONDS
    for name in private_storage.listdir(FOLDER)[1]:
        path = f"{FOLDER}/{name}"
        if private_storage.get_modified_time(path).timestamp() < cutoff:
            private_storage.delete(path)


def hold(upload):
    """Keep an inspected upload; the answer carries the token and the name to show."""
    if not upload.held_token:
        prune()
        key = uuid4().hex
        upload.seek(0)
        private_storage.save(_path(key, upload.detected), upload)
        upload.held_token = signing.dumps(
            {"key": key, "type": upload.detected, "name": upload.original_name}, salt=SALT
        )
    return Held(token=upload.held_token, name=upload.original_name)


def release(token):
    """The held upload a token names, or None when it is forged, expired or gone."""
    try:
        held = signing.loads(token, salt=SALT, max_age=settings.HELD_UPLOAD_SECONDS)
    except signing.BadSignature:
        return None
    key, detected = held.get("key", ""), held.get("type", "")
    if not KEY.match(key) or detected not in TYPES:
        return None
    path = _path(key, detected)
    if not private_storage.exists(path):
        return None
    with private_storage.open(path, "rb") as stored:
        content = stored.read()
    return InspectedFile(
        content, detected=detected, original_name=held.get("name", ""), held_token=token
    )
