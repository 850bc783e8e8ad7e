"""Online meetings: a video room per meeting from the room-address template, no table."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events import services
from events.enums import EventFormat, MeetingKind, MeetingState
from events.models import Meeting
from tests.factories import EventFactory, MeetingFactory, RegistrationFactory, SlotFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "https://meet.example.org/{room}#config.prejoinPageEnabled=true"


@pytest.fixture
def hybrid():
    return EventFactory(format=EventFormat.HYBRID, tables=1)


def ask(event, kind=None, slots=()):
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    return services.request_meeting(
        event, by=alice.user, recipient=bob, message="Hello", kind=kind, slots=slots
    )


def test_an_online_meeting_gets_its_own_unguessable_room(settings, hybrid):
    settings.MEETING_ROOM_URL_TEMPLATE = TEMPLATE
    first, second = ask(hybrid, MeetingKind.ONLINE), ask(hybrid, MeetingKind.ONLINE)

    assert first.video_url == (
        f"https://meet.example.org/clusterportal-{hybrid.pk}-{first.pk}-{first.room_key}"
        "#config.prejoinPageEnabled=true"
    )
    assert len(first.room_key) == 32
    assert first.room_key != second.room_key


def test_no_link_without_a_template_or_at_a_table(settings, hybrid):
    settings.MEETING_ROOM_URL_TEMPLATE = ""
    online = ask(hybrid, MeetingKind.ONLINE)
    settings.MEETING_ROOM_URL_TEMPLATE = TEMPLATE
    at_table = ask(hybrid, MeetingKind.TABLE)

    assert at_table.video_url is None
    settings.MEETING_ROOM_URL_TEMPLATE = ""
    assert online.video_url is None


def test_an_online_meeting_is_booked_without_taking_the_last_table(hybrid):
    slot = SlotFactory(event=hybrid)
    at_table = MeetingFactory(event=hybrid)
    online = MeetingFactory(event=hybrid, kind=MeetingKind.ONLINE)

    services.book_slot(at_table, slot=slot, by=at_table.requester.user)
    services.book_slot(online, slot=slot, by=online.requester.user)

    online.refresh_from_db()
    assert (online.slot, online.table) == (slot, None)


@pytest.mark.parametrize(
    ("event_format", "kind", "message"),
    [
        (EventFormat.ON_SITE, MeetingKind.ONLINE, "This event has no online meetings."),
        (EventFormat.ONLINE, MeetingKind.TABLE, "This event takes place online only."),
    ],
)
def test_a_meeting_type_the_event_does_not_offer_is_refused(event_format, kind, message):
    event = EventFactory(format=event_format)

    with pytest.raises(ValidationError) as error:
        ask(event, kind)

    assert error.value.messages == [message]
    assert Meeting.objects.count() == 0


def test_an_online_only_event_makes_every_meeting_online():
    assert ask(EventFactory(format=EventFormat.ONLINE)).kind == MeetingKind.ONLINE


def test_the_scheduler_puts_online_meetings_beside_the_tables(hybrid):
    slot = SlotFactory(event=hybrid)
    at_table = MeetingFactory(event=hybrid)
    online = [MeetingFactory(event=hybrid, kind=MeetingKind.ONLINE) for _ in range(2)]

    result = services.run_scheduler(hybrid, by=hybrid.organiser)

    assert result.unplaced == ()
    booked = Meeting.objects.filter(slot=slot).order_by("pk")
    assert [(m.pk, m.table) for m in booked] == [(at_table.pk, 1)] + [(m.pk, None) for m in online]


def test_the_scheduler_keeps_a_persons_online_and_table_meetings_apart(hybrid):
    first, second = SlotFactory(event=hybrid), SlotFactory(event=hybrid)
    person = RegistrationFactory(event=hybrid)
    at_table = MeetingFactory(event=hybrid, requester=person)
    online = MeetingFactory(event=hybrid, requester=person, kind=MeetingKind.ONLINE)

    services.run_scheduler(hybrid, by=hybrid.organiser)

    slots = {Meeting.objects.get(pk=m.pk).slot for m in (at_table, online)}
    assert slots == {first, second}


def test_agenda_shows_the_video_link_of_a_booked_online_meeting(client, settings, hybrid):
    settings.MEETING_ROOM_URL_TEMPLATE = TEMPLATE
    meeting = MeetingFactory(event=hybrid, kind=MeetingKind.ONLINE, state=MeetingState.ACCEPTED)
    services.book_slot(meeting, slot=SlotFactory(event=hybrid), by=meeting.requester.user)
    client.force_login(meeting.requester.user)

    response = client.get(reverse("events:agenda", args=[hybrid.pk]))

    meeting.refresh_from_db()
    assert f'href="{meeting.video_url}"' in response.content.decode().replace("&amp;", "&")


def test_a_hybrid_events_request_form_offers_both_types(client, hybrid):
    alice, bob = RegistrationFactory(event=hybrid), RegistrationFactory(event=hybrid)
    client.force_login(alice.user)
    url = reverse("events:meeting-request", args=[hybrid.pk, bob.pk])

    response = client.post(url, {"message": "Video?", "kind": "online"})

    assert response.status_code == 302
    assert Meeting.objects.get().kind == MeetingKind.ONLINE
