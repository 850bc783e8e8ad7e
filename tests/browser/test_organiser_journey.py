"""The demo event organiser (no staff rights) opens their upcoming event, approves a pending
registration and places every accepted meeting into slots on both days of the event."""

import pytest
from django.core.management import call_command

from events.enums import RegistrationState
from events.models import Event
from partnerships.management.commands.create_demo_users import ORGANISER
from tests.browser.session import log_in
from tests.factories import MembershipFactory, StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_organiser_approves_and_schedules_their_event(page):
    StaffFactory()
    for _ in range(4):
        MembershipFactory()
    organiser = UserFactory(email=ORGANISER.email, full_name="Olga Organiser")
    call_command("seed_events")
    event = Event.objects.get(organiser=organiser)
    pending = event.registrations.filter(state=RegistrationState.PENDING).order_by("pk").first()

    log_in(page, organiser.email)
    page.goto("/events/")
    page.click(f"text={event.title}")
    page.click("main a:has-text('Participants')")
    page.click(f"li:has-text('{pending.user.full_name}') button[name=decision][value=approve]")
    page.wait_for_selector(".message--success")
    page.click("text=Place all accepted meetings into slots")
    page.wait_for_selector(".message--success:has-text('Schedule made')")

    pending.refresh_from_db()
    meetings = list(event.meetings.select_related("slot"))
    assert pending.state == RegistrationState.APPROVED
    assert meetings and all(m.slot_id is not None for m in meetings)
    assert page.inner_text(".message--success").startswith(
        f"Schedule made: {len(meetings)} meetings in slots, 0 could not be placed."
    )
