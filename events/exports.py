"""The organiser's participant list as a spreadsheet: the same columns in CSV and Excel."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from events.enums import CooperationDirection

# A spreadsheet runs a cell that starts with one of these as a formula; a participant's
# organisation name must never become one on the organiser's computer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def participant_rows(registrations, *, zone):
    """A header and one row per registration, as text and numbers."""
    header = [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Country"),
        _("State"),
        _("Registered"),
        _("Reason given"),
        _("Offers"),
        _("Requests"),
        _("Accepted meetings"),
        _("Open requests"),
    ]
    rows = [header]
    for registration in registrations:
        items = list(registration.cooperation_items.all())
        country = registration.organisation.country
        rows.append(
            [
                str(registration.user),
                registration.user.email,
                registration.organisation.name,
                country.name if country else "",
                registration.get_state_display(),
                timezone.localtime(registration.created_at, zone).strftime("%Y-%m-%d %H:%M"),
                registration.decision_reason,
                "; ".join(
                    item.title for item in items if item.direction == CooperationDirection.OFFER
                ),
                "; ".join(
                    item.title for item in items if item.direction == CooperationDirection.REQUEST
                ),
                registration.accepted_meetings,
                registration.open_requests,
            ]
        )
    return rows


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_safe(value) for value in row])
    # The byte-order mark makes Excel read accented names as UTF-8.
    return "\ufeff" + out.getvalue()


def as_xlsx(rows, *, title):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append([_safe(value) for value in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
