"""A member of staff who put themself in a call's reviewer pool still runs its review: from
the call page to the overview, the ranking, the decisions and the outbox. A manager sent to
the review page is told why not, and the page links back to the call."""

import pytest
from django.utils import timezone

from partnerships.enums import CallState, ExpressionState
from tests.browser.session import log_in
from tests.factories import (
    CallFactory,
    CallReviewerFactory,
    ExpressionFactory,
    StaffFactory,
    managed_organisation,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_reviewer_walks_the_review_and_a_manager_is_told_why_not(page):
    call = CallFactory(title="Going International", state=CallState.IN_EVALUATION)
    lead, manager = managed_organisation("Mobility Valley Bavaria", "DE")
    ExpressionFactory(
        call=call,
        lead=lead,
        title="Trucks to Japan",
        state=ExpressionState.ELIGIBLE,
        submitted_at=timezone.now(),
    )
    sven = StaffFactory(full_name="Sven Staff")
    CallReviewerFactory(call=call, user=sven)

    log_in(page, sven.email)
    page.goto(call.get_absolute_url())
    page.click("text=Review: reviewers, assignments, ranking and decisions")
    assert page.inner_text("h1") == "Review of Going International"
    page.click("main a:has-text('Ranking')")
    assert page.inner_text("main th[scope=row]").startswith("Trucks to Japan")
    page.go_back()
    page.click("main a:has-text('Decisions')")
    assert page.inner_text("h1") == "Decisions on Going International, stage 1"
    page.goto(f"/calls/{call.pk}/review/outbox/")
    assert page.inner_text("h1") == "Outbox of Going International"

    page.context.clear_cookies()
    log_in(page, manager.email)
    page.goto(call.get_absolute_url())
    page.evaluate(f"window.location.href = '/calls/{call.pk}/review/'")
    page.wait_for_selector("h1:has-text('Access denied')")
    assert page.inner_text("main p.lead") == (
        "Only Commission staff manage the review of a call: its reviewer pool, assignments, "
        "ranking, decisions and outbox."
    )
    page.click("text=Back to the page you came from")
    page.wait_for_url(f"**{call.get_absolute_url()}")
    assert page.inner_text("h1") == "Going International"
