import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events import services
from events.enums import (
    MEETING_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    CooperationDirection,
    CooperationKind,
    MeetingState,
    Preference,
    RegistrationState,
    WhoMayMeet,
)
from events.models import Meeting, MeetingPreference, MeetingSeat, Registration
from tests.factories import (
    EventFactory,
    MeetingFactory,
    MeetingWindowFactory,
    MembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
    SlotFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_register_creates_approved_registration_with_cooperation_profile():
    event = EventFactory()
    membership = MembershipFactory()

    registration = services.register(
        event,
        user=membership.user,
        organisation=membership.organisation,
        items=[
            (CooperationDirection.OFFER, CooperationKind.TECHNOLOGY, "Battery recycling", ""),
            (CooperationDirection.REQUEST, CooperationKind.RESEARCH, "Solid-state labs", "EU"),
        ],
    )

    assert registration.state == RegistrationState.APPROVED
    assert sorted(registration.cooperation_items.values_list("direction", "kind", "title")) == [
        ("offer", "technology", "Battery recycling"),
        ("request", "research", "Solid-state labs"),
    ]


def test_register_for_foreign_organisation_is_refused_and_changes_nothing():
    event = EventFactory()
    user = UserFactory()

    with pytest.raises(ValidationError) as error:
        services.register(event, user=user, organisation=OrganisationFactory())

    assert error.value.code == "not_member"
    assert Registration.objects.count() == 0


def test_register_twice_is_refused():
    event = EventFactory()
    membership = MembershipFactory()
    services.register(event, user=membership.user, organisation=membership.organisation)

    with pytest.raises(ValidationError) as error:
        services.register(event, user=membership.user, organisation=membership.organisation)

    assert error.value.code == "duplicate"
    assert Registration.objects.count() == 1


def test_register_when_full_is_refused():
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    membership = MembershipFactory()

    with pytest.raises(ValidationError) as error:
        services.register(event, user=membership.user, organisation=membership.organisation)

    assert error.value.code == "full"
    assert event.registrations.count() == 1


def test_register_after_window_closes_is_refused():
    event = EventFactory(registration_closes=timezone.now() - dt.timedelta(hours=1))
    membership = MembershipFactory()

    with pytest.raises(ValidationError) as error:
        services.register(event, user=membership.user, organisation=membership.organisation)

    assert error.value.code == "closed"


def test_register_needing_approval_waits_until_organiser_approves(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(requires_approval=True)
    membership = MembershipFactory()

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(
            event, user=membership.user, organisation=membership.organisation
        )
        pending = registration.state
        services.decide_registration(registration, approve=True, by=event.organiser)

    assert pending == RegistrationState.PENDING
    assert Registration.objects.get().state == RegistrationState.APPROVED
    assert [m.to for m in mailoutbox] == [[event.organiser.email], [membership.user.email]]


@pytest.mark.parametrize("current", list(RegistrationState))
@pytest.mark.parametrize("target", [RegistrationState.APPROVED, RegistrationState.REJECTED])
def test_decide_registration_follows_transition_table(current, target):
    registration = RegistrationFactory(state=current)
    allowed = target in REGISTRATION_TRANSITIONS[current]

    if allowed:
        services.decide_registration(
            registration, approve=target == RegistrationState.APPROVED, by=UserFactory()
        )
    else:
        with pytest.raises(ValidationError):
            services.decide_registration(
                registration, approve=target == RegistrationState.APPROVED, by=UserFactory()
            )

    registration.refresh_from_db()
    assert registration.state == (target if allowed else current)


def test_request_meeting_then_accept(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory()
    alice = RegistrationFactory(event=event)
    bob = RegistrationFactory(event=event)

    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.request_meeting(
            event, by=alice.user, recipient=bob, message="Let us talk about hydrogen."
        )
        services.answer_meeting(meeting, accept=True, by=bob.user)

    meeting.refresh_from_db()
    assert (meeting.state, meeting.requester, meeting.recipient) == (
        MeetingState.ACCEPTED,
        alice,
        bob,
    )
    assert [m.to for m in mailoutbox] == [[bob.user.email], [alice.user.email]]


def test_decline_keeps_reason():
    meeting = MeetingFactory(state=MeetingState.REQUESTED)

    services.answer_meeting(meeting, accept=False, by=meeting.recipient.user, reason="Full day.")

    meeting.refresh_from_db()
    assert (meeting.state, meeting.reason) == (MeetingState.DECLINED, "Full day.")


def test_request_meeting_without_acceptance_is_accepted_at_once():
    event = EventFactory(requests_need_acceptance=False)
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)

    meeting = services.request_meeting(event, by=alice.user, recipient=bob, message="Hello")

    assert meeting.state == MeetingState.ACCEPTED


def test_request_meeting_twice_with_same_pair_is_refused():
    event = EventFactory()
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    services.request_meeting(event, by=alice.user, recipient=bob, message="Hello")

    with pytest.raises(ValidationError) as error:
        services.request_meeting(event, by=bob.user, recipient=alice, message="Hello back")

    assert error.value.code == "duplicate"
    assert Meeting.objects.count() == 1


def test_request_meeting_beyond_quota_is_refused():
    event = EventFactory(request_quota=1)
    alice = RegistrationFactory(event=event)
    services.request_meeting(
        event, by=alice.user, recipient=RegistrationFactory(event=event), message="One"
    )

    with pytest.raises(ValidationError) as error:
        services.request_meeting(
            event, by=alice.user, recipient=RegistrationFactory(event=event), message="Two"
        )

    assert error.value.code == "quota"
    assert Meeting.objects.count() == 1


def test_request_meeting_within_same_organisation_refused_when_event_says_so():
    event = EventFactory(who_may_meet=WhoMayMeet.OTHER_ORGANISATIONS)
    alice = RegistrationFactory(event=event)
    colleague = RegistrationFactory(event=event, organisation=alice.organisation)

    with pytest.raises(ValidationError) as error:
        services.request_meeting(event, by=alice.user, recipient=colleague, message="Hi")

    assert error.value.code == "rule"


def test_request_meeting_with_pending_participant_is_refused():
    event = EventFactory()
    alice = RegistrationFactory(event=event)
    pending = RegistrationFactory(event=event, state=RegistrationState.PENDING)

    with pytest.raises(ValidationError) as error:
        services.request_meeting(event, by=alice.user, recipient=pending, message="Hi")

    assert error.value.code == "not_participant"


@pytest.mark.parametrize("current", list(MeetingState))
def test_cancel_meeting_follows_transition_table(current):
    meeting = MeetingFactory(state=current)
    allowed = MeetingState.CANCELLED in MEETING_TRANSITIONS[current]

    if allowed:
        services.cancel_meeting(meeting, by=meeting.requester.user)
    else:
        with pytest.raises(ValidationError):
            services.cancel_meeting(meeting, by=meeting.requester.user)

    meeting.refresh_from_db()
    assert meeting.state == (MeetingState.CANCELLED if allowed else current)


def test_cancel_booked_meeting_frees_its_seats():
    meeting = MeetingFactory()
    services.book_slot(meeting, slot=SlotFactory(event=meeting.event), by=meeting.requester.user)

    services.cancel_meeting(meeting, by=meeting.recipient.user, reason="Flight cancelled")

    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table, MeetingSeat.objects.count()) == (None, None, 0)


def test_set_preference_overwrites_previous_level():
    event = EventFactory()
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)

    services.set_preference(alice, target=bob, level=Preference.MEET)
    services.set_preference(alice, target=bob, level=Preference.MUST_MEET)

    assert list(MeetingPreference.objects.values_list("level", flat=True)) == ["must_meet"]


def test_generate_slots_cuts_windows_in_event_time_zone():
    event = EventFactory(meeting_minutes=45, time_zone="America/Mexico_City")
    MeetingWindowFactory(event=event, start=dt.time(9, 0), end=dt.time(11, 0))

    count = services.generate_slots(event, by=event.organiser)

    starts = [timezone.localtime(s.starts_at, event.zone).time() for s in event.slots.all()]
    assert (count, starts) == (2, [dt.time(9, 0), dt.time(9, 45)])


def test_book_slot_takes_first_free_table_and_seats_both():
    event = EventFactory(tables=2)
    slot = SlotFactory(event=event)
    first = MeetingFactory(event=event)
    second = MeetingFactory(event=event)

    services.book_slot(first, slot=slot, by=first.requester.user)
    services.book_slot(second, slot=slot, by=second.requester.user)

    assert sorted(Meeting.objects.values_list("table", flat=True)) == [1, 2]
    assert MeetingSeat.objects.filter(slot=slot).count() == 4


def test_book_slot_when_person_busy_is_refused_and_changes_nothing():
    event = EventFactory()
    slot = SlotFactory(event=event)
    alice = RegistrationFactory(event=event)
    first = MeetingFactory(event=event, requester=alice)
    second = MeetingFactory(event=event, requester=alice)
    services.book_slot(first, slot=slot, by=alice.user)

    with pytest.raises(services.BookingConflict) as error:
        services.book_slot(second, slot=slot, by=alice.user)

    second.refresh_from_db()
    assert error.value.code == "person_busy"
    assert (second.slot, MeetingSeat.objects.count()) == (None, 2)


def test_book_slot_when_tables_full_is_refused():
    event = EventFactory(tables=1)
    slot = SlotFactory(event=event)
    services.book_slot(MeetingFactory(event=event), slot=slot, by=UserFactory())

    with pytest.raises(services.BookingConflict) as error:
        services.book_slot(MeetingFactory(event=event), slot=slot, by=UserFactory())

    assert error.value.code == "tables_full"


def test_book_slot_for_unaccepted_meeting_is_refused():
    meeting = MeetingFactory(state=MeetingState.REQUESTED)

    with pytest.raises(ValidationError) as error:
        services.book_slot(meeting, slot=SlotFactory(event=meeting.event), by=UserFactory())

    assert error.value.code == "not_accepted"


def test_book_slot_again_moves_meeting_and_tells_both(
    mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    first, second = SlotFactory(event=meeting.event), SlotFactory(event=meeting.event)

    with django_capture_on_commit_callbacks(execute=True):
        services.book_slot(meeting, slot=first, by=meeting.requester.user)
        services.book_slot(meeting, slot=second, by=meeting.requester.user)

    assert list(MeetingSeat.objects.values_list("slot", flat=True).distinct()) == [second.pk]
    assert sorted(mailoutbox[-1].to) == sorted(
        [meeting.requester.user.email, meeting.recipient.user.email]
    )
