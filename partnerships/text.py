"""Single-line text: what a title, a name or an e-mail subject may hold.

A line break typed into a title travels: into page headings, CSV cells and e-mail subjects,
where the mail library refuses it (header injection). One-line boxes refuse line breaks and
control characters when typed; subjects built from older data are put on one line when sent.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls (tab, line feed, carriage return...), DEL, C1 controls (NEL among them) and the
# Unicode line and paragraph separators.
NOT_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_single_line(value):
    """Refuse text that holds a line break or another control character."""
    if isinstance(value, str) and NOT_ON_ONE_LINE.search(value):
        raise ValidationError(
            _("Keep this on one line: line breaks, tabs and control characters are not allowed."),
            code="not_single_line",
        )


def single_line(text):
    """`text` on one line: every run of spaces, line breaks and control characters becomes
    one space. For e-mail subjects, which must never carry a line break."""
    return " ".join(NOT_ON_ONE_LINE.sub(" ", str(text)).split())


# Boxes that take several lines, or a secret the person never sees again.
MULTI_LINE_WIDGETS = (forms.Textarea, forms.PasswordInput)


class SingleLineFieldsMixin:
    """Gives every one-line text box of a form the single-line check.

    Put first among a form's bases; fields added after `__init__` are not covered.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, MULTI_LINE_WIDGETS
            ):
                field.validators.append(validate_single_line)
