"""What an upload is, decided from all of its bytes by the libraries that read such files.

A signature check on the first bytes lets a polyglot through (a PNG or PDF header followed by
HTML); here an image counts as one only when Pillow decodes it whole, and what is stored is
Pillow's re-encoding, so nothing but pixels survives. A PDF counts as one when pypdf parses
it and no object in it asks for active content.
"""

import io
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Detected type: (Pillow format, stored extension).
TYPES = {
    "png": ("PNG", ".png"),
    "jpeg": ("JPEG", ".jpg"),
    "webp": ("WEBP", ".webp"),
    "pdf": (None, ".pdf"),
}
# A logo or a scanned certificate is far below this; a decompression bomb is far above it.
MAX_PIXELS = 40_000_000
# A certificate has a handful of objects; a file built to keep the walk busy is refused.
MAX_PDF_OBJECTS = 20_000
# Names that make a PDF viewer run something, open something else or carry files: scripts
# (JS, JavaScript), automatic actions (AA), programs (Launch), forms that send data, embedded
# files and rich media. Their presence anywhere, as a key or a value, refuses the file.
ACTIVE_PDF_NAMES = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
        "/GoToR",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/EF",
        "/RichMedia",
        "/RichMediaExecute",
        "/Rendition",
        "/Movie",
        "/Sound",
        "/XFA",
    }
)


@dataclass(frozen=True)
class UploadKind:
    name: str
    types: tuple
    max_bytes: int

    def describe(self):
        return ", ".join(kind.upper() for kind in self.types)


LOGO = UploadKind("logo", ("png", "jpeg", "webp"), 2 * 1024 * 1024)
DOCUMENT = UploadKind("document", ("pdf", "png", "jpeg"), 5 * 1024 * 1024)
KINDS = {kind.name: kind for kind in (LOGO, DOCUMENT)}


class InspectedFile(ContentFile):
    """Content that passed the checks, named after its detected type, never after the upload."""

    def __init__(self, content, *, detected, original_name, held_token=""):
        super().__init__(content, name=f"upload{TYPES[detected][1]}")
        self.detected = detected
        self.original_name = original_name
        self.held_token = held_token


class OversizedUpload:
    """Stands in for a file the upload handler stopped reading at the size limit."""

    def __init__(self, name, limit):
        self.name = name
        self.limit = limit
        self.size = limit + 1

    def __bool__(self):
        return True


def original_name(name):
    """The name the person gave the file, as data: no folders, no control characters."""
    name = PurePath(str(name or "").replace("\\", "/")).name
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    return name.strip()[:200]


def _too_large(limit):
    return ValidationError(
        _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)},
        code="file_too_large",
    )


def _not_allowed(kind):
    return ValidationError(
        _("This file is not one of: %(types)s.") % {"types": kind.describe()}, code="file_type"
    )


def _reencode(data, kind):
    formats = [TYPES[name][0] for name in kind.types if TYPES[name][0]]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=formats)
            if image.width * image.height > MAX_PIXELS:
                raise _not_allowed(kind)
            image.load()
            detected = {TYPES[name][0]: name for name in kind.types}[image.format]
            image = ImageOps.exif_transpose(image)
    # Pillow raises many kinds of errors on a file that is not what it claims (OSError,
    # SyntaxError, ValueError, struct errors, the bomb warnings): every one means "refused".
    except Exception as error:
        if isinstance(error, ValidationError):
            raise
        raise _not_allowed(kind) from error
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha and detected != "jpeg" else "RGB")
    # Metadata (EXIF with GPS positions, ICC profiles, comments) is not carried over.
    image.info = {}
    output = io.BytesIO()
    options = {"optimize": True} if detected == "png" else {"quality": 90}
    image.save(output, TYPES[detected][0], **options)
    return detected, output.getvalue()


def _pdf_objects(reader):
    """Every object of the file: those reachable from its trailer and every one its
    cross-reference tables list, since a viewer may repair a file and reach those too."""
    stack = [reader.trailer]
    for generation, entries in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in entries)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        yield item
        if isinstance(item, DictionaryObject):
            stack.extend(dict.keys(item))
            stack.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))


def _check_pdf(data, kind):
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted or len(reader.pages) == 0:
            raise _not_allowed(kind)
        for count, item in enumerate(_pdf_objects(reader)):
            if count > MAX_PDF_OBJECTS:
                raise _not_allowed(kind)
            if isinstance(item, NameObject) and item in ACTIVE_PDF_NAMES:
                raise ValidationError(
                    _("This PDF contains active content (scripts, actions or embedded files)."),
                    code="pdf_active_content",
                )
    # pypdf raises many kinds of errors on a damaged or hostile file (its own, but also
    # KeyError, ValueError, zlib and recursion errors): whatever it cannot read is refused.
    except Exception as error:
        if isinstance(error, ValidationError):
            raise
        raise _not_allowed(kind) from error
    return data


def inspect_upload(upload, kind):
    """The upload as an InspectedFile of `kind`, or a ValidationError a person can read."""
    if isinstance(upload, InspectedFile):
        # Checked already, perhaps for another kind (a kept PDF sent back to a logo field).
        if upload.detected not in kind.types:
            raise _not_allowed(kind)
        if upload.size > kind.max_bytes:
            raise _too_large(kind.max_bytes)
        return upload
    if isinstance(upload, OversizedUpload):
        raise _too_large(min(upload.limit, kind.max_bytes))
    if upload.size is not None and upload.size > kind.max_bytes:
        raise _too_large(kind.max_bytes)
    upload.seek(0)
    data = upload.read(kind.max_bytes + 1)
    upload.seek(0)
    if len(data) > kind.max_bytes:
        raise _too_large(kind.max_bytes)
    if not data:
        raise ValidationError(_("The submitted file is empty."), code="empty")
    if data.startswith(b"%PDF-") and "pdf" in kind.types:
        detected, content = "pdf", _check_pdf(data, kind)
    else:
        detected, content = _reencode(data, kind)
    return InspectedFile(content, detected=detected, original_name=original_name(upload.name))
