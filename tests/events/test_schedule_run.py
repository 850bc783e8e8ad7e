import pytest
from django.urls import reverse

from events import services
from events.enums import Preference
from events.models import Meeting, MeetingSeat
from tests.factories import EventFactory, MeetingFactory, RegistrationFactory, SlotFactory

pytestmark = pytest.mark.django_db


def test_run_scheduler_places_everyone_without_double_booking_and_keeps_bookings():
    event = EventFactory(tables=2)
    slots = [SlotFactory(event=event) for _ in range(3)]
    people = [RegistrationFactory(event=event) for _ in range(4)]
    meetings = [
        MeetingFactory(event=event, requester=a, recipient=b)
        for i, a in enumerate(people)
        for b in people[i + 1 :]
    ]
    services.book_slot(meetings[0], slot=slots[2], by=people[0].user)

    result = services.run_scheduler(event, by=event.organiser)

    booked = Meeting.objects.filter(slot__isnull=False)
    seats = list(MeetingSeat.objects.values_list("slot", "participant"))
    assert (len(result.placements), result.unplaced) == (6, ())
    assert booked.count() == 6
    assert len(seats) == len(set(seats)) == 12
    assert Meeting.objects.get(pk=meetings[0].pk).slot == slots[2]


def test_run_scheduler_places_must_meet_first_when_room_is_short():
    event = EventFactory(tables=1)
    SlotFactory(event=event)
    ordinary = MeetingFactory(event=event)
    wanted = MeetingFactory(event=event)
    services.set_preference(wanted.requester, target=wanted.recipient, level=Preference.MUST_MEET)

    result = services.run_scheduler(event, by=event.organiser)

    assert list(result.placements) == [wanted.pk]
    assert list(Meeting.objects.filter(slot__isnull=False).values_list("pk", flat=True)) == [
        wanted.pk
    ]
    assert result.unplaced == (ordinary.pk,)


def test_run_scheduler_tells_each_newly_placed_person(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory()
    SlotFactory(event=event)
    meeting = MeetingFactory(event=event)

    with django_capture_on_commit_callbacks(execute=True):
        services.run_scheduler(event, by=event.organiser)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [meeting.requester.user.email, meeting.recipient.user.email]
    )


def test_participant_cannot_run_scheduler(client):
    event = EventFactory()
    SlotFactory(event=event)
    meeting = MeetingFactory(event=event)
    client.force_login(meeting.requester.user)

    response = client.post(reverse("events:schedule-run", args=[event.pk]))

    assert response.status_code == 403
    assert Meeting.objects.filter(slot__isnull=False).count() == 0


def test_organiser_runs_scheduler_from_page(client):
    event = EventFactory()
    SlotFactory(event=event)
    MeetingFactory(event=event)
    client.force_login(event.organiser)

    client.post(reverse("events:schedule-run", args=[event.pk]))

    assert Meeting.objects.filter(slot__isnull=False).count() == 1
