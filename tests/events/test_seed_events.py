import pytest
from django.core.management import call_command

from events.enums import MeetingState
from events.models import Event, Meeting, Registration
from tests.factories import MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_seed_events_is_idempotent_and_books_a_demo_meeting():
    StaffFactory()
    for _ in range(3):
        MembershipFactory()

    call_command("seed_events")
    first = (Event.objects.count(), Registration.objects.count(), Meeting.objects.count())
    call_command("seed_events")
    second = (Event.objects.count(), Registration.objects.count(), Meeting.objects.count())

    upcoming_open = [e for e in Event.objects.all() if not e.is_past and not e.requires_approval]
    assert first == second
    assert first[0] == 11
    assert first[1] == 11 * 3
    assert first[2] == len(upcoming_open)
    assert set(Meeting.objects.values_list("state", flat=True)) == {MeetingState.ACCEPTED}
    assert Meeting.objects.filter(slot__isnull=True).count() == 0
    assert (
        Event.objects.filter(title__startswith="European Cluster Conference 2016")
        .get()
        .starts_on.isoformat()
        == "2016-11-30"
    )
