"""iCalendar feeds: the event list, one event, and a participant's agenda."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from clusterportal.origin import site_url
from events.enums import MeetingKind

PRODID = "-//ClusterPortal//Matchmaking events//EN"


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", str(name))
    return calendar


def _uid(kind, pk):
    # SITE_URL, not the request's address: a calendar knows an event by one UID everywhere.
    host = settings.SITE_URL.split("://", 1)[-1].rstrip("/") or "clusterportal"
    return f"{kind}-{pk}@{host}"


def _place(event):
    parts = [event.venue, event.city, event.country.name if event.country else ""]
    return ", ".join(part for part in parts if part) or event.online_url


def event_component(event):
    component = VEvent()
    component.add("uid", _uid("event", event.pk))
    component.add("summary", event.title)
    # Whole days: DTEND of an all-day event is exclusive.
    component.add("dtstart", event.starts_on)
    component.add("dtend", event.ends_on + dt.timedelta(days=1))
    component.add("dtstamp", timezone.now())
    component.add("description", event.description)
    component.add("location", _place(event))
    component.add("url", f"{site_url()}{event.get_absolute_url()}")
    return component


def events_calendar(events, *, name):
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(event_component(event))
    return calendar.to_ical()


def agenda_calendar(meetings, *, event, registration, name):
    calendar = _calendar(name)
    for meeting in meetings:
        other = meeting.other_party(registration)
        component = VEvent()
        component.add("uid", _uid("meeting", meeting.pk))
        component.add("summary", f"{other.user} ({other.organisation.name})")
        component.add("dtstart", meeting.slot.starts_at)
        component.add("dtend", meeting.slot.ends_at)
        component.add("dtstamp", timezone.now())
        if meeting.kind == MeetingKind.ONLINE:
            component.add("location", meeting.video_url or _("Online"))
        else:
            component.add(
                "location",
                _("%(place)s, table %(table)s") % {"place": _place(event), "table": meeting.table},
            )
        component.add("description", meeting.message)
        calendar.add_component(component)
    return calendar.to_ical()
