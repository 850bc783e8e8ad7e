"""A lead manager's draft survives leaving at once and an expired session: text typed and
left by clicking a link is saved, and text typed after the session expired is kept, announced
and saved once they have signed in again."""

import pytest
from django.contrib.sessions.models import Session

from partnerships.models import ExpressionOfInterest
from tests.browser.session import log_in
from tests.factories import PASSWORD, ExpressionFactory, managed_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(page):
    lead, manager = managed_organisation("Mobility Valley Bavaria", "DE")
    expression = ExpressionFactory(lead=lead, title="Clean mobility", objectives="")
    log_in(page, manager.email)
    page.goto(f"/expressions/{expression.pk}/edit/")
    return expression, manager


def test_text_typed_then_left_by_a_link_at_once_is_there_on_coming_back(page, draft):
    expression, _manager = draft

    page.locator("#id_objectives").press_sequentially("Joint market entry in Asia")
    page.click("text=Back to the expression")
    page.wait_for_url(f"**/expressions/{expression.pk}/")
    page.goto(f"/expressions/{expression.pk}/edit/")

    assert page.input_value("#id_objectives") == "Joint market entry in Asia"
    expression.refresh_from_db()
    assert expression.objectives == "Joint market entry in Asia"


def test_text_typed_while_typing_is_saved_without_leaving_the_field(page, draft):
    expression, _manager = draft

    page.locator("#id_objectives").press_sequentially("Pilot lines")
    page.wait_for_selector("#autosave-status:has-text('Saved at')")

    expression.refresh_from_db()
    assert expression.objectives == "Pilot lines"


def test_text_typed_after_the_session_expired_is_kept_and_saved_after_signing_in(page, draft):
    expression, manager = draft
    Session.objects.all().delete()

    page.locator("#id_objectives").press_sequentially("Typed after expiry")
    status = page.locator("#autosave-status")
    status.get_by_text("Signed out: sign in to save.").wait_for()
    expression.refresh_from_db()
    assert expression.objectives == ""

    status.get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/accounts/login/?next=*")
    page.fill("input[name=login]", manager.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/expressions/{expression.pk}/edit/")
    page.wait_for_selector("#autosave-status:has-text('Saved at')")

    assert page.input_value("#id_objectives") == "Typed after expiry"
    assert ExpressionOfInterest.objects.get().objectives == "Typed after expiry"


def test_a_draft_saved_by_its_button_after_expiry_is_saved_once_signed_in_again(page, draft):
    expression, manager = draft
    Session.objects.all().delete()

    page.fill("#id_title", "Clean mobility 2030")
    page.click("button:has-text('Save draft')")
    page.wait_for_url("**/accounts/login/?next=*")
    page.fill("input[name=login]", manager.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/expressions/{expression.pk}/edit/")
    page.wait_for_selector("#autosave-status:has-text('Saved at')")

    assert page.input_value("#id_title") == "Clean mobility 2030"
    assert ExpressionOfInterest.objects.get().title == "Clean mobility 2030"


def test_the_draft_form_fits_a_phone_screen(page, draft):
    page.set_viewport_size({"width": 390, "height": 844})

    assert page.evaluate("document.documentElement.scrollWidth") == 390
