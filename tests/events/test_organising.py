"""The organisers' writes: setting an event up, co-organisers, decisions, mailings, the day."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events import services
from events.enums import EventFormat, EventType, MeetingState, RegistrationState, WhoMayMeet
from events.models import Event, EventMailing, Meeting
from partnerships.models import AuditEntry
from tests.factories import (
    EventFactory,
    MeetingFactory,
    MeetingWindowFactory,
    RegistrationFactory,
    SlotFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date.today() + dt.timedelta(days=40)


def fields(**overrides):
    return {
        "title": "Hydrogen valleys matchmaking",
        "type": EventType.CONFERENCE,
        "format": EventFormat.HYBRID,
        "description": "",
        "starts_on": DAY,
        "ends_on": DAY + dt.timedelta(days=1),
        "time_zone": "Europe/Brussels",
        "venue": "",
        "city": "Brussels",
        "country": None,
        "online_url": "",
        "registration_opens": None,
        "registration_closes": None,
        "capacity": 50,
        "requires_approval": True,
        "meeting_minutes": 30,
        "tables": 10,
        "requests_need_acceptance": True,
        "request_quota": None,
        "who_may_meet": WhoMayMeet.ANYONE,
    } | overrides


TWO_DAYS_WITH_LUNCH = [
    (DAY, dt.time(9), dt.time(12)),
    (DAY, dt.time(14), dt.time(16)),
    (DAY + dt.timedelta(days=1), dt.time(9), dt.time(11)),
]


def test_create_event_cuts_every_window_into_slots_and_skips_the_breaks():
    organiser = UserFactory()

    event = services.create_event(by=organiser, fields=fields(), windows=TWO_DAYS_WITH_LUNCH)

    starts = [
        timezone.localtime(slot.starts_at, event.zone).strftime("%d %H:%M")
        for slot in event.slots.all()
    ]
    first, second = DAY.strftime("%d"), (DAY + dt.timedelta(days=1)).strftime("%d")
    assert event.organiser == organiser
    assert event.format == EventFormat.HYBRID
    assert event.windows.count() == 3
    assert starts == (
        [f"{first} {h}" for h in ("09:00", "09:30", "10:00", "10:30", "11:00", "11:30")]
        + [f"{first} {h}" for h in ("14:00", "14:30", "15:00", "15:30")]
        + [f"{second} {h}" for h in ("09:00", "09:30", "10:00", "10:30")]
    )
    assert AuditEntry.objects.filter(action="event_created", object_id=str(event.pk)).count() == 1


@pytest.mark.parametrize(
    ("windows", "message"),
    [
        ([(DAY + dt.timedelta(days=5), dt.time(9), dt.time(12))], "is not one of the event's days"),
        ([(DAY, dt.time(12), dt.time(9))], "end before they start"),
        (
            [(DAY, dt.time(9), dt.time(12)), (DAY, dt.time(11), dt.time(13))],
            "two stretches of meeting hours overlap",
        ),
    ],
)
def test_create_event_refuses_bad_meeting_hours_and_creates_nothing(windows, message):
    with pytest.raises(ValidationError) as error:
        services.create_event(by=UserFactory(), fields=fields(), windows=windows)

    assert message in " ".join(error.value.messages)
    assert Event.objects.count() == 0


def test_create_event_refuses_a_registration_window_that_closes_before_it_opens():
    opens = timezone.now() + dt.timedelta(days=2)

    with pytest.raises(ValidationError) as error:
        services.create_event(
            by=UserFactory(),
            fields=fields(registration_opens=opens, registration_closes=opens),
            windows=TWO_DAYS_WITH_LUNCH,
        )

    assert error.value.messages == ["Registration must close after it opens."]
    assert Event.objects.count() == 0


def test_update_event_keeps_a_booked_slot_whose_window_is_gone():
    event = EventFactory(starts_on=DAY, ends_on=DAY)
    MeetingWindowFactory(event=event, day=DAY, start=dt.time(9), end=dt.time(10))
    services.generate_slots(event, by=event.organiser)
    booked = event.slots.first()
    MeetingFactory(event=event, slot=booked, table=1)

    services.update_event(
        event,
        by=event.organiser,
        fields=fields(starts_on=DAY, ends_on=DAY, title="Renamed"),
        windows=[(DAY, dt.time(14), dt.time(15))],
    )

    event.refresh_from_db()
    hours = sorted(timezone.localtime(s.starts_at, event.zone).hour for s in event.slots.all())
    assert event.title == "Renamed"
    assert hours == [9, 14, 14]
    entry = AuditEntry.objects.get(action="event_updated")
    assert "title" in entry.data["fields"]


def test_a_co_organiser_manages_the_event_and_loses_it_when_removed(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory()
    colleague = UserFactory(email="colleague@example.eu")
    assert not colleague.has_perm("events.manage_event", event)

    with django_capture_on_commit_callbacks(execute=True):
        role = services.add_organiser(event, email="Colleague@Example.eu", by=event.organiser)

    assert colleague.has_perm("events.manage_event", event)
    assert colleague.has_perm("events.add_event")
    assert [m.to for m in mailoutbox] == [["colleague@example.eu"]]
    services.remove_organiser(role, by=event.organiser)
    assert not colleague.has_perm("events.manage_event", event)
    assert list(
        AuditEntry.objects.filter(object_id=str(event.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["organiser_added", "organiser_removed"]


@pytest.mark.parametrize("email", ["nobody@example.eu", "organiser"])
def test_add_organiser_refuses_an_unknown_address_or_the_organiser_again(email):
    event = EventFactory()
    email = event.organiser.email if email == "organiser" else email

    with pytest.raises(ValidationError):
        services.add_organiser(event, email=email, by=StaffFactory())

    assert event.organisers.count() == 0


def test_refusal_with_a_reason_tells_the_participant_why(
    django_capture_on_commit_callbacks, mailoutbox
):
    registration = RegistrationFactory(state=RegistrationState.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_registration(
            registration, approve=False, reason=" The event is for SMEs only. ", by=StaffFactory()
        )

    registration.refresh_from_db()
    assert registration.state == RegistrationState.REJECTED
    assert registration.decision_reason == "The event is for SMEs only."
    assert "Your registration is now: Rejected. The event is for SMEs only." in mailoutbox[0].body


def test_mailing_sends_one_copy_to_each_chosen_participant(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory()
    chosen = [RegistrationFactory(event=event) for _ in range(2)]
    RegistrationFactory(event=event, state=RegistrationState.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        mailing = services.send_mailing(
            event,
            registrations=event.registrations.filter(state=RegistrationState.APPROVED),
            subject="Badges",
            body="Collect your badge at the desk.",
            audience={"state": "approved"},
            by=event.organiser,
        )

    assert mailing.recipient_count == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.user.email for r in chosen)
    assert {m.subject for m in mailoutbox} == {"Badges"}


def test_mailing_to_nobody_is_refused_and_records_nothing(mailoutbox):
    event = EventFactory()

    with pytest.raises(ValidationError):
        services.send_mailing(
            event,
            registrations=event.registrations.all(),
            subject="Badges",
            body="Hello",
            audience={},
            by=event.organiser,
        )

    assert EventMailing.objects.count() == 0


def _booked(event, *, minutes_from_now):
    start = timezone.now() + dt.timedelta(minutes=minutes_from_now)
    slot = SlotFactory(event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=30))
    return MeetingFactory(event=event, slot=slot, table=1)


def test_mark_no_show_once_the_slot_has_begun():
    event = EventFactory()
    meeting = _booked(event, minutes_from_now=-10)

    services.mark_no_show(meeting, no_show=True, by=event.organiser)

    assert Meeting.objects.get(pk=meeting.pk).no_show is True


def test_mark_no_show_before_the_slot_is_refused():
    event = EventFactory()
    meeting = _booked(event, minutes_from_now=60)

    with pytest.raises(ValidationError) as error:
        services.mark_no_show(meeting, no_show=True, by=event.organiser)

    assert error.value.code == "not_started"
    assert Meeting.objects.get(pk=meeting.pk).no_show is False


def test_request_meeting_for_a_participant_is_theirs_with_the_organiser_in_the_audit():
    event = EventFactory()
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)

    meeting = services.request_meeting_for(
        alice, recipient=bob, message="On Alice's behalf", by=event.organiser
    )

    assert (meeting.requester, meeting.recipient, meeting.state) == (
        alice,
        bob,
        MeetingState.REQUESTED,
    )
    entry = AuditEntry.objects.get(action="acted_for_participant")
    assert entry.actor == event.organiser
    assert entry.object_id == str(alice.pk)
    assert entry.data == {"action": "meeting_requested", "meeting": meeting.pk}


def test_answer_meeting_for_refuses_a_request_addressed_to_someone_else():
    event = EventFactory()
    meeting = MeetingFactory(event=event, state=MeetingState.REQUESTED)

    with pytest.raises(ValidationError):
        services.answer_meeting_for(
            meeting, registration=meeting.requester, accept=True, by=event.organiser
        )

    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.REQUESTED


def test_answer_meeting_for_the_recipient_accepts_in_their_name():
    event = EventFactory()
    meeting = MeetingFactory(event=event, state=MeetingState.REQUESTED)

    services.answer_meeting_for(
        meeting, registration=meeting.recipient, accept=True, by=event.organiser
    )

    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.ACCEPTED
    assert AuditEntry.objects.get(action="acted_for_participant").actor == event.organiser
