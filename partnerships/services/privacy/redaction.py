"""What the export and the erasure share: ISO dates, erased addresses and the redactor."""

import re

from allauth.account.models import EmailAddress
from django.db.models import Q

from partnerships.services.notifications import ERASED_EMAIL_DOMAIN

ERASED = "[erased]"


# A shorter name would match inside ordinary words of other people's records.
MIN_NAME_LENGTH = 4


def erased_email(user):
    return f"erased-{user.pk}@{ERASED_EMAIL_DOMAIN}"


def iso(value):
    """A date or time as ISO 8601 for the export, None as None."""
    return value.isoformat() if value is not None else None


class Redactor:
    """Replaces a person's name and e-mail addresses in texts and JSON values.

    E-mail addresses are replaced wherever they occur; the name only as whole words, so that
    "Ann" never turns "Annual report" into "[erased]ual report".
    """

    def __init__(self, *, name, emails):
        name = " ".join(name.split())
        self.name = name if len(name) >= MIN_NAME_LENGTH else ""
        self.emails = sorted({email.lower() for email in emails if email}, key=len, reverse=True)
        patterns = [re.escape(email) for email in self.emails]
        if self.name:
            # Any run of whitespace between the parts of the name, as typed in free text.
            words = r"\s+".join(re.escape(part) for part in self.name.split(" "))
            patterns.append(rf"(?<!\w){words}(?!\w)")
        self.pattern = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    @property
    def needles(self):
        return [*self.emails, *([self.name] if self.name else [])]

    def __call__(self, value):
        if self.pattern is None:
            return value
        if isinstance(value, str):
            return self.pattern.sub(ERASED, value)
        if isinstance(value, list):
            return [self(item) for item in value]
        if isinstance(value, dict):
            return {key: self(item) for key, item in value.items()}
        return value

    def q(self, *fields):
        """A filter for rows whose `fields` may contain the person (checked again in Python)."""
        condition = Q(pk__in=[])
        for field in fields:
            for needle in self.needles:
                condition |= Q(**{f"{field}__icontains": needle})
        return condition

    def rewrite(self, rows, fields, *, touch=False):
        """Redact `fields` of every row of `rows` (a manager or queryset) that may hold the
        person; returns the primary keys of the rows saved.

        A save per row, not an update, so that search-vector triggers follow the new text;
        with `touch`, the rows' `updated_at` moves too.
        """
        update_fields = [*fields, "updated_at"] if touch else list(fields)
        saved = []
        for row in rows.filter(self.q(*fields)):
            for field in fields:
                setattr(row, field, self(getattr(row, field)))
            row.save(update_fields=update_fields)
            saved.append(row.pk)
        return saved


def _addresses(user):
    addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    return sorted({user.email.lower(), *(address.lower() for address in addresses)})


def _email_in(field, emails):
    condition = Q(pk__in=[])
    for email in emails:
        condition |= Q(**{f"{field}__iexact": email})
    return condition
