"""Meeting requests, answers and registrations racing each other: one outcome, a readable
refusal for the other side, never a deadlock or a server error."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events import services
from events.enums import MeetingState
from events.models import Meeting, Registration
from partnerships.models import AuditEntry
from tests.concurrency import at_once, second_meets_first
from tests.factories import EventFactory, MeetingFactory, MembershipFactory, RegistrationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.USING_POSTGRES, reason="row locks need PostgreSQL"),
]

DUPLICATE = "You already have a meeting or a pending request with this person."


def meeting_actions(meeting):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Meeting), object_id=str(meeting.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def ask(event, asker, asked):
    return lambda: services.request_meeting(
        event, by=asker.user, recipient=asked, message="Shall we meet?"
    )


def test_two_people_asking_each_other_meanwhile_get_one_meeting_and_a_friendly_refusal():
    event = EventFactory()
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)

    first, second = second_meets_first(ask(event, alice, bob), ask(event, bob, alice))

    assert isinstance(second, ValidationError)
    assert (second.code, second.messages) == ("duplicate", [DUPLICATE])
    assert list(Meeting.objects.values_list("pk", "requester", "recipient")) == [
        (first.pk, alice.pk, bob.pk)
    ]


def test_crossed_requests_released_together_never_deadlock():
    event = EventFactory()
    for _attempt in range(5):
        alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)

        outcomes = at_once(ask(event, alice, bob), ask(event, bob, alice))

        kinds = sorted(type(outcome).__name__ for outcome in outcomes)
        assert kinds == ["Meeting", "ValidationError"]
        refusal = next(o for o in outcomes if isinstance(o, ValidationError))
        assert refusal.messages == [DUPLICATE]
        pair = Meeting.objects.filter(requester__in=(alice, bob), recipient__in=(alice, bob))
        assert pair.count() == 1


def test_the_database_refuses_an_open_meeting_in_the_other_direction():
    meeting = MeetingFactory(state=MeetingState.REQUESTED)

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Meeting.objects.create(
            event=meeting.event,
            requester=meeting.recipient,
            recipient=meeting.requester,
            message="And me you",
            state=MeetingState.REQUESTED,
        )

    assert error.value.__cause__.diag.constraint_name == "meeting_one_open_per_pair"


def test_a_closed_meeting_in_the_other_direction_does_not_block_a_new_request():
    meeting = MeetingFactory(state=MeetingState.DECLINED)

    again = ask(meeting.event, meeting.recipient, meeting.requester)()

    assert (again.requester, again.recipient, again.state) == (
        meeting.recipient,
        meeting.requester,
        MeetingState.REQUESTED,
    )


def test_an_answer_racing_a_cancellation_finds_the_request_cancelled():
    meeting = MeetingFactory(state=MeetingState.REQUESTED)
    requester, recipient = meeting.requester.user, meeting.recipient.user

    _cancelled, answer = second_meets_first(
        lambda: services.cancel_meeting(meeting, by=requester, reason="Plans changed"),
        lambda: services.answer_meeting(meeting, accept=True, by=recipient),
    )

    assert isinstance(answer, ValidationError)
    assert answer.messages == ["This cannot move from “Cancelled” to “Accepted”."]
    meeting.refresh_from_db()
    assert (meeting.state, meeting.reason) == (MeetingState.CANCELLED, "Plans changed")


def test_a_cancellation_racing_an_acceptance_cancels_the_accepted_meeting():
    meeting = MeetingFactory(state=MeetingState.REQUESTED)
    requester, recipient = meeting.requester.user, meeting.recipient.user

    _accepted, cancelled = second_meets_first(
        lambda: services.answer_meeting(meeting, accept=True, by=recipient),
        lambda: services.cancel_meeting(meeting, by=requester, reason="Plans changed"),
    )

    assert cancelled.state == MeetingState.CANCELLED
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
    assert meeting_actions(meeting) == ["meeting_answered", "meeting_cancelled"]


def test_a_decline_and_a_cancellation_released_together_leave_exactly_one_outcome():
    for _attempt in range(5):
        meeting = MeetingFactory(state=MeetingState.REQUESTED)

        outcomes = at_once(
            lambda m=meeting: services.cancel_meeting(m, by=m.requester.user),
            lambda m=meeting: services.answer_meeting(m, accept=False, by=m.recipient.user),
        )

        meeting.refresh_from_db()
        refused = [o for o in outcomes if isinstance(o, ValidationError)]
        done = [o for o in outcomes if isinstance(o, Meeting)]
        assert (len(done), len(refused)) == (1, 1)
        assert done[0].state == meeting.state
        assert meeting.state in (MeetingState.CANCELLED, MeetingState.DECLINED)


def test_a_double_click_on_register_makes_one_registration_and_says_so():
    event = EventFactory()
    membership = MembershipFactory()

    def register():
        return services.register(event, user=membership.user, organisation=membership.organisation)

    first, second = second_meets_first(register, register)

    assert isinstance(second, ValidationError)
    assert (second.code, second.messages) == (
        "duplicate",
        ["You are already registered for this event."],
    )
    assert list(Registration.objects.values_list("pk", flat=True)) == [first.pk]
