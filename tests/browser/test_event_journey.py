"""A partner finds an event, registers, asks for a meeting; the other side accepts and books."""

import datetime as dt

import icalendar
import pytest

from events.enums import EventType
from events.models import Meeting
from tests.browser.session import log_in
from tests.factories import (
    CountryFactory,
    EmergingIndustryFactory,
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
    SectoralIndustryFactory,
    SlotFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_registers_requests_meeting_and_slot_shows_in_agenda(page, browser, live_server):
    starts = dt.date.today() + dt.timedelta(days=40)
    event = EventFactory(
        title="Pollutec Lyon",
        type=EventType.TRADE_FAIR,
        country=CountryFactory(code="FR"),
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=2),
        time_zone="Europe/Paris",
    )
    EventFactory(title="Online blue growth", type=EventType.ONLINE)
    slot = SlotFactory(
        event=event,
        starts_at=dt.datetime.combine(starts, dt.time(8, 0), tzinfo=dt.UTC),
        ends_at=dt.datetime.combine(starts, dt.time(8, 30), tzinfo=dt.UTC),
    )
    # Both declare blue growth from different sectors: a cross-sectoral pair the engine lists.
    blue = EmergingIndustryFactory(slug="blue-growth", name="Blue Growth")
    water = SectoralIndustryFactory(slug="water", name="Water")
    environment = SectoralIndustryFactory(slug="environment", name="Environmental services")
    blue.sectoral_industries.set([water, environment])
    brasil = OrganisationFactory(
        name="Cluster Água Brasil", sectoral_industries=[water], emerging_industries=[blue]
    )
    axelera = OrganisationFactory(
        name="Axelera", sectoral_industries=[environment], emerging_industries=[blue]
    )
    bob = RegistrationFactory(event=event, user__full_name="Bruno Costa", organisation=brasil)
    alice = MembershipFactory(user__full_name="Alice Martin", organisation=axelera)

    # Alice browses, filters and registers.
    log_in(page, alice.user.email)
    page.goto("/events/")
    page.select_option("#id_type", "trade_fair")
    # The results update in place and the address keeps the filter.
    page.wait_for_url("**type=trade_fair**")
    assert page.locator("#event-results h3").all_inner_texts() == ["Pollutec Lyon"]
    assert page.inner_text("#event-count") == "1 event found"
    page.click("text=Pollutec Lyon")
    page.click("main a:text('Register')")
    page.fill("#id_offer", "Water reuse pilots")
    page.click("main button[type=submit]")
    assert "You are registered." in page.inner_text(".messages")

    # The event page suggests Bruno, and she asks him for a meeting from there.
    page.click("#event-suggestions a:text('Request a meeting with Bruno Costa')")
    page.fill("#id_message", "Shall we talk about water reuse in São Paulo?")
    page.click("main button[type=submit]")
    assert "Your meeting request is sent." in page.inner_text(".messages")

    # Bruno accepts and books the slot.
    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    bob_page = other.new_page()
    log_in(bob_page, bob.user.email)
    bob_page.goto(f"/events/{event.pk}/agenda/")
    bob_page.click("#agenda button:text('Accept')")
    bob_page.click("#agenda a:text('Book a slot')")
    bob_page.select_option("#id_slot", str(slot.pk))
    bob_page.click("main button:text('Book')")
    assert "The meeting is booked" in bob_page.inner_text(".messages")
    other.close()

    # Alice sees it in her agenda and in her calendar file.
    page.goto(f"/events/{event.pk}/agenda/")
    row = page.inner_text("#agenda tbody tr")
    local = slot.starts_at.astimezone(event.zone).strftime("%H:%M")
    assert local in row and "Bruno Costa" in row and "Accepted" in row
    feed = page.request.get(f"/events/{event.pk}/agenda.ics")
    [component] = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    assert component.decoded("dtstart") == slot.starts_at
    assert Meeting.objects.get().table == 1
