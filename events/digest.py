"""The events' section of the weekly digest (receiver of `partnerships.signals.digest_sections`)."""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events.models import Event
from partnerships.digest import DigestItem, DigestSection
from partnerships.services import absolute

UPCOMING_DAYS = 45
EVENTS_SHOWN = 5


def upcoming_event_sections(sender, *, now, **kwargs):
    """The next events, the same for every reader of the chunk."""
    today = timezone.localdate(now)
    events = Event.objects.filter(
        starts_on__gte=today, starts_on__lte=today + dt.timedelta(days=UPCOMING_DAYS)
    ).order_by("starts_on", "title", "pk")[:EVENTS_SHOWN]
    items = tuple(
        DigestItem(
            text=event.title,
            url=absolute(event.get_absolute_url()),
            detail=", ".join(
                part for part in (date_format(event.starts_on, "DATE_FORMAT"), event.city) if part
            ),
        )
        for event in events
    )
    if not items:
        return {}
    return {None: [DigestSection(key="events", title=_("Events coming up"), items=items)]}
