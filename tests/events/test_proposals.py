"""A request proposes times or any time; the person asked picks one or proposes others."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events import services
from events.enums import MeetingState
from events.models import Meeting, MeetingSeat
from tests.factories import EventFactory, MeetingFactory, RegistrationFactory, SlotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(tables=5)


def ask(event, alice, bob, slots=()):
    return services.request_meeting(
        event, by=alice.user, recipient=bob, message="Shall we meet?", slots=slots
    )


def test_accepting_one_proposed_time_books_the_meeting_there(event):
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    first, second = SlotFactory(event=event), SlotFactory(event=event)
    meeting = ask(event, alice, bob, [first, second])

    services.answer_meeting(meeting, accept=True, by=bob.user, slot=second)

    meeting.refresh_from_db()
    assert (meeting.state, meeting.slot, meeting.table) == (MeetingState.ACCEPTED, second, 1)
    assert sorted(MeetingSeat.objects.values_list("participant", flat=True)) == sorted(
        [alice.pk, bob.pk]
    )


def test_accepting_proposed_times_without_picking_one_is_refused(event):
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    meeting = ask(event, alice, bob, [SlotFactory(event=event)])

    with pytest.raises(ValidationError) as error:
        services.answer_meeting(meeting, accept=True, by=bob.user)

    assert error.value.messages == ["Choose one of the proposed times."]
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.REQUESTED


def test_a_time_that_was_not_proposed_is_refused(event):
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    meeting = ask(event, alice, bob, [SlotFactory(event=event)])

    with pytest.raises(ValidationError) as error:
        services.answer_meeting(meeting, accept=True, by=bob.user, slot=SlotFactory(event=event))

    assert error.value.code == "not_proposed"
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.REQUESTED


def test_any_time_is_accepted_without_a_slot_and_booked_later(event):
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    meeting = ask(event, alice, bob)

    services.answer_meeting(meeting, accept=True, by=bob.user)

    meeting.refresh_from_db()
    assert (meeting.state, meeting.slot) == (MeetingState.ACCEPTED, None)


@pytest.mark.parametrize("problem", ["past", "busy", "booked", "other_event"])
def test_proposing_a_time_nobody_can_meet_is_a_clear_error_and_sends_nothing(event, problem):
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    slot = SlotFactory(event=event)
    expected = f"You or the other person cannot meet at {slot}."
    if problem == "past":
        start = timezone.now() - dt.timedelta(hours=1)
        slot = SlotFactory(event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=30))
        expected = f"These times have already begun: {slot}."
    elif problem == "busy":
        bob.unavailable_slots.add(slot)
    elif problem == "booked":
        other = MeetingFactory(event=event, requester=bob)
        services.book_slot(other, slot=slot, by=bob.user)
    else:
        slot = SlotFactory()
        expected = "Propose times of this event only."

    with pytest.raises(ValidationError) as error:
        ask(event, alice, bob, [slot])

    assert error.value.messages == [expected]
    assert Meeting.objects.filter(requester=alice).count() == 0


def test_other_times_pass_the_answer_to_the_asker(event):
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    offered, instead = SlotFactory(event=event), SlotFactory(event=event)
    meeting = ask(event, alice, bob, [offered])

    services.propose_times(meeting, slots=[instead], by=bob.user)
    meeting.refresh_from_db()

    assert list(meeting.proposed_slots.all()) == [instead]
    assert meeting.awaiting == alice
    assert alice.user.has_perm("events.answer_meeting", meeting)
    assert not bob.user.has_perm("events.answer_meeting", meeting)
    services.answer_meeting(meeting, accept=True, by=alice.user, slot=instead)
    assert Meeting.objects.get(pk=meeting.pk).slot == instead


def test_request_page_offers_times_both_are_free_and_keeps_the_message_on_error(client, event):
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    free, busy = SlotFactory(event=event), SlotFactory(event=event)
    bob.unavailable_slots.add(busy)
    client.force_login(alice.user)
    url = reverse("events:meeting-request", args=[event.pk, bob.pk])

    page = client.get(url)
    response = client.post(url, {"message": "Battery talk", "slots": [busy.pk]})

    assert list(page.context["form"].fields["slots"].queryset) == [free]
    assert response.status_code == 400
    body = response.content.decode()
    assert f"You or the other person cannot meet at {busy}." in body
    assert "Battery talk" in body
    assert Meeting.objects.count() == 0


def test_agenda_accepts_a_proposed_time(client, event):
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    slot = SlotFactory(event=event)
    meeting = ask(event, alice, bob, [slot])
    client.force_login(bob.user)

    agenda = client.get(reverse("events:agenda", args=[event.pk]))
    client.post(
        reverse("events:meeting-answer", args=[meeting.pk]), {"decision": "accept", "slot": slot.pk}
    )

    assert f'name="slot" value="{slot.pk}"' in agenda.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).slot == slot


def test_propose_page_sends_other_times(client, event):
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    instead = SlotFactory(event=event)
    meeting = ask(event, alice, bob, [SlotFactory(event=event)])
    client.force_login(bob.user)

    response = client.post(
        reverse("events:meeting-propose", args=[meeting.pk]), {"slots": [instead.pk]}
    )

    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).awaiting == alice


def test_the_asker_cannot_propose_times_to_themselves(client, event):
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    meeting = ask(event, alice, bob, [SlotFactory(event=event)])
    client.force_login(alice.user)

    response = client.post(
        reverse("events:meeting-propose", args=[meeting.pk]),
        {"slots": [SlotFactory(event=event).pk]},
    )

    assert response.status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).awaiting is None
