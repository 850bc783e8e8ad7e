"""Manager A publishes a partner search for a call; manager B finds it on the board and
expresses interest; A sees B among the interested organisations and turns it into a partner of
a draft expression of interest in one step; B finds the invitation on its dashboard."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone

from partnerships.enums import PartnerSearchState, PartnerState
from partnerships.models import PartnerSearch
from tests.browser.session import log_in
from tests.browser.test_accessibility import blocking_findings
from tests.factories import (
    CallFactory,
    PartnerSearchFactory,
    PartnerSearchInterestFactory,
    managed_organisation,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_interest_and_consortium_in_one_step(page, browser, live_server):
    CallFactory(title="Going International")
    lead, lead_manager = managed_organisation("Mobility Valley Bavaria", "DE")
    partner, partner_manager = managed_organisation("Lyon Urban Trucks", "FR")
    deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat()

    log_in(page, lead_manager.email)
    page.goto("/partner-searches/new/")
    page.fill("#id_title", "Electric trucks for Asian markets")
    page.fill("#id_description", "We look for clusters with truck makers ready to export.")
    page.select_option("#id_call", label="Going International")
    page.fill("#id_deadline", deadline)
    page.click("button:has-text('Save and publish')")
    page.wait_for_selector("text=Your search is on the board.")
    search = PartnerSearch.objects.get()
    assert search.state == PartnerSearchState.PUBLISHED

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    other = context.new_page()
    log_in(other, partner_manager.email)
    other.goto("/partner-searches/")
    other.fill("#id_q", "trucks")
    other.wait_for_selector("#board-count:has-text('1 partner search found')")
    other.click("text=Electric trucks for Asian markets")
    other.fill("#id_brings", "Forty SMEs building electric drivetrains.")
    other.click("button:has-text('Send our interest')")
    # HTMX swaps the card in place: no page load, the answer is confirmed where it was typed.
    other.wait_for_selector("#search-interest:has-text('interest is sent')")
    assert search.interests.get().organisation == partner

    page.goto(f"/partner-searches/{search.pk}/interests/")
    assert "Forty SMEs building electric drivetrains." in page.inner_text("main")
    page.wait_for_selector("#interest-reasons:has-text('How they fit your search')")
    page.check("label:has-text('Lyon Urban Trucks') >> input")
    sent_before = len(mail.outbox)
    page.click("button:has-text('Invite into the consortium')")
    page.wait_for_selector("text=1 organisation is invited into")
    expression = lead.led_expressions.get()
    assert expression.partners.get().organisation == partner
    assert expression.partners.get().state == PartnerState.INVITED
    assert [m.to for m in mail.outbox[sent_before:]] == [[partner_manager.email]]

    other.goto("/dashboard/")
    other.click("text=Electric trucks for Asian markets")
    other.wait_for_url("**/expressions/*/")
    other.click("text=Confirm the partnership")
    other.wait_for_selector("text=You have confirmed the partnership.")
    context.close()
    assert expression.partners.get().state == PartnerState.CONFIRMED


@pytest.mark.parametrize("width", [1366, 390])
def test_partner_search_pages_have_no_serious_accessibility_finding(page, width):
    lead, lead_manager = managed_organisation("Mobility Valley Bavaria", "DE")
    partner, partner_manager = managed_organisation("Lyon Urban Trucks", "FR")
    search = PartnerSearchFactory(
        author=lead, call=CallFactory(title="Going International"), title="Electric trucks"
    )
    PartnerSearchInterestFactory(search=search, organisation=partner)
    PartnerSearchFactory(title="Another search")
    page.set_viewport_size({"width": width, "height": 900})
    axe = Axe()

    log_in(page, lead_manager.email)
    findings = []
    for path in (
        "/partner-searches/",
        "/partner-searches/new/",
        search.get_absolute_url(),
        f"/partner-searches/{search.pk}/interests/",
        "/partner-searches/mine/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        findings += blocking_findings(page, axe)
        # Nothing wider than the screen: a phone scrolls down, never sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    page.context.clear_cookies()
    log_in(page, partner_manager.email)
    page.goto(search.get_absolute_url())
    findings += blocking_findings(page, axe)

    assert findings == []
