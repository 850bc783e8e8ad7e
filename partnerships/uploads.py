"""Upload checks: the type is read from the file's first bytes, never from its name."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

SIGNATURES = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "pdf": (b"%PDF-",),
    "webp": (),  # RIFF....WEBP, checked below
}
LOGO_TYPES = ("png", "jpeg", "webp")
CERTIFICATE_TYPES = ("pdf", "png", "jpeg")
LOGO_MAX_BYTES = 2 * 1024 * 1024
CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024


def sniff(head):
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


class ContentTypeValidator:
    def __init__(self, allowed, max_bytes):
        self.allowed = allowed
        self.max_bytes = max_bytes

    def __call__(self, upload):
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(self.max_bytes)},
                code="file_too_large",
            )
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(16)
        upload.seek(position)
        if sniff(head) not in self.allowed:
            raise ValidationError(
                _("This file is not one of: %(types)s.")
                % {"types": ", ".join(kind.upper() for kind in self.allowed)},
                code="file_type",
            )

    def __eq__(self, other):
        return (self.allowed, self.max_bytes) == (other.allowed, other.max_bytes)

    def deconstruct(self):
        return ("partnerships.uploads.ContentTypeValidator", (self.allowed, self.max_bytes), {})


validate_logo = ContentTypeValidator(LOGO_TYPES, LOGO_MAX_BYTES)
validate_certificate = ContentTypeValidator(CERTIFICATE_TYPES, CERTIFICATE_MAX_BYTES)
