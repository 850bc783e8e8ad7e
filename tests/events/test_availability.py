"""Availability that bookings and the scheduler respect, past slots, and the calendar feed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Meeting
from partnerships.models import AuditEntry
from tests.factories import EventFactory, MeetingFactory, RegistrationFactory, SlotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(tables=3)


def test_set_availability_marks_the_unticked_slots_busy(event):
    first, second, third = (SlotFactory(event=event) for _ in range(3))
    own = RegistrationFactory(event=event)

    services.set_availability(own, available=[first, third], by=own.user)

    assert list(own.unavailable_slots.all()) == [second]
    assert AuditEntry.objects.get(action="availability_set").data == {"busy": 1}


def test_availability_that_would_strand_a_booked_meeting_is_refused(event):
    slot = SlotFactory(event=event)
    meeting = MeetingFactory(event=event)
    services.book_slot(meeting, slot=slot, by=meeting.requester.user)

    with pytest.raises(ValidationError) as error:
        services.set_availability(meeting.requester, available=[], by=meeting.requester.user)

    assert error.value.code == "booked"
    assert str(slot) in error.value.messages[0]
    assert meeting.requester.unavailable_slots.count() == 0


def test_booking_a_slot_where_the_other_side_is_busy_is_refused_with_their_name(event):
    slot = SlotFactory(event=event)
    meeting = MeetingFactory(event=event)
    meeting.recipient.unavailable_slots.add(slot)

    with pytest.raises(services.BookingConflict) as error:
        services.book_slot(meeting, slot=slot, by=meeting.requester.user)

    assert error.value.messages == [f"Not available at this time: {meeting.recipient.user}."]
    assert Meeting.objects.get(pk=meeting.pk).slot is None


def test_booking_a_slot_that_has_begun_is_refused(event):
    start = timezone.now() - dt.timedelta(minutes=5)
    slot = SlotFactory(event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=30))
    meeting = MeetingFactory(event=event)

    with pytest.raises(ValidationError) as error:
        services.book_slot(meeting, slot=slot, by=meeting.requester.user)

    assert error.value.messages == ["This slot has already begun; choose a later one."]
    assert Meeting.objects.get(pk=meeting.pk).slot is None


def test_scheduler_places_meetings_only_where_both_sides_are_free(event):
    busy, free = SlotFactory(event=event), SlotFactory(event=event)
    meeting = MeetingFactory(event=event)
    meeting.requester.unavailable_slots.add(busy)

    result = services.run_scheduler(event, by=event.organiser)

    assert result.placements[meeting.pk][0] == free.pk
    assert Meeting.objects.get(pk=meeting.pk).slot == free


def test_scheduler_leaves_unplaced_a_meeting_whose_sides_are_never_free_together(event):
    first, second = SlotFactory(event=event), SlotFactory(event=event)
    meeting = MeetingFactory(event=event)
    meeting.requester.unavailable_slots.add(first)
    meeting.recipient.unavailable_slots.add(second)

    result = services.run_scheduler(event, by=event.organiser)

    assert result.unplaced == (meeting.pk,)
    assert Meeting.objects.get(pk=meeting.pk).slot is None


def test_booking_page_offers_only_slots_where_both_are_free(client, event):
    busy, free = SlotFactory(event=event), SlotFactory(event=event)
    meeting = MeetingFactory(event=event)
    meeting.recipient.unavailable_slots.add(busy)
    client.force_login(meeting.requester.user)

    response = client.get(reverse("events:meeting-book", args=[meeting.pk]))

    assert list(response.context["form"].fields["slot"].queryset) == [free]


def test_availability_page_saves_the_ticked_slots(client, event):
    first, second = SlotFactory(event=event), SlotFactory(event=event)
    own = RegistrationFactory(event=event)
    client.force_login(own.user)
    url = reverse("events:availability", args=[event.pk])

    page = client.get(url)
    response = client.post(url, {"available": [second.pk]})

    assert [len(slots) for _day, slots in page.context["days"]] == [2]
    assert response.status_code == 302
    assert list(own.unavailable_slots.all()) == [first]


def test_availability_page_refuses_a_slot_of_another_event_and_keeps_the_ticks(client, event):
    mine = SlotFactory(event=event)
    foreign = SlotFactory()
    own = RegistrationFactory(event=event)
    client.force_login(own.user)

    response = client.post(
        reverse("events:availability", args=[event.pk]), {"available": [mine.pk, foreign.pk]}
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert response.context["days"][0][1] == [(mine, True)]
    assert own.unavailable_slots.count() == 0


def _booked_meeting(event):
    meeting = MeetingFactory(event=event, message="Fuel cell stacks")
    services.book_slot(meeting, slot=SlotFactory(event=event), by=meeting.requester.user)
    return meeting


def test_calendar_feed_needs_no_session_and_stops_when_revoked(client, event):
    meeting = _booked_meeting(event)
    own = meeting.requester
    token = services.renew_calendar_token(own, by=own.user)
    url = reverse("events:agenda-subscription", args=[token])

    feed = client.get(url)
    services.revoke_calendar_token(own, by=own.user)
    after = client.get(url)

    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed["Cache-Control"] == "private, no-store"
    assert "Fuel cell stacks" in feed.content.decode()
    assert after.status_code == 404


def test_a_new_calendar_address_retires_the_old_one(client, event):
    own = _booked_meeting(event).requester
    old = services.renew_calendar_token(own, by=own.user)
    new = services.renew_calendar_token(own, by=own.user)

    assert old != new
    assert client.get(reverse("events:agenda-subscription", args=[old])).status_code == 404
    assert client.get(reverse("events:agenda-subscription", args=[new])).status_code == 200


def test_agenda_shows_the_calendar_address_after_it_is_made(client, event):
    own = RegistrationFactory(event=event)
    client.force_login(own.user)

    response = client.post(
        reverse("events:agenda-feed-key", args=[event.pk]), {"action": "renew"}, follow=True
    )

    own.refresh_from_db()
    assert response.context["feed_url"].endswith(
        reverse("events:agenda-subscription", args=[own.calendar_token])
    )
