"""The organisers' workspace pages: set-up form, participant list, exports, mailing, dashboard."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events.enums import EventFormat, MeetingState, RegistrationState
from events.models import Event, EventMailing, Meeting
from tests.factories import (
    CooperationItemFactory,
    EventFactory,
    MeetingFactory,
    OrganisationFactory,
    RegistrationFactory,
    SlotFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date.today() + dt.timedelta(days=30)


def event_post(**overrides):
    second = DAY + dt.timedelta(days=1)
    data = {
        "title": "Green Expo B2B",
        "type": "conference",
        "format": "hybrid",
        "description": "Two days of meetings.",
        "starts_on": DAY.isoformat(),
        "ends_on": second.isoformat(),
        "time_zone": "Europe/Paris",
        "city": "Lyon",
        "registration_opens": "",
        "registration_closes": f"{DAY.isoformat()}T08:00",
        "capacity": "40",
        "requires_approval": "on",
        "meeting_minutes": "30",
        "tables": "12",
        "requests_need_acceptance": "on",
        "who_may_meet": "anyone",
        "windows-TOTAL_FORMS": "4",
        "windows-INITIAL_FORMS": "0",
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "1000",
        "windows-0-day": DAY.isoformat(),
        "windows-0-start": "09:00",
        "windows-0-end": "12:00",
        "windows-1-day": DAY.isoformat(),
        "windows-1-start": "14:00",
        "windows-1-end": "17:00",
        "windows-2-day": second.isoformat(),
        "windows-2-start": "09:00",
        "windows-2-end": "12:00",
    }
    return data | overrides


def test_staff_sets_up_a_two_day_hybrid_event(client):
    staff = StaffFactory()
    client.force_login(staff)

    response = client.post(reverse("events:event-create"), event_post())

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:workspace-participants", args=[event.pk])
    assert (event.organiser, event.format, event.capacity) == (staff, EventFormat.HYBRID, 40)
    assert event.windows.count() == 3
    assert event.slots.count() == 18
    # Registration closes at 08:00 where the event is, whatever the organiser's time zone.
    assert timezone.localtime(event.registration_closes, event.zone).strftime("%H:%M") == "08:00"


def test_a_participant_without_an_event_to_organise_may_not_set_one_up(client):
    client.force_login(UserFactory())

    response = client.post(reverse("events:event-create"), event_post())

    assert response.status_code == 403
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"windows-0-day": (DAY + dt.timedelta(days=9)).isoformat()}, "is not one of the event"),
        ({"windows-1-start": "11:00"}, "two stretches of meeting hours overlap"),
        ({"windows-0-end": "08:00"}, "The meeting hours end before they start."),
        ({"ends_on": (DAY - dt.timedelta(days=1)).isoformat()}, "The last day is before"),
        (
            {
                "windows-0-day": "",
                "windows-0-start": "",
                "windows-0-end": "",
                "windows-1-day": "",
                "windows-1-start": "",
                "windows-1-end": "",
                "windows-2-day": "",
                "windows-2-start": "",
                "windows-2-end": "",
            },
            "Give the meeting hours of at least one day.",
        ),
    ],
)
def test_bad_event_input_is_a_clear_error_that_keeps_what_was_typed(client, overrides, message):
    client.force_login(StaffFactory())

    response = client.post(reverse("events:event-create"), event_post(**overrides))

    body = response.content.decode()
    assert response.status_code == 400
    assert message in body.replace("&#x27;", "'")
    assert 'value="Green Expo B2B"' in body
    assert Event.objects.count() == 0


def test_edit_shows_the_event_in_its_own_time_zone_and_saves(client):
    event = EventFactory(starts_on=DAY, ends_on=DAY, time_zone="Europe/Paris")
    client.force_login(event.organiser)
    url = reverse("events:event-edit", args=[event.pk])

    form_page = client.get(url)
    response = client.post(
        url,
        event_post(
            ends_on=DAY.isoformat(),
            **{"windows-2-day": "", "windows-2-start": "", "windows-2-end": ""},
        ),
    )

    assert form_page.status_code == 200
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.tables, event.windows.count()) == ("Green Expo B2B", 12, 2)


@pytest.fixture
def event():
    return EventFactory(requires_approval=True)


def test_participants_filter_by_state_and_name(client, event):
    RegistrationFactory(event=event, user=UserFactory(full_name="Ada Approved"))
    RegistrationFactory(
        event=event, user=UserFactory(full_name="Pat Pending"), state=RegistrationState.PENDING
    )
    RegistrationFactory(
        event=event, user=UserFactory(full_name="Ada Waiting"), state=RegistrationState.PENDING
    )
    client.force_login(event.organiser)
    url = reverse("events:workspace-participants", args=[event.pk])

    response = client.get(url, {"state": "pending", "q": "ada"})

    assert [str(r.user) for r in response.context["participants"]] == ["Ada Waiting"]


def test_refusing_without_a_reason_is_refused_and_changes_nothing(client, event):
    pending = RegistrationFactory(event=event, state=RegistrationState.PENDING)
    client.force_login(event.organiser)
    url = reverse("events:workspace-decide", args=[event.pk, pending.pk])

    response = client.post(url, {"decision": "reject", "reason": "  "}, follow=True)

    pending.refresh_from_db()
    assert pending.state == RegistrationState.PENDING
    assert [str(m) for m in response.context["messages"]] == [
        "Reason (sent to the participant; needed to refuse): Say why you refuse this participant."
    ]


def test_validating_keeps_the_filter(client, event):
    pending = RegistrationFactory(event=event, state=RegistrationState.PENDING)
    client.force_login(event.organiser)
    url = reverse("events:workspace-decide", args=[event.pk, pending.pk])

    response = client.post(url, {"decision": "approve", "query": "state=pending"})

    pending.refresh_from_db()
    assert pending.state == RegistrationState.APPROVED
    assert response["Location"] == (
        reverse("events:workspace-participants", args=[event.pk]) + "?state=pending"
    )


def test_another_events_registration_is_not_found(client, event):
    stranger = RegistrationFactory(state=RegistrationState.PENDING)
    client.force_login(event.organiser)
    url = reverse("events:workspace-decide", args=[event.pk, stranger.pk])

    response = client.post(url, {"decision": "approve"})

    stranger.refresh_from_db()
    assert response.status_code == 404
    assert stranger.state == RegistrationState.PENDING


def _export_participants(event):
    organisation = OrganisationFactory(name='=HYPERLINK("http://x")')
    registration = RegistrationFactory(event=event, organisation=organisation)
    CooperationItemFactory(registration=registration, direction="offer", title="Fuel cells")
    RegistrationFactory(event=event, state=RegistrationState.PENDING)
    return registration


def test_csv_export_lists_the_filtered_participants_and_defuses_formulas(client, event):
    registration = _export_participants(event)
    client.force_login(event.organiser)

    response = client.get(
        reverse("events:participants-csv", args=[event.pk]), {"state": "approved"}
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert len(rows) == 2
    assert rows[1][:5] == [
        str(registration.user),
        registration.user.email,
        '\'=HYPERLINK("http://x")',
        registration.organisation.country.name,
        "Approved",
    ]
    assert rows[1][7:] == ["Fuel cells", "", "0", "0"]


def test_excel_export_has_the_same_rows(client, event):
    registration = _export_participants(event)
    client.force_login(event.organiser)

    response = client.get(reverse("events:participants-xlsx", args=[event.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 3
    assert [registration.user.email, '\'=HYPERLINK("http://x")'] in [row[1:3] for row in rows]


def test_mailing_goes_to_the_filtered_participants(
    client, event, django_capture_on_commit_callbacks, mailoutbox
):
    approved = RegistrationFactory(event=event)
    RegistrationFactory(event=event, state=RegistrationState.PENDING)
    client.force_login(event.organiser)
    url = reverse("events:mailing", args=[event.pk]) + "?state=approved"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"subject": "Programme", "body": "See you at 9."})

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[approved.user.email]]
    assert EventMailing.objects.get().audience == {"state": "approved"}


def test_mailing_to_an_empty_filter_is_a_clear_error(client, event, mailoutbox):
    client.force_login(event.organiser)
    url = reverse("events:mailing", args=[event.pk]) + "?q=nobody"

    response = client.post(url, {"subject": "Programme", "body": "See you at 9."})

    assert response.status_code == 400
    assert "Nobody matches this filter; nothing was sent." in response.content.decode()
    assert 'value="Programme"' in response.content.decode()
    assert mailoutbox == []


def test_act_for_a_participant_sends_the_request_in_their_name(client, event):
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    client.force_login(event.organiser)
    url = reverse("events:act-for", args=[event.pk, alice.pk])

    response = client.post(url, {"recipient": bob.pk, "message": "Alice asked us to write."})

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert (meeting.requester, meeting.recipient) == (alice, bob)


def _slot(event, minutes):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(minutes=minutes)
    return SlotFactory(event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=30))


def test_dashboard_counts_held_no_shows_and_free_tables(client):
    event = EventFactory(tables=5)
    past, now, later = _slot(event, -60), _slot(event, -10), _slot(event, 60)
    MeetingFactory(event=event, slot=past, table=1)
    MeetingFactory(event=event, slot=past, table=2, no_show=True)
    MeetingFactory(event=event, slot=now, table=1)
    MeetingFactory(event=event, slot=now, table=2)
    MeetingFactory(event=event, slot=later, table=1)
    MeetingFactory(event=event, state=MeetingState.REQUESTED)
    client.force_login(event.organiser)

    board = client.get(reverse("events:dashboard", args=[event.pk])).context["board"]

    assert (board["held"], board["no_shows"], board["to_come"]) == (1, 1, 1)
    assert board["floor_slot"] == now and board["floor_slot_running"] is True
    assert board["floor_slot"].free_tables == 3
    assert board["next_slot"].free_tables == 4
    assert len(board["floor_meetings"]) == 2


def test_no_show_is_marked_from_the_dashboard(client):
    event = EventFactory()
    meeting = MeetingFactory(event=event, slot=_slot(event, -10), table=1)
    client.force_login(event.organiser)

    response = client.post(
        reverse("events:meeting-no-show", args=[event.pk, meeting.pk]), {"no_show": "1"}
    )

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.no_show is True


def test_workspace_lists_only_the_events_a_person_organises(client):
    mine, co_organised, other = EventFactory(), EventFactory(), EventFactory()
    co_organised.organisers.create(user=mine.organiser)
    client.force_login(mine.organiser)

    response = client.get(reverse("events:workspace"))

    assert sorted(e.pk for e in response.context["events"]) == sorted([mine.pk, co_organised.pk])
    assert other.title not in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_workspace_participant_list_query_count_does_not_grow(
    client, event, django_assert_num_queries, count
):
    for _ in range(count):
        registration = RegistrationFactory(event=event)
        CooperationItemFactory(registration=registration)
        MeetingFactory(event=event, requester=registration)
    client.force_login(event.organiser)
    url = reverse("events:workspace-participants", args=[event.pk])

    # With the header's count of unread notifications and messages.
    with django_assert_num_queries(9):
        response = client.get(url, {"state": "approved"})

    assert len(response.context["participants"]) == count * 2


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count_does_not_grow(client, django_assert_num_queries, count):
    event = EventFactory(tables=10)
    now = _slot(event, -5)
    for table in range(1, count + 1):
        MeetingFactory(event=event, slot=now, table=table)
    client.force_login(event.organiser)
    url = reverse("events:dashboard", args=[event.pk])

    # With the header's count of unread notifications and messages.
    with django_assert_num_queries(10):
        response = client.get(url)

    assert len(response.context["board"]["floor_meetings"]) == count
