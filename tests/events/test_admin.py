import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from events.enums import RegistrationState
from events.models import MeetingRating
from tests.factories import (
    EventFactory,
    MeetingFactory,
    MeetingWindowFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


def test_admin_approves_registrations_through_service(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root@ec.europa.eu", "pw-for-tests")
    pending = RegistrationFactory(state=RegistrationState.PENDING)
    client.force_login(admin)

    client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [pending.pk]},
    )

    pending.refresh_from_db()
    assert pending.state == RegistrationState.APPROVED


def test_admin_cuts_windows_into_slots(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root@ec.europa.eu", "pw-for-tests")
    event = EventFactory(meeting_minutes=30)
    MeetingWindowFactory(event=event)
    client.force_login(admin)

    client.post(
        reverse("admin:events_event_changelist"),
        {"action": "generate_slots", ACTION_CHECKBOX_NAME: [event.pk]},
    )

    assert event.slots.count() == 6


def test_admin_meeting_page_shows_outcome_and_both_ratings(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root@ec.europa.eu", "pw-for-tests")
    meeting = MeetingFactory(outcome="agreement")
    MeetingRating.objects.create(meeting=meeting, by=meeting.requester, stars=5, comment="Top")
    MeetingRating.objects.create(meeting=meeting, by=meeting.recipient, stars=3)
    client.force_login(admin)

    response = client.get(reverse("admin:events_meeting_change", args=[meeting.pk]))

    inline = response.context["inline_admin_formsets"][0]
    assert [form.original.stars for form in inline] == [5, 3]
    assert "Agreement reached" in response.content.decode()
