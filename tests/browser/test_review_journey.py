"""Staff publish a call; a lead manager submits an expression with partners from three
countries who confirm; staff check eligibility and assign reviewers, who score alone; the
moderator writes the consensus; the ranking is shown; decisions are released together and
the e-mails wait in the outbox until staff send them."""

import pytest
from django.core import mail

from partnerships.enums import CallState, ExpressionState, OutboxState, ReviewState
from partnerships.models import ExpressionOfInterest, OutboxMessage, Review
from tests.browser.session import log_in
from tests.factories import (
    CallFactory,
    StaffFactory,
    managed_organisation,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_admin_action(page, changelist, pk, action):
    page.goto(changelist)
    page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def test_call_is_reviewed_ranked_decided_and_mailed(page, browser, live_server):
    call = CallFactory(title="Going International", state=CallState.DRAFT, budget=600_000)
    criterion = call.criteria.get()
    manager = StaffFactory(full_name="Clara Commission", is_superuser=True)
    reviewers = [StaffFactory(full_name=name) for name in ("Rita Reviewer", "Remy Reviewer")]
    _lead, lead_manager = managed_organisation("Mobility Valley Bavaria", "DE")
    _lyon, lyon_manager = managed_organisation("Lyon Urban Trucks", "FR")
    _turin, turin_manager = managed_organisation("Torino Wireless", "IT")

    def other_session(user):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        other = context.new_page()
        log_in(other, user.email)
        return context, other

    # Staff publish the call.
    log_in(page, manager.email)
    run_admin_action(page, "/admin/partnerships/call/", call.pk, "open_calls")
    page.wait_for_selector("text=1 call is now “Open”.")

    # The lead manager drafts, invites two partners who confirm, and submits.
    lead_context, lead_page = other_session(lead_manager)
    lead_page.goto(call.get_absolute_url())
    lead_page.fill("#id_title", "Clean mobility to Asia")
    lead_page.click("text=Start a draft")
    lead_page.wait_for_url("**/edit/")
    expression = ExpressionOfInterest.objects.get()
    lead_page.goto(expression.get_absolute_url())
    for name in ("Lyon Urban Trucks", "Torino Wireless"):
        lead_page.fill("#id_name", name)
        lead_page.click("button:has-text('Invite')")
        lead_page.wait_for_selector(f"main tr:has-text('{name}'):has-text('Invited')")
    for partner_manager in (lyon_manager, turin_manager):
        context, partner_page = other_session(partner_manager)
        partner_page.goto(expression.get_absolute_url())
        partner_page.click("text=Confirm the partnership")
        partner_page.wait_for_selector("text=You have confirmed the partnership.")
        context.close()
    lead_page.goto(expression.get_absolute_url())
    lead_page.click("main button:text-is('Submit')")
    lead_page.wait_for_selector("text=Submitted. You may withdraw it until the deadline.")
    lead_context.close()

    # Staff check eligibility, build the pool (moderating themselves) and assign two reviewers.
    run_admin_action(
        page, "/admin/partnerships/expressionofinterest/", expression.pk, "mark_eligible"
    )
    page.wait_for_selector("text=1 expression is now “Eligible”.")
    page.goto(call.get_absolute_url())
    page.click("text=Review: reviewers, assignments, ranking and decisions")
    for person, moderator in ((manager, True), *((r, False) for r in reviewers)):
        page.select_option("#id_user", str(person.pk))
        page.set_checked("#id_is_moderator", moderator)
        page.click("button:has-text('Add to the pool')")
        page.wait_for_selector(f"text={person.full_name} is in the reviewer pool.")
    page.fill("#id_per_expression", "2")
    page.click("button:has-text('Assign reviewers')")
    page.wait_for_selector("text=2 assignments made.")

    # Each reviewer scores alone and sees the other review only after submitting.
    for reviewer, score in zip(reviewers, ("4.5", "3.5"), strict=True):
        context, reviewer_page = other_session(reviewer)
        reviewer_page.click("header >> text=My reviews")
        reviewer_page.click("text=Clean mobility to Asia")
        assert "credible plan" not in reviewer_page.inner_text("main")
        reviewer_page.fill(f"#id_score_{criterion.pk}", score)
        reviewer_page.fill(f"#id_comment_{criterion.pk}", f"{reviewer.full_name}: credible plan")
        # The draft saves itself (HTMX) and the form takes the new version.
        reviewer_page.locator(f"#id_comment_{criterion.pk}").blur()
        reviewer_page.wait_for_selector("#autosave-status:has-text('Saved at')")
        assert reviewer_page.input_value("#id_version") == "2"
        reviewer_page.click("button:has-text('Submit my review')")
        reviewer_page.wait_for_selector("text=Your review is submitted.")
        others = reviewer_page.inner_text("main")
        context.close()
    assert "Rita Reviewer: credible plan" in others
    assert set(Review.objects.values_list("state", flat=True)) == {ReviewState.SUBMITTED}

    # The moderator writes the consensus; the ranking shows it.
    page.click("text=Ranking, stage 1")
    page.click("main a:text-is('Consensus')")
    page.fill(f"#id_score_{criterion.pk}", "4")
    page.fill(f"#id_comment_{criterion.pk}", "The panel agrees: a strong consortium.")
    page.click("button:has-text('Save the consensus')")
    page.wait_for_selector("text=The consensus on “Clean mobility to Asia” is saved.")
    row = page.inner_text("main table.ranking tbody tr")
    assert "Clean mobility to Asia" in row
    assert "Passes" in row
    assert "4.00" in row

    # Decisions are proposed from the ranking, released together, and e-mailed from the outbox.
    page.click("button:has-text('Propose decisions from the ranking')")
    page.wait_for_selector("text=1 pending decision recorded from the ranking.")
    expression.refresh_from_db()
    assert expression.state == ExpressionState.ELIGIBLE
    page.click("button:has-text('Release 1 pending decision')")
    page.wait_for_selector("text=1 decision released.")
    expression.refresh_from_db()
    assert expression.state == ExpressionState.SELECTED
    recipients = {lead_manager.email, lyon_manager.email, turin_manager.email}
    assert set(OutboxMessage.objects.values_list("to", flat=True)) == recipients
    page.click("summary >> nth=0")
    assert "has concluded: Selected." in page.inner_text("main .outbox")
    sent_before = len(mail.outbox)
    page.click("button:has-text('Send all waiting messages')")
    page.wait_for_selector("text=3 e-mails sent.")
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {OutboxState.SENT}
    assert {tuple(m.to) for m in mail.outbox[sent_before:]} == {(e,) for e in recipients}
