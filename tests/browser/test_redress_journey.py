"""The lead reads its Evaluation Summary Report, complains, and staff answer the complaint."""

import pytest
from django.utils import timezone

from partnerships.enums import ComplaintState, DecisionState, ExpressionState
from partnerships.models import Complaint, ConsensusScore, Decision
from tests.browser.session import log_in
from tests.factories import ExpressionFactory, MembershipFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_reads_the_report_complains_and_staff_uphold(page):
    expression = ExpressionFactory(title="Alpine Hydrogen Valleys", state=ExpressionState.REJECTED)
    criterion = expression.call.criteria.get()
    moderator = StaffFactory(full_name="Moritz Moderator")
    ConsensusScore.objects.create(
        expression=expression,
        criterion=criterion,
        score=2,
        comment="The work plan lacks milestones.",
        by=moderator,
    )
    Decision.objects.create(
        expression=expression,
        stage=1,
        outcome=ExpressionState.REJECTED,
        state=DecisionState.RELEASED,
        recorded_by=moderator,
        released_by=moderator,
        released_at=timezone.now(),
    )
    lead = MembershipFactory(organisation=expression.lead).user
    staff = StaffFactory(full_name="Sven Staff")

    log_in(page, lead.email)
    page.goto(expression.get_absolute_url())
    page.click("text=Read the Evaluation Summary Report")
    assert page.locator("h1").inner_text() == "Evaluation Summary Report"
    assert page.locator("text=The work plan lacks milestones.").count() == 1
    assert page.locator("text=Moritz").count() == 0
    pdf = page.request.get(page.locator("text=Download as PDF").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"

    page.click("text=Lodge the complaint")
    assert page.locator("text=This field is required.").count() == 1
    page.fill("#id_text", "Our milestones are in annex 2, which the panel did not read.")
    page.click("text=Lodge the complaint")
    page.wait_for_selector("text=Your complaint is lodged")

    page.context.clear_cookies()
    log_in(page, staff.email)
    page.goto("/staff/complaints/")
    complaint = Complaint.objects.get()
    row = page.locator(f"#complaint-row-{complaint.pk}")
    assert row.locator("text=annex 2").count() == 1
    row.locator("input[value=upheld]").check()
    row.locator(f"#id_complaint-{complaint.pk}-reason").fill("The annex is re-read by a new panel.")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("text=The outcome is recorded")

    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.UPHELD
