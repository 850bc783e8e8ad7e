"""The data-protection rights of a person: a copy of their data, erasure, e-mail consent.

Apps above this one take part through the signals `personal_data_export` and
`personal_data_erasure`; this package never imports them.
"""

from .consent import prune_sign_in_records, set_email_consent
from .erasure import SHARED_TEXTS, erase_person
from .export import export_personal_data
from .redaction import ERASED, MIN_NAME_LENGTH, Redactor, erased_email, iso

__all__ = [
    "ERASED",
    "MIN_NAME_LENGTH",
    "Redactor",
    "SHARED_TEXTS",
    "erase_person",
    "erased_email",
    "export_personal_data",
    "iso",
    "prune_sign_in_records",
    "set_email_consent",
]
