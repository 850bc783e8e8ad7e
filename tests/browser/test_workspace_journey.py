"""An organiser sets up a two-day hybrid event outside the admin, validates one participant
of their running event and refuses another with a reason, exports the list, writes to the
validated ones and watches the live dashboard."""

import datetime as dt

import pytest

from events.enums import EventFormat, RegistrationState
from events.models import Event, EventMailing
from tests.browser.session import log_in
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organiser_sets_up_a_hybrid_event_and_validates_participants(page):
    organiser = UserFactory(full_name="Olga Organiser")
    running = EventFactory(organiser=organiser, title="Battery days", requires_approval=True)
    ada = RegistrationFactory(
        event=running, user=UserFactory(full_name="Ada Lovelace"), state=RegistrationState.PENDING
    )
    bob = RegistrationFactory(
        event=running, user=UserFactory(full_name="Bob Builder"), state=RegistrationState.PENDING
    )
    first = dt.date.today() + dt.timedelta(days=60)
    second = first + dt.timedelta(days=1)

    log_in(page, organiser.email)
    page.goto("/events/organise/")
    page.click("text=Set up a new event")
    page.fill("#id_title", "Green Expo matchmaking")
    page.select_option("#id_type", "conference")
    page.select_option("#id_format", "hybrid")
    page.fill("#id_starts_on", first.isoformat())
    page.fill("#id_ends_on", second.isoformat())
    page.select_option("#id_time_zone", "Europe/Paris")
    page.fill("#id_online_url", "https://meet.example.eu/green-expo")
    for row, (day, start, end) in enumerate(
        [(first, "09:00", "12:00"), (first, "14:00", "16:00"), (second, "09:00", "11:00")]
    ):
        page.fill(f"#id_windows-{row}-day", day.isoformat())
        page.fill(f"#id_windows-{row}-start", start)
        page.fill(f"#id_windows-{row}-end", end)
    page.fill("#id_capacity", "80")
    page.check("#id_requires_approval")
    page.click("main button[type=submit]")
    page.wait_for_selector(".message--success:has-text('The event is set up')")

    created = Event.objects.get(title="Green Expo matchmaking")
    assert (created.format, created.organiser, created.capacity) == (
        EventFormat.HYBRID,
        organiser,
        80,
    )
    assert created.slots.count() == 14

    page.goto("/events/organise/")
    page.click("text=Battery days")
    page.click(f"#registration-{ada.pk} button[value=approve]")
    page.wait_for_selector(".message--success:has-text('Ada Lovelace: Approved')")
    page.click(f"#registration-{bob.pk} button[value=reject]")
    page.wait_for_selector(".message--error:has-text('Say why you refuse')")
    page.fill(f"#reason-{bob.pk}", "This event is for battery makers.")
    page.click(f"#registration-{bob.pk} button[value=reject]")
    page.wait_for_selector(".message--success:has-text('Bob Builder: Rejected')")

    page.select_option("#id_state", "approved")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("#participant-count:has-text('1 participant')")
    with page.expect_download() as download:
        page.click("text=Export Excel")
    assert download.value.suggested_filename == f"participants-{running.pk}.xlsx"
    page.click("text=Write to these participants")
    page.wait_for_selector("#recipient-count:has-text('goes to 1 participant')")
    page.fill("#id_subject", "Your badge")
    page.fill("#id_body", "Collect it at the desk from 8:30.")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_selector(".message--success:has-text('on its way to 1 participant.')")
    page.click(".workspace-nav >> text=Live dashboard")
    page.wait_for_selector("#figure-held")

    ada.refresh_from_db()
    bob.refresh_from_db()
    assert ada.state == RegistrationState.APPROVED
    assert (bob.state, bob.decision_reason) == (
        RegistrationState.REJECTED,
        "This event is for battery makers.",
    )
    assert EventMailing.objects.get().recipient_count == 1
