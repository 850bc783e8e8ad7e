"""Uploads: what a file is, decided from its whole content, and where it may be stored.

Images are decoded and re-encoded (which also drops their metadata and anything appended
to them), PDFs are parsed and refused when they carry active content; every file is stored
under a generated name with the extension of the type found, its original name kept as data.
"""

from partnerships.uploads.checks import (
    DOCUMENT,
    KINDS,
    LOGO,
    InspectedFile,
    OversizedUpload,
    inspect_upload,
)
from partnerships.uploads.legacy import ContentTypeValidator
from partnerships.uploads.storage import (
    CONTENT_TYPES,
    PrivateStorage,
    attachment_path,
    certificate_path,
    logo_path,
    message_attachment_path,
    private_storage,
)

__all__ = [
    "CONTENT_TYPES",
    "DOCUMENT",
    "KINDS",
    "LOGO",
    "ContentTypeValidator",
    "InspectedFile",
    "OversizedUpload",
    "PrivateStorage",
    "attachment_path",
    "certificate_path",
    "inspect_upload",
    "logo_path",
    "message_attachment_path",
    "private_storage",
]
