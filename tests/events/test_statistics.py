import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.enums import MeetingOutcome, MeetingState, RegistrationState
from events.models import MeetingRating
from tests.factories import (
    EventFactory,
    MeetingFactory,
    RegistrationFactory,
    SlotFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(starts_on=dt.date.today() - dt.timedelta(days=1))
    past = SlotFactory(event=event, starts_at=timezone.now() - dt.timedelta(hours=2))
    later = SlotFactory(event=event, starts_at=timezone.now() + dt.timedelta(hours=2))
    RegistrationFactory(event=event, state=RegistrationState.PENDING)
    RegistrationFactory(event=event, state=RegistrationState.REJECTED)
    held = MeetingFactory(event=event, slot=past, table=1, outcome=MeetingOutcome.AGREEMENT)
    MeetingFactory(event=event, slot=past, table=2, outcome=MeetingOutcome.NEGOTIATION)
    MeetingFactory(event=event, slot=later, table=1)
    MeetingFactory(event=event)
    MeetingFactory(event=event, state=MeetingState.REQUESTED)
    MeetingFactory(event=event, state=MeetingState.DECLINED)
    MeetingFactory(event=event, state=MeetingState.CANCELLED)
    MeetingRating.objects.create(meeting=held, by=held.requester, stars=5)
    MeetingRating.objects.create(meeting=held, by=held.recipient, stars=4)
    # Another event's meeting counts nowhere here.
    MeetingFactory(slot=SlotFactory(), table=1)
    return event


def test_statistics_count_each_step_from_registration_to_agreement(client, event):
    client.force_login(event.organiser)

    response = client.get(reverse("events:statistics", args=[event.pk]))

    assert response.context["figures"] == {
        "registrations": 16,
        "approved": 14,
        "pending": 1,
        "requests": 7,
        "accepted": 4,
        "declined": 1,
        "cancelled": 1,
        "scheduled": 3,
        "held": 2,
        "negotiations": 1,
        "agreements": 1,
        "ratings": 2,
        "average_rating": 4.5,
    }
    assert [(row["label"], row["value"]) for row in response.context["funnel"]] == [
        ("Approved participants", 14),
        ("Meeting requests", 7),
        ("Accepted", 4),
        ("Scheduled", 3),
        ("Held", 2),
        ("Agreements", 1),
    ]
    html = response.content.decode()
    assert 'id="chart-event-funnel"' in html
    assert '<th scope="row">Average rating (of 5)</th><td class="numeric">4.5</td>' in html


def test_statistics_of_an_empty_event_show_zeros_and_no_average(client):
    event = EventFactory()
    client.force_login(event.organiser)

    response = client.get(reverse("events:statistics", args=[event.pk]))

    assert response.context["figures"]["requests"] == 0
    assert response.context["figures"]["average_rating"] is None
    assert '<td class="numeric">—</td>' in response.content.decode()


def test_statistics_are_for_the_organiser_and_staff_only(client, event):
    url = reverse("events:statistics", args=[event.pk])
    participant = event.registrations.filter(state=RegistrationState.APPROVED).first().user

    seen = {}
    for name, user in (
        ("staff", StaffFactory()),
        ("participant", participant),
        ("stranger", UserFactory()),
    ):
        client.force_login(user)
        seen[name] = client.get(url).status_code

    assert seen == {"staff": 200, "participant": 403, "stranger": 403}


def test_statistics_take_a_fixed_number_of_queries(client, django_assert_num_queries, event):
    client.force_login(event.organiser)
    url = reverse("events:statistics", args=[event.pk])
    client.get(url)

    with django_assert_num_queries(9):
        client.get(url)
