import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events import services
from events.enums import MeetingState
from events.models import Meeting, MeetingSeat
from partnerships.models import AuditEntry
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
    return EventFactory(tables=3)


def _booked(event, slot, table, **kwargs):
    meeting = MeetingFactory(event=event, **kwargs)
    services.book_slot(meeting, slot=slot, by=meeting.requester.user)
    meeting.refresh_from_db()
    Meeting.objects.filter(pk=meeting.pk).update(table=table)
    meeting.refresh_from_db()
    return meeting


def test_organiser_moves_a_meeting_and_both_people_are_told(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = SlotFactory(event=event), SlotFactory(event=event)
    meeting = _booked(event, first, 1)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.move_meeting(meeting, slot=second, table=3, by=event.organiser)

    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table) == (second, 3)
    assert sorted(MeetingSeat.objects.values_list("slot_id", "participant_id")) == sorted(
        [(second.pk, meeting.requester_id), (second.pk, meeting.recipient_id)]
    )
    assert [sorted(m.to) for m in mailoutbox] == [
        sorted([meeting.requester.user.email, meeting.recipient.user.email])
    ]
    assert "table 3" in mailoutbox[0].body
    assert AuditEntry.objects.filter(action="meeting_moved_by_organiser").count() == 1


def test_move_to_a_taken_table_is_refused_and_changes_nothing(event):
    slot, other = SlotFactory(event=event), SlotFactory(event=event)
    _booked(event, slot, 2)
    meeting = _booked(event, other, 1)

    with pytest.raises(ValidationError) as error:
        services.move_meeting(meeting, slot=slot, table=2, by=event.organiser)

    meeting.refresh_from_db()
    assert (error.value.code, error.value.messages) == (
        "table_taken",
        ["Table 2 is taken in this slot."],
    )
    assert (meeting.slot, meeting.table) == (other, 1)


def test_move_where_a_person_is_busy_is_refused(event):
    slot, other = SlotFactory(event=event), SlotFactory(event=event)
    person = RegistrationFactory(event=event)
    _booked(event, slot, 1, requester=person)
    meeting = _booked(event, other, 1, requester=person)

    with pytest.raises(ValidationError) as error:
        services.move_meeting(meeting, slot=slot, table=2, by=event.organiser)

    assert error.value.code == "person_busy"
    assert Meeting.objects.get(pk=meeting.pk).slot == other


@pytest.mark.parametrize(("table", "code"), [(0, "table"), (4, "table")])
def test_move_to_a_table_that_does_not_exist_is_refused(event, table, code):
    meeting = MeetingFactory(event=event)

    with pytest.raises(ValidationError) as error:
        services.move_meeting(meeting, slot=SlotFactory(event=event), table=table, by=None)

    assert error.value.code == code


def test_move_of_a_request_not_accepted_is_refused(event):
    meeting = MeetingFactory(event=event, state=MeetingState.REQUESTED)

    with pytest.raises(ValidationError) as error:
        services.move_meeting(meeting, slot=SlotFactory(event=event), table=1, by=None)

    assert error.value.code == "not_accepted"


def test_meetings_page_moves_a_meeting_for_the_organiser(client, event):
    slot = SlotFactory(event=event)
    meeting = MeetingFactory(event=event)
    client.force_login(event.organiser)

    response = client.post(
        reverse("events:meeting-move", args=[meeting.pk]), {"slot": slot.pk, "table": "2"}
    )

    meeting.refresh_from_db()
    assert response["Location"] == reverse("events:event-meetings", args=[event.pk])
    assert (meeting.slot, meeting.table) == (slot, 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"slot": "", "table": "1"}, "Slot: This field is required."),
        ({"slot": "x", "table": "1"}, "Slot: Select a valid choice."),
        ({"slot": "SLOT", "table": "9"}, "Table: Ensure this value is less than or equal to 3."),
    ],
)
def test_meetings_page_with_bad_input_shows_an_error_and_changes_nothing(
    client, event, data, message
):
    slot = SlotFactory(event=event)
    meeting = MeetingFactory(event=event)
    client.force_login(event.organiser)
    data = {key: str(slot.pk) if value == "SLOT" else value for key, value in data.items()}

    response = client.post(reverse("events:meeting-move", args=[meeting.pk]), data, follow=True)

    meeting.refresh_from_db()
    assert [str(m) for m in response.context["messages"]][0].startswith(message)
    assert (meeting.slot, meeting.table) == (None, None)


def test_meetings_of_someone_elses_event_are_not_theirs_to_move(client, event):
    meeting = MeetingFactory(event=event)
    client.force_login(meeting.requester.user)

    page = client.get(reverse("events:event-meetings", args=[event.pk]))
    move = client.post(
        reverse("events:meeting-move", args=[meeting.pk]),
        {"slot": SlotFactory(event=event).pk, "table": "1"},
    )

    assert (page.status_code, move.status_code) == (403, 404)
    assert Meeting.objects.get(pk=meeting.pk).slot is None


def test_staff_see_the_meetings_page(client, event):
    MeetingFactory(event=event)
    client.force_login(StaffFactory())

    response = client.get(reverse("events:event-meetings", args=[event.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_meetings_page_query_count_does_not_grow(
    client, event, django_assert_max_num_queries, count
):
    slot = SlotFactory(event=event)
    for table in range(1, count + 1):
        _booked(event, slot, table)
    SlotFactory(event=event)
    client.force_login(event.organiser)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("events:event-meetings", args=[event.pk]))

    assert len(response.context["meetings"]) == count


def test_meetings_page_is_not_for_strangers(client, event):
    client.force_login(UserFactory())

    response = client.get(reverse("events:event-meetings", args=[event.pk]))

    assert response.status_code == 403
