import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from events.enums import MeetingState
from tests.factories import (
    EventFactory,
    MeetingFactory,
    RegistrationFactory,
    SlotFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _slot(event, day, hour):
    start = dt.datetime(2030, 5, day, hour, 0, tzinfo=event.zone)
    return SlotFactory(event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=30))


@pytest.fixture
def agenda():
    event = EventFactory(
        starts_on=dt.date(2030, 5, 6), ends_on=dt.date(2030, 5, 7), time_zone="Europe/Paris"
    )
    me = RegistrationFactory(event=event, user__full_name="Marie Curie")
    first = MeetingFactory(
        event=event,
        requester=me,
        recipient__user__full_name="Ada Lovelace",
        recipient__user__email="ada@example.eu",
        slot=_slot(event, 6, 14),
        table=7,
    )
    second = MeetingFactory(
        event=event, recipient=me, slot=_slot(event, 6, 9), table=2, message="Battery recycling"
    )
    third = MeetingFactory(event=event, requester=me, slot=_slot(event, 7, 10), table=1)
    # Not on paper: a request without a slot and a cancelled meeting.
    MeetingFactory(event=event, requester=me, state=MeetingState.REQUESTED)
    MeetingFactory(event=event, requester=me, state=MeetingState.CANCELLED)
    return {"event": event, "me": me, "meetings": (first, second, third)}


def test_printable_agenda_has_one_section_per_day_with_tables_and_contacts(client, agenda):
    first, second, third = agenda["meetings"]
    client.force_login(agenda["me"].user)

    response = client.get(reverse("events:agenda-print", args=[agenda["event"].pk]))

    html = response.content.decode()
    days = response.context["days"]
    assert [(day, [m.pk for m in meetings]) for day, meetings in days] == [
        (dt.date(2030, 5, 6), [second.pk, first.pk]),
        (dt.date(2030, 5, 7), [third.pk]),
    ]
    assert html.count('<section class="print-agenda__day"') == 2
    # No request for /favicon.ico: the page names the portal's icon itself.
    assert '<link rel="icon" href="/static/img/logo.svg" type="image/svg+xml">' in html
    assert '<td class="print-agenda__time">14:00–14:30</td>' in html
    assert '<td class="numeric">7</td>' in html
    assert "Ada Lovelace" in html and "ada@example.eu" in html
    assert "site-nav" not in html


def test_printable_agenda_without_bookings_says_so(client):
    registration = RegistrationFactory()
    client.force_login(registration.user)

    response = client.get(reverse("events:agenda-print", args=[registration.event_id]))

    assert response.context["days"] == []
    assert "No meeting is booked into a slot yet." in response.content.decode()


def test_printable_agenda_of_an_event_one_is_not_registered_for_is_404(client, agenda):
    client.force_login(UserFactory())

    response = client.get(reverse("events:agenda-print", args=[agenda["event"].pk]))

    assert response.status_code == 404


def test_print_stylesheet_starts_each_day_on_a_new_page():
    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text(encoding="utf-8")

    print_rules = css[css.index("@media print {\n  .site-header") :]
    assert ".print-agenda__day { break-after: page;" in print_rules
    assert ".site-header, .site-footer" in print_rules
