"""A participant marks a slot busy, asks another for a meeting at two times they are both
free; the other picks one in their agenda, and the meeting is booked there; the asker makes
a calendar address their calendar app can subscribe to without a session."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from events.enums import MeetingState
from events.models import Meeting
from tests.browser.session import log_in
from tests.factories import EventFactory, RegistrationFactory, SlotFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_participants_agree_on_a_proposed_time(page, client):
    event = EventFactory(title="Pollutec meetings", tables=4)
    busy, first, second = (SlotFactory(event=event) for _ in range(3))
    alice = RegistrationFactory(event=event, user=UserFactory(full_name="Alice Asker"))
    bob = RegistrationFactory(event=event, user=UserFactory(full_name="Bob Busy"))

    log_in(page, bob.user.email)
    page.goto(f"/events/{event.pk}/availability/")
    page.uncheck(f"input[name=available][value='{busy.pk}']")
    page.click("text=Save my availability")
    page.wait_for_selector(".message--success:has-text('Your availability is saved.')")
    page.context.clear_cookies()

    log_in(page, alice.user.email)
    page.goto(f"/events/{event.pk}/participants/{bob.pk}/request/")
    assert page.locator(f"input[name=slots][value='{busy.pk}']").count() == 0
    page.fill("#id_message", "Water treatment pilots?")
    page.check(f"input[name=slots][value='{first.pk}']")
    page.check(f"input[name=slots][value='{second.pk}']")
    page.click("main button[type=submit]")
    page.wait_for_selector(".message--success:has-text('Your meeting request is sent.')")
    page.click("text=Make my calendar address")
    feed = page.input_value("#feed-url")
    page.context.clear_cookies()

    log_in(page, bob.user.email)
    page.goto(f"/events/{event.pk}/agenda/")
    page.check(f"input[name=slot][value='{second.pk}']")
    page.click("#agenda button[value=accept]")
    page.wait_for_selector(".message--success:has-text('Your answer is sent.')")

    meeting = Meeting.objects.get()
    assert (meeting.state, meeting.slot) == (MeetingState.ACCEPTED, second)
    local = timezone.localtime(second.starts_at, event.zone)
    assert local.strftime("%H:%M") in page.inner_text("#agenda")
    body = client.get(urlsplit(feed).path).content.decode()
    assert "Bob Busy" in body
