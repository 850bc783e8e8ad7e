import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.enums import MeetingState
from tests.factories import (
    CooperationItemFactory,
    EventFactory,
    MeetingFactory,
    RegistrationFactory,
    SlotFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(starts_on=dt.date.today(), ends_on=dt.date.today() + dt.timedelta(days=1))


def _slot(event, hours):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(hours=hours)
    return SlotFactory(event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=30))


@pytest.mark.parametrize("count", [1, 3])
def test_participant_list_query_count_does_not_grow(
    client, event, django_assert_num_queries, count
):
    own = RegistrationFactory(event=event)
    for _ in range(count):
        CooperationItemFactory(registration=RegistrationFactory(event=event))
    client.force_login(own.user)
    url = reverse("events:participant-list", args=[event.pk])

    with django_assert_num_queries(12):
        response = client.get(url)

    assert len(response.context["participants"]) == count + 1


@pytest.mark.parametrize("count", [1, 3])
def test_agenda_query_count_does_not_grow(client, event, django_assert_num_queries, count):
    own = RegistrationFactory(event=event)
    for hours in range(count):
        MeetingFactory(event=event, requester=own, slot=_slot(event, hours - 1), table=1)
    MeetingFactory(event=event, recipient=own, state=MeetingState.REQUESTED)
    client.force_login(own.user)
    url = reverse("events:agenda", args=[event.pk])

    with django_assert_num_queries(8):
        response = client.get(url)

    assert len(response.context["meetings"]) == count + 1


@pytest.mark.parametrize("count", [1, 3])
def test_agenda_print_query_count_does_not_grow(client, event, django_assert_num_queries, count):
    own = RegistrationFactory(event=event)
    for hours in range(count):
        MeetingFactory(event=event, recipient=own, slot=_slot(event, 24 * hours + 1), table=1)
    client.force_login(own.user)
    url = reverse("events:agenda-print", args=[event.pk])

    with django_assert_num_queries(6):
        response = client.get(url)

    assert sum(len(meetings) for _day, meetings in response.context["days"]) == count
