import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from partnerships import services
from partnerships.enums import DecisionState, ExpressionState, PartnerState
from partnerships.management.commands.create_demo_users import STAFF
from partnerships.models import (
    Call,
    ConsensusScore,
    Decision,
    EvaluationCriterion,
    OutboxMessage,
    ReviewScore,
    User,
)
from partnerships.queries import stage_ranking, summary_report
from partnerships.summary_pdf import render_summary_pdf
from tests.factories import (
    CallFactory,
    ExpressionFactory,
    ExpressionPartnerFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)
from tests.partnerships.test_seed_partnerships import demo_organisations

pytestmark = pytest.mark.django_db


def pdf_text(data):
    """The text a reader of the PDF sees, as a PDF reader extracts it."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def released_decision(*, comment="The panel finds the plan convincing.", score=Decimal("4.5")):
    call = CallFactory(title="Summary Call")
    criterion = call.criteria.get()
    expression = ExpressionFactory(
        call=call, title="Summary Consortium", state=ExpressionState.REJECTED
    )
    moderator = StaffFactory(full_name="Moritz Moderator")
    ConsensusScore.objects.create(
        expression=expression, criterion=criterion, score=score, comment=comment, by=moderator
    )
    decision = Decision.objects.create(
        expression=expression,
        stage=1,
        outcome=ExpressionState.REJECTED,
        reason="Below the threshold on one criterion.",
        state=DecisionState.RELEASED,
        recorded_by=moderator,
        released_by=moderator,
    )
    return decision, criterion


def test_summary_report_has_consensus_score_threshold_and_comment_per_criterion():
    decision, criterion = released_decision()

    report = summary_report(decision)

    assert [(c.name, c.score, c.threshold, c.comment, c.passed) for c in report.criteria] == [
        (
            criterion.name,
            Decimal("4.5"),
            criterion.pass_mark,
            "The panel finds the plan convincing.",
            True,
        )
    ]
    assert report.outcome == "Rejected"


def test_a_criterion_without_consensus_shows_no_score():
    decision, criterion = released_decision()
    EvaluationCriterion.objects.create(call=decision.expression.call, name="Impact", order=5)

    report = summary_report(decision)

    assert [(c.name, c.score, c.passed) for c in report.criteria] == [
        (criterion.name, Decimal("4.5"), True),
        ("Impact", None, False),
    ]
    assert report.total is None


def test_the_lead_reads_the_report_and_its_pdf(client):
    decision, criterion = released_decision()
    manager = MembershipFactory(organisation=decision.expression.lead).user
    client.force_login(manager)

    page = client.get(reverse("partnerships:summary-report", args=[decision.pk]))
    pdf = client.get(reverse("partnerships:summary-report-pdf", args=[decision.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "The panel finds the plan convincing." in html
    assert "Moritz" not in html
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert "The panel finds the plan convincing." in pdf_text(pdf.content)
    assert "Moritz" not in pdf_text(pdf.content)


def test_a_partner_manager_and_a_stranger_do_not_see_the_report(client):
    decision, _ = released_decision()
    partner = ExpressionPartnerFactory(expression=decision.expression, state=PartnerState.CONFIRMED)
    partner_manager = MembershipFactory(organisation=partner.organisation).user

    for user in (partner_manager, UserFactory()):
        client.force_login(user)
        response = client.get(reverse("partnerships:summary-report", args=[decision.pk]))
        assert response.status_code == 404


def test_a_pending_decision_has_no_report_yet(client):
    decision, _ = released_decision()
    Decision.objects.filter(pk=decision.pk).update(state=DecisionState.PENDING)
    client.force_login(MembershipFactory(organisation=decision.expression.lead).user)

    response = client.get(reverse("partnerships:summary-report", args=[decision.pk]))

    assert response.status_code == 404


def test_the_pdf_prints_every_european_letter_as_written():
    decision, _ = released_decision(comment="Współpraca łączy Kraków i Győr – “solid”.")

    text = pdf_text(render_summary_pdf(summary_report(decision)))

    assert "Współpraca łączy Kraków i Győr – “solid”." in text


@pytest.fixture
def released_demo_call():
    demo_organisations(60)
    call_command("create_demo_users", stdout=io.StringIO())
    call_command("seed_review", stdout=io.StringIO())
    call = Call.objects.get(reference="escp-s3-2026")
    staff = User.objects.get(email=STAFF.email)
    services.propose_decisions(call, stage=1, ranking=stage_ranking(call, 1), by=staff)
    services.release_decisions(call, stage=1, by=staff)
    return call


def test_no_summary_report_of_the_demo_call_names_a_reviewer_or_gives_an_individual_score(
    client, released_demo_call
):
    call = released_demo_call
    reviewers = list(User.objects.filter(review_assignments__expression__call=call).distinct()) + [
        reviewer.user for reviewer in call.reviewers.select_related("user")
    ]
    names = {
        value
        for user in reviewers
        for value in (user.full_name, user.email, user.get_short_name())
        if value
    }
    individual_comments = set(
        ReviewScore.objects.filter(review__assignment__expression__call=call)
        .exclude(comment="")
        .values_list("comment", flat=True)
    )
    decisions = list(Decision.objects.filter(expression__call=call, state=DecisionState.RELEASED))
    assert len(decisions) > 0
    assert len(names) >= 8
    assert len(individual_comments) > 0

    for decision in decisions:
        # Demo organisations have no managers; one is added, as the lead's reader.
        lead_manager = MembershipFactory(organisation=decision.expression.lead).user
        client.force_login(lead_manager)
        html = client.get(reverse("partnerships:summary-report", args=[decision.pk])).content
        pdf = client.get(reverse("partnerships:summary-report-pdf", args=[decision.pk])).content
        for text in (html.decode(), pdf_text(pdf)):
            assert [name for name in names if name in text] == []
            assert [c for c in individual_comments if c in text] == []
        report = summary_report(decision)
        consensus = dict(
            ConsensusScore.objects.filter(expression=decision.expression).values_list(
                "criterion__name", "score"
            )
        )
        assert {c.name: c.score for c in report.criteria if c.score is not None} == consensus


def test_the_decision_message_links_the_report_for_the_lead_only():
    decision, _ = released_decision()
    expression = decision.expression
    Decision.objects.filter(pk=decision.pk).delete()
    expression.state = ExpressionState.ELIGIBLE
    expression.save(update_fields=["state"])
    lead_manager = MembershipFactory(organisation=expression.lead).user
    partner = ExpressionPartnerFactory(expression=expression, state=PartnerState.CONFIRMED)
    partner_manager = MembershipFactory(organisation=partner.organisation).user
    staff = StaffFactory()
    services.record_decision(
        expression, stage=1, outcome=ExpressionState.REJECTED, by=staff, reason="Too weak."
    )

    services.release_decisions(expression.call, stage=1, by=staff)

    decision = Decision.objects.get(expression=expression)
    link = reverse("partnerships:summary-report", args=[decision.pk])
    bodies = dict(OutboxMessage.objects.values_list("recipient_id", "body"))
    assert link in bodies[lead_manager.pk]
    assert link not in bodies[partner_manager.pk]
