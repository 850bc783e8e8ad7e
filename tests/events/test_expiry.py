"""Requests that wait too long: one reminder the day before, then they expire once."""

import datetime as dt

import pytest
from django.utils import timezone

from events import services
from events.enums import MeetingState
from events.models import Meeting
from events.tasks import sweep_meeting_requests
from tests.factories import EventFactory, RegistrationFactory, SlotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(db):
    event = EventFactory(request_expiry_days=3)
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)
    return services.request_meeting(event, by=alice.user, recipient=bob, message="Meet?")


def test_a_request_expires_after_the_events_days(request_):
    expected = timezone.now() + dt.timedelta(days=3)

    assert abs((request_.expires_at - expected).total_seconds()) < 60


def test_no_expiry_when_the_event_lets_requests_wait():
    event = EventFactory()
    alice, bob = RegistrationFactory(event=event), RegistrationFactory(event=event)

    meeting = services.request_meeting(event, by=alice.user, recipient=bob, message="Meet?")

    assert meeting.expires_at is None


def test_the_person_asked_is_reminded_once_the_day_before(
    request_, django_capture_on_commit_callbacks, mailoutbox
):
    the_day_before = request_.expires_at - dt.timedelta(hours=20)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.remind_expiring_requests(now=the_day_before)
        second = services.remind_expiring_requests(now=the_day_before)

    assert (first, second) == (1, 0)
    assert [m.to for m in mailoutbox] == [[request_.recipient.user.email]]
    assert "waits for your answer" in mailoutbox[0].subject


def test_no_reminder_earlier_than_the_day_before(request_):
    assert services.remind_expiring_requests(now=request_.expires_at - dt.timedelta(days=2)) == 0


def test_an_overdue_request_expires_once_and_both_are_told(
    request_, django_capture_on_commit_callbacks, mailoutbox
):
    later = request_.expires_at + dt.timedelta(minutes=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_requests(now=later) == 1
        assert services.expire_requests(now=later) == 0

    assert Meeting.objects.get(pk=request_.pk).state == MeetingState.EXPIRED
    assert sorted(mailoutbox[0].to) == sorted(
        [request_.requester.user.email, request_.recipient.user.email]
    )


def test_after_expiry_the_pair_may_ask_again(request_):
    services.expire_requests(now=request_.expires_at + dt.timedelta(minutes=1))

    again = services.request_meeting(
        request_.event, by=request_.recipient.user, recipient=request_.requester, message="Now?"
    )

    assert again.state == MeetingState.REQUESTED


def test_other_times_give_the_asker_a_new_deadline_and_a_new_reminder(request_):
    request_.expires_at = timezone.now() + dt.timedelta(hours=2)
    request_.reminded_at = timezone.now()
    request_.save()

    services.propose_times(
        request_, slots=[SlotFactory(event=request_.event)], by=request_.recipient.user
    )

    request_.refresh_from_db()
    assert request_.expires_at > timezone.now() + dt.timedelta(days=2)
    assert request_.reminded_at is None


def test_the_periodic_task_run_twice_has_one_effect(request_):
    Meeting.objects.filter(pk=request_.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    assert sweep_meeting_requests() == {"reminded": 0, "expired": 1}
    assert sweep_meeting_requests() == {"reminded": 0, "expired": 0}
