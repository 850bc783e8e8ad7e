"""Many acceptances for one slot at once: the database lets exactly one through and the
others get a readable refusal, never a server error; a cancellation racing an acceptance
into a slot leaves one outcome and no stray seats."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from events import services
from events.enums import MeetingState
from events.models import Meeting, MeetingSeat
from tests.concurrency import at_once, second_meets_first
from tests.factories import EventFactory, RegistrationFactory, SlotFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.USING_POSTGRES, reason="row locks need PostgreSQL"),
]

PEOPLE = 30


def test_thirty_acceptances_of_one_persons_slot_book_exactly_one():
    event = EventFactory(tables=PEOPLE)
    slot = SlotFactory(event=event)
    busy_one = RegistrationFactory(event=event)
    meetings = [
        services.request_meeting(
            event,
            by=RegistrationFactory(event=event).user,
            recipient=busy_one,
            message="At nine?",
            slots=[slot],
        )
        for _ in range(PEOPLE)
    ]

    outcomes = at_once(
        *[
            lambda m=m: services.answer_meeting(m, accept=True, by=busy_one.user, slot=slot)
            for m in meetings
        ]
    )

    booked = [o for o in outcomes if isinstance(o, Meeting)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(booked), len(refused)) == (1, PEOPLE - 1)
    assert {error.code for error in refused} == {"person_busy"}
    assert Meeting.objects.filter(state=MeetingState.ACCEPTED).count() == 1
    assert Meeting.objects.filter(state=MeetingState.REQUESTED).count() == PEOPLE - 1
    assert MeetingSeat.objects.filter(participant=busy_one).count() == 1


def test_thirty_pairs_accepting_the_last_table_book_exactly_one():
    event = EventFactory(tables=1)
    slot = SlotFactory(event=event)
    pairs = [
        (RegistrationFactory(event=event), RegistrationFactory(event=event)) for _ in range(PEOPLE)
    ]
    meetings = [
        services.request_meeting(event, by=a.user, recipient=b, message="Hi", slots=[slot])
        for a, b in pairs
    ]

    outcomes = at_once(
        *[
            lambda m=m, b=b: services.answer_meeting(m, accept=True, by=b.user, slot=slot)
            for m, (_a, b) in zip(meetings, pairs, strict=True)
        ]
    )

    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert sum(isinstance(o, Meeting) for o in outcomes) == 1
    assert {error.code for error in refused} == {"tables_full"}
    assert list(Meeting.objects.filter(slot=slot).values_list("table", flat=True)) == [1]


def test_a_cancellation_racing_an_acceptance_into_a_slot_leaves_it_cancelled_and_free():
    event = EventFactory()
    slot = SlotFactory(event=event)
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    meeting = services.request_meeting(
        event, by=alice.user, recipient=bob, message="Hi", slots=[slot]
    )

    accepted, cancelled = second_meets_first(
        lambda: services.answer_meeting(meeting, accept=True, by=bob.user, slot=slot),
        lambda: services.cancel_meeting(meeting, by=alice.user),
    )

    assert accepted.slot == slot
    assert cancelled.state == MeetingState.CANCELLED
    meeting.refresh_from_db()
    assert (meeting.state, meeting.slot) == (MeetingState.CANCELLED, None)
    assert MeetingSeat.objects.count() == 0


def test_an_acceptance_racing_a_cancellation_is_refused_and_books_nothing():
    event = EventFactory()
    slot = SlotFactory(event=event)
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    meeting = services.request_meeting(
        event, by=alice.user, recipient=bob, message="Hi", slots=[slot]
    )

    _cancelled, answer = second_meets_first(
        lambda: services.cancel_meeting(meeting, by=alice.user),
        lambda: services.answer_meeting(meeting, accept=True, by=bob.user, slot=slot),
    )

    assert isinstance(answer, ValidationError)
    assert answer.messages == ["This cannot move from “Cancelled” to “Accepted”."]
    assert MeetingSeat.objects.count() == 0
