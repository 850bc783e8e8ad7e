import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.enums import MeetingState, RegistrationState
from events.models import Event, Meeting, MeetingRating, MeetingSeat, Registration
from partnerships.management.commands.create_demo_users import ORGANISER
from partnerships.reference import load_reference_data
from tests.factories import MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_events_is_idempotent_and_books_a_demo_meeting():
    StaffFactory()
    for _ in range(3):
        MembershipFactory()

    call_command("seed_events")
    first = (Event.objects.count(), Registration.objects.count(), Meeting.objects.count())
    call_command("seed_events")
    second = (Event.objects.count(), Registration.objects.count(), Meeting.objects.count())

    upcoming_open = [e for e in Event.objects.all() if not e.is_past and not e.requires_approval]
    assert first == second
    assert first[0] == 11
    # The three members plus a demo delegate for each of their three organisations' countries.
    assert first[1] == 11 * 6
    assert first[2] == len(upcoming_open)
    assert set(Meeting.objects.values_list("state", flat=True)) == {MeetingState.ACCEPTED}
    assert Meeting.objects.filter(slot__isnull=True).count() == 0
    assert (
        Event.objects.filter(title__startswith="European Cluster Conference 2016")
        .get()
        .starts_on.isoformat()
        == "2016-11-30"
    )


def test_seed_events_places_the_trade_fairs_outside_europe_in_their_countries():
    StaffFactory()
    load_reference_data()

    call_command("seed_events")

    places = dict(Event.objects.filter(title__contains="2016").values_list("title", "country_id"))
    assert places["Computex Taiwan 2016: cluster delegation"] == "TW"
    assert places["Mexico City Green Expo 2016: cluster delegation"] == "MX"
    assert places["Pollutec Lyon 2016: Brazilian and European clusters"] == "FR"


def test_seed_events_gives_an_earlier_seeded_event_its_country():
    StaffFactory()
    call_command("seed_events")
    load_reference_data()

    call_command("seed_events")

    computex = Event.objects.get(title="Computex Taiwan 2016: cluster delegation")
    assert (computex.country_id, computex.city) == ("TW", "Taipei")


def test_seed_events_gives_past_events_held_meetings_with_ratings_and_outcomes():
    StaffFactory()
    for _ in range(4):
        MembershipFactory()

    call_command("seed_events")
    call_command("seed_events")

    pollutec = Event.objects.get(title="Pollutec Lyon 2016: Brazilian and European clusters")
    meetings = list(pollutec.meetings.order_by("pk"))
    assert [m.outcome for m in meetings] == ["agreement", "negotiation", "none", "none"]
    assert all(m.was_held() for m in meetings)
    assert sorted(
        MeetingRating.objects.filter(meeting__event=pollutec).values_list("stars", flat=True)
    ) == [3, 4, 4, 4, 5]
    assert MeetingSeat.objects.filter(event=pollutec).count() == 8


def test_seed_events_gives_the_demo_organiser_an_upcoming_event_to_schedule():
    StaffFactory()
    for _ in range(5):
        MembershipFactory()
    organiser = UserFactory(email=ORGANISER.email)

    call_command("seed_events")
    call_command("seed_events")

    event = Event.objects.get(organiser=organiser)
    states = Counter(event.registrations.values_list("state", flat=True))
    assert event.starts_on == timezone.localdate() + dt.timedelta(weeks=3)
    assert event.registration_is_open() is True
    # Five members and a demo delegate for each of their organisations' countries.
    assert states == {RegistrationState.APPROVED: 8, RegistrationState.PENDING: 2}
    assert list(event.meetings.values_list("state", "slot")) == [(MeetingState.ACCEPTED, None)] * 8
    assert sorted({s.starts_at.astimezone(event.zone).date() for s in event.slots.all()}) == [
        event.starts_on,
        event.ends_on,
    ]


def test_seed_events_closes_registration_at_midnight_where_the_event_is():
    StaffFactory()

    call_command("seed_events")

    turin = Event.objects.get(title="Mobility clusters matchmaking Turin 2027")
    closes = turin.registration_closes.astimezone(turin.zone)
    assert (closes.date().isoformat(), closes.strftime("%H:%M")) == ("2027-05-08", "23:59")
    days = sorted({s.starts_at.astimezone(turin.zone).date() for s in turin.slots.all()})
    assert [d.isoformat() for d in days] == ["2027-05-11", "2027-05-12"]
