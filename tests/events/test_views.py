import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from events.enums import EventType, MeetingState, RegistrationState
from events.models import Meeting, Registration
from tests.factories import (
    CountryFactory,
    EventFactory,
    MeetingFactory,
    MembershipFactory,
    RegistrationFactory,
    SectoralIndustryFactory,
    SlotFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _titles(response):
    return [event.title for event in response.context["events"]]


def test_event_list_shows_upcoming_by_default_and_past_on_request(client):
    EventFactory(title="Future fair")
    EventFactory(
        title="Pollutec Lyon", starts_on=dt.date(2016, 11, 29), ends_on=dt.date(2016, 12, 2)
    )

    upcoming = client.get(reverse("events:event-list"))
    past = client.get(reverse("events:event-list"), {"when": "past"})

    assert (_titles(upcoming), _titles(past)) == (["Future fair"], ["Pollutec Lyon"])


def test_event_list_filters_by_country_type_theme_and_dates(client):
    sector = SectoralIndustryFactory(slug="environmental-services")
    france = CountryFactory(code="FR")
    wanted = EventFactory(
        title="Green expo",
        country=france,
        type=EventType.TRADE_FAIR,
        starts_on=dt.date.today() + dt.timedelta(days=60),
        ends_on=dt.date.today() + dt.timedelta(days=62),
    )
    wanted.sectoral_industries.set([sector])
    EventFactory(title="Other country", type=EventType.TRADE_FAIR).sectoral_industries.set([sector])
    EventFactory(title="Other type", country=france).sectoral_industries.set([sector])
    EventFactory(title="No theme", country=france, type=EventType.TRADE_FAIR)

    response = client.get(
        reverse("events:event-list"),
        {
            "country": "FR",
            "type": "trade_fair",
            "sector": "environmental-services",
            "date_from": (dt.date.today() + dt.timedelta(days=50)).isoformat(),
            "date_to": (dt.date.today() + dt.timedelta(days=70)).isoformat(),
        },
    )

    assert _titles(response) == ["Green expo"]


def test_event_list_with_inverted_dates_shows_error_and_nothing(client):
    EventFactory()

    response = client.get(
        reverse("events:event-list"), {"date_from": "2027-01-10", "date_to": "2027-01-01"}
    )

    assert response.context["form"].errors == {
        "date_to": ["The end of the range is before its start."]
    }
    assert _titles(response) == []


@pytest.mark.parametrize("count", [1, 3])
def test_event_list_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    for _ in range(count):
        EventFactory().sectoral_industries.set([SectoralIndustryFactory()])

    with django_assert_max_num_queries(8):
        response = client.get(reverse("events:event-list"))

    assert len(_titles(response)) == count


def test_calendar_places_event_on_each_of_its_days(client):
    EventFactory(
        title="European Cluster Conference",
        starts_on=dt.date(2016, 11, 30),
        ends_on=dt.date(2016, 12, 2),
    )

    response = client.get(reverse("events:event-calendar"), {"month": "2016-12"})

    days = [
        day["date"]
        for week in response.context["weeks"]
        for day in week
        if any(e.title == "European Cluster Conference" for e in day["events"])
    ]
    assert days == [dt.date(2016, 11, 30), dt.date(2016, 12, 1), dt.date(2016, 12, 2)]


def test_event_ics_parses_back_with_all_day_dates(client):
    event = EventFactory(
        title="Hannover Messe", starts_on=dt.date(2016, 4, 25), ends_on=dt.date(2016, 4, 29)
    )

    response = client.get(reverse("events:event-ics", args=[event.pk]))

    calendar = icalendar.Calendar.from_ical(response.content)
    [component] = calendar.walk("VEVENT")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        str(component["summary"]),
        component.decoded("dtstart"),
        component.decoded("dtend"),
    ) == ("Hannover Messe", dt.date(2016, 4, 25), dt.date(2016, 4, 30))


def test_events_feed_lists_upcoming_events_only(client):
    EventFactory(title="Upcoming one")
    EventFactory(title="Old one", starts_on=dt.date(2016, 1, 1), ends_on=dt.date(2016, 1, 2))

    response = client.get(reverse("events:event-feed"))

    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(c["summary"]) for c in calendar.walk("VEVENT")] == ["Upcoming one"]


def test_register_through_form_creates_registration(client):
    event = EventFactory()
    membership = MembershipFactory()
    client.force_login(membership.user)

    response = client.post(
        reverse("events:event-register", args=[event.pk]),
        {
            "organisation": membership.organisation.pk,
            "offer_kind": "technology",
            "offer": "Sensor testing",
            "request_kind": "business",
            "request": "",
        },
    )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert (registration.user, registration.state) == (membership.user, RegistrationState.APPROVED)
    assert list(registration.cooperation_items.values_list("title", flat=True)) == [
        "Sensor testing"
    ]


def test_register_for_foreign_organisation_through_form_is_refused(client):
    event = EventFactory()
    client.force_login(UserFactory())
    foreign = MembershipFactory().organisation

    response = client.post(
        reverse("events:event-register", args=[event.pk]),
        {"organisation": foreign.pk, "offer_kind": "technology", "request_kind": "business"},
    )

    assert response.status_code == 400
    assert Registration.objects.count() == 0


def test_participant_list_hidden_from_non_participants(client):
    event = EventFactory()
    RegistrationFactory(event=event)
    client.force_login(UserFactory())

    response = client.get(reverse("events:participant-list", args=[event.pk]))

    assert response.status_code == 403


def test_participant_list_shows_approved_only_and_filters(client):
    event = EventFactory()
    own = RegistrationFactory(event=event)
    other = RegistrationFactory(event=event, organisation__name="Pôle Axelera")
    RegistrationFactory(event=event, state=RegistrationState.PENDING)
    client.force_login(own.user)

    everyone = client.get(reverse("events:participant-list", args=[event.pk]))
    filtered = client.get(reverse("events:participant-list", args=[event.pk]), {"q": "axelera"})

    assert sorted(p.pk for p in everyone.context["participants"]) == sorted([own.pk, other.pk])
    assert [p.pk for p in filtered.context["participants"]] == [other.pk]


def test_meeting_request_accept_book_and_agenda_ics(client):
    event = EventFactory()
    slot = SlotFactory(event=event)
    alice = RegistrationFactory(event=event)
    bob = RegistrationFactory(event=event)

    client.force_login(alice.user)
    client.post(
        reverse("events:meeting-request", args=[event.pk, bob.pk]), {"message": "Hydrogen?"}
    )
    meeting = Meeting.objects.get()
    client.force_login(bob.user)
    client.post(reverse("events:meeting-answer", args=[meeting.pk]), {"decision": "accept"})
    client.post(reverse("events:meeting-book", args=[meeting.pk]), {"slot": slot.pk})
    client.force_login(alice.user)
    agenda = client.get(reverse("events:agenda", args=[event.pk]))
    feed = client.get(reverse("events:agenda-ics", args=[event.pk]))

    meeting.refresh_from_db()
    [component] = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert (meeting.state, meeting.slot, meeting.table) == (MeetingState.ACCEPTED, slot, 1)
    assert [m.pk for m in agenda.context["meetings"]] == [meeting.pk]
    assert component.decoded("dtstart") == slot.starts_at
    assert str(component["summary"]) == f"{bob.user} ({bob.organisation.name})"


def test_booking_taken_slot_shows_clear_message(client):
    event = EventFactory()
    slot = SlotFactory(event=event)
    alice = RegistrationFactory(event=event)
    first = MeetingFactory(event=event, requester=alice)
    second = MeetingFactory(event=event, requester=alice)
    client.force_login(alice.user)
    client.post(reverse("events:meeting-book", args=[first.pk]), {"slot": slot.pk})

    response = client.post(reverse("events:meeting-book", args=[second.pk]), {"slot": slot.pk})

    second.refresh_from_db()
    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == [
        "You or your partner already have another meeting in this slot."
    ]
    assert second.slot is None


def test_someone_elses_meeting_is_404(client):
    meeting = MeetingFactory(state=MeetingState.REQUESTED)
    client.force_login(UserFactory())

    response = client.post(reverse("events:meeting-cancel", args=[meeting.pk]))

    meeting.refresh_from_db()
    assert response.status_code == 404
    assert meeting.state == MeetingState.REQUESTED


def test_requester_cannot_answer_own_request(client):
    meeting = MeetingFactory(state=MeetingState.REQUESTED)
    client.force_login(meeting.requester.user)

    client.post(reverse("events:meeting-answer", args=[meeting.pk]), {"decision": "accept"})

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.REQUESTED


def test_organiser_approves_pending_registration(client):
    event = EventFactory(requires_approval=True)
    pending = RegistrationFactory(event=event, state=RegistrationState.PENDING)
    client.force_login(event.organiser)

    client.post(reverse("events:registration-decide", args=[pending.pk]), {"decision": "approve"})

    pending.refresh_from_db()
    assert pending.state == RegistrationState.APPROVED


def test_participant_cannot_approve_registrations(client):
    event = EventFactory(requires_approval=True)
    pending = RegistrationFactory(event=event, state=RegistrationState.PENDING)
    client.force_login(RegistrationFactory(event=event).user)

    response = client.post(
        reverse("events:registration-decide", args=[pending.pk]), {"decision": "approve"}
    )

    pending.refresh_from_db()
    assert (response.status_code, pending.state) == (404, RegistrationState.PENDING)


def test_event_ics_links_to_the_address_that_served_it_and_keeps_its_uid(client):
    event = EventFactory()

    response = client.get(reverse("events:event-ics", args=[event.pk]), HTTP_HOST="localhost:8123")

    [component] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(component["url"]) == f"http://localhost:8123/events/{event.pk}/"
    assert str(component["uid"]) == f"event-{event.pk}@127.0.0.1:8000"


def test_my_events_lists_upcoming_registrations_with_their_meetings(client):
    mine = RegistrationFactory(event=EventFactory(title="Lyon fair"))
    RegistrationFactory(
        user=mine.user,
        event=EventFactory(
            title="Past fair", starts_on=dt.date(2016, 1, 1), ends_on=dt.date(2016, 1, 2)
        ),
    )
    MeetingFactory(event=mine.event, requester=mine, state=MeetingState.ACCEPTED)
    MeetingFactory(event=mine.event, recipient=mine, state=MeetingState.ACCEPTED)
    MeetingFactory(event=mine.event, recipient=mine, state=MeetingState.REQUESTED)
    RegistrationFactory(event=mine.event)
    client.force_login(mine.user)

    response = client.get(reverse("events:my-events"), HTTP_HX_REQUEST="true")

    html = " ".join(response.content.decode().split())
    assert [r.event.title for r in response.context["registrations"]] == ["Lyon fair"]
    assert (
        f'<a href="/events/{mine.event_id}/agenda/">2 meetings</a> · 1 request waits for an answer'
        in html
    )
    assert "<!doctype html>" not in html


@pytest.mark.parametrize("count", [1, 3])
def test_my_events_query_count_does_not_grow(client, user, count, django_assert_num_queries):
    for _ in range(count):
        RegistrationFactory(user=user, event=EventFactory())
    client.force_login(user)

    with django_assert_num_queries(3):
        response = client.get(reverse("events:my-events"), HTTP_HX_REQUEST="true")

    assert len(response.context["registrations"]) == count
