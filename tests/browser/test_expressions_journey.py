"""A lead manager drafts an expression of interest (autosaved), invites partners from two
other countries, they confirm in their own sessions, and the lead submits."""

import pytest

from partnerships.enums import ExpressionState
from partnerships.models import ExpressionOfInterest
from tests.browser.session import log_in
from tests.factories import (
    CallFactory,
    managed_organisation,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_drafts_invites_partners_who_confirm_and_submits(page, browser, live_server):
    call = CallFactory(title="Going International")
    lead, lead_manager = managed_organisation("Mobility Valley Bavaria", "DE")
    _lyon, lyon_manager = managed_organisation("Lyon Urban Trucks", "FR")
    _turin, turin_manager = managed_organisation("Torino Wireless", "IT")

    log_in(page, lead_manager.email)
    page.goto("/calls/")
    page.click("text=Going International")
    page.fill("#id_title", "Clean mobility to Asia")
    page.click("text=Start a draft")
    page.wait_for_url("**/edit/")
    assert "Brussels time" in page.inner_text("main")

    # Typing then leaving the field saves the draft through HTMX, without a page load.
    page.fill("#id_objectives", "Joint market entry for electric trucks")
    page.locator("#id_objectives").blur()
    page.wait_for_selector("#autosave-status:has-text('Saved at')")
    expression = ExpressionOfInterest.objects.get()
    assert expression.objectives == "Joint market entry for electric trucks"

    page.goto(expression.get_absolute_url())
    for name in ("Lyon Urban Trucks", "Torino Wireless"):
        page.fill("#id_name", name)
        page.click("button:has-text('Invite')")
        page.wait_for_selector(f"main tr:has-text('{name}'):has-text('Invited')")

    for manager in (lyon_manager, turin_manager):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        partner_page = context.new_page()
        log_in(partner_page, manager.email)
        partner_page.goto("/dashboard/")
        partner_page.click("text=Clean mobility to Asia")
        partner_page.click("text=Confirm the partnership")
        partner_page.wait_for_selector("text=You have confirmed the partnership.")
        context.close()

    page.goto(expression.get_absolute_url())
    assert "Every eligibility rule of the call is met." in page.inner_text("main")
    page.click("main button:text-is('Submit')")
    page.wait_for_selector("text=Submitted. You may withdraw it until the deadline.")

    expression.refresh_from_db()
    assert expression.state == ExpressionState.SUBMITTED
    assert call.expressions.get() == expression
    assert lead.led_expressions.get() == expression
