import datetime as dt
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerships.enums import (
    ConflictAction,
    ConflictRule,
    DecisionState,
    ExpressionState,
    OutboxState,
    PartnerState,
    ReviewState,
)
from partnerships.models import (
    CallStage,
    ConflictLogEntry,
    ConsensusScore,
    Decision,
    EvaluationCriterion,
    OutboxMessage,
    Review,
    ReviewAssignment,
    StrategicPartnership,
)
from partnerships.queries import stage_ranking
from partnerships.services import review as services
from tests.factories import (
    CallFactory,
    CallReviewerFactory,
    ConflictDeclarationFactory,
    CountryFactory,
    ExpressionFactory,
    ExpressionPartnerFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    ReviewAssignmentFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def organisation_in(code):
    return OrganisationFactory(region=RegionFactory(country=CountryFactory(code=code)))


def eligible_expression(call, *, lead_country="DE", partner_countries=("FR", "IT"), **fields):
    expression = ExpressionFactory(
        call=call,
        lead=organisation_in(lead_country),
        state=ExpressionState.ELIGIBLE,
        submitted_at=timezone.now(),
        **fields,
    )
    for code in partner_countries:
        ExpressionPartnerFactory(
            expression=expression, organisation=organisation_in(code), state=PartnerState.CONFIRMED
        )
    return expression


def pool(call, count, **fields):
    return [CallReviewerFactory(call=call, **fields).user for _ in range(count)]


def submit(review, reviewer, scores):
    services.save_review(
        review,
        scores={criterion.pk: (score, "Reasoned comment") for criterion, score in scores.items()},
        expected_version=review.version,
        by=reviewer,
    )
    return services.submit_review(review, by=reviewer)


# Conflicts of interest


def test_auto_assign_never_assigns_a_manager_of_a_consortium_organisation(staff):
    call = CallFactory()
    expression = eligible_expression(call)
    partner_org = expression.partners.first().organisation
    lead_manager, partner_manager, neutral = pool(call, 3)
    MembershipFactory(organisation=expression.lead, user=lead_manager)
    MembershipFactory(organisation=partner_org, user=partner_manager)

    report = services.auto_assign(call, stage=1, per_expression=3, by=staff)

    assert list(expression.review_assignments.values_list("reviewer", flat=True)) == [neutral.pk]
    assert report.created == 1
    assert report.short == [expression.title]
    log = set(ConflictLogEntry.objects.values_list("reviewer", "organisation", "rule", "action"))
    assert log == {
        (lead_manager.pk, expression.lead_id, ConflictRule.AFFILIATION, ConflictAction.SKIPPED),
        (partner_manager.pk, partner_org.pk, ConflictRule.AFFILIATION, ConflictAction.SKIPPED),
    }


def test_auto_assign_never_assigns_a_declared_conflict(staff):
    call = CallFactory()
    expression = eligible_expression(call)
    declared, neutral = pool(call, 2)
    ConflictDeclarationFactory(user=declared, organisation=expression.partners.last().organisation)

    services.auto_assign(call, stage=1, per_expression=2, by=staff)

    assert list(expression.review_assignments.values_list("reviewer", flat=True)) == [neutral.pk]
    assert ConflictLogEntry.objects.get().rule == ConflictRule.DECLARED


def test_same_country_rule_applies_only_when_the_call_switches_it_on(staff):
    call = CallFactory()
    expression = eligible_expression(call, lead_country="DE", partner_countries=("FR", "IT"))
    german = CallReviewerFactory(call=call, country=CountryFactory(code="DE")).user
    spanish = CallReviewerFactory(call=call, country=CountryFactory(code="ES")).user

    services.set_same_country_rule(call, enabled=True, by=staff)
    services.auto_assign(call, stage=1, per_expression=2, by=staff)

    assert list(expression.review_assignments.values_list("reviewer", flat=True)) == [spanish.pk]
    entry = ConflictLogEntry.objects.get()
    assert (entry.reviewer, entry.rule, entry.organisation) == (
        german,
        ConflictRule.SAME_COUNTRY,
        expression.lead,
    )

    services.set_same_country_rule(call, enabled=False, by=staff)
    services.auto_assign(call, stage=1, per_expression=2, by=staff)
    assert set(expression.review_assignments.values_list("reviewer", flat=True)) == {
        german.pk,
        spanish.pk,
    }


def test_manual_assignment_of_a_conflicted_reviewer_is_refused_and_logged(staff):
    call = CallFactory()
    expression = eligible_expression(call)
    (reviewer,) = pool(call, 1)
    MembershipFactory(organisation=expression.lead, user=reviewer)

    with pytest.raises(ValidationError) as error:
        services.assign_reviewer(expression, stage=1, reviewer=reviewer, by=staff)

    assert error.value.message_dict["reviewer"] == [
        f"{reviewer} has a conflict of interest: Manages a consortium organisation: "
        f"{expression.lead.name}."
    ]
    assert ReviewAssignment.objects.count() == 0
    entry = ConflictLogEntry.objects.get()
    assert (entry.action, entry.by, entry.reviewer) == (ConflictAction.REFUSED, staff, reviewer)


def test_manual_assignment_of_someone_outside_the_pool_is_refused(staff):
    call = CallFactory()
    expression = eligible_expression(call)
    outsider = StaffFactory()
    with pytest.raises(ValidationError) as error:
        services.assign_reviewer(expression, stage=1, reviewer=outsider, by=staff)
    assert error.value.message_dict == {"reviewer": [f"{outsider} is not a reviewer of this call."]}
    assert ReviewAssignment.objects.count() == 0


def test_declaring_a_conflict_withdraws_open_assignments_it_touches(staff):
    assignment = ReviewAssignmentFactory()
    CallReviewerFactory(call=assignment.expression.call, user=assignment.reviewer)

    services.declare_conflict(
        user=assignment.reviewer,
        organisation=assignment.expression.lead,
        reason="I chair its board",
        by=assignment.reviewer,
    )

    assert ReviewAssignment.objects.count() == 0
    assert ConflictLogEntry.objects.get().action == ConflictAction.WITHDRAWN


# Assignment load


def test_auto_assign_balances_the_load_and_respects_maximums(staff):
    call = CallFactory()
    expressions = [eligible_expression(call) for _ in range(4)]
    capped = CallReviewerFactory(call=call, max_load=1).user
    others = pool(call, 2)
    CallReviewerFactory(call=call, is_moderator=True)

    report = services.auto_assign(call, stage=1, per_expression=2, by=staff)

    loads = {
        user.pk: ReviewAssignment.objects.filter(reviewer=user).count()
        for user in [capped, *others]
    }
    assert loads == {capped.pk: 1, others[0].pk: 4, others[1].pk: 3}
    assert report.created == 8
    assert all(e.review_assignments.count() == 2 for e in expressions)
    assert Review.objects.count() == 8


def test_auto_assign_twice_adds_nothing(staff):
    call = CallFactory()
    eligible_expression(call)
    pool(call, 3)
    services.auto_assign(call, stage=1, per_expression=2, by=staff)
    report = services.auto_assign(call, stage=1, per_expression=2, by=staff)
    assert (report.created, ReviewAssignment.objects.count()) == (0, 2)


def test_auto_assign_skips_expressions_that_are_not_eligible(staff):
    call = CallFactory()
    ExpressionFactory(call=call, state=ExpressionState.SUBMITTED)
    pool(call, 2)
    assert services.auto_assign(call, stage=1, per_expression=2, by=staff).created == 0


# Scoring


def test_stale_save_is_refused_and_keeps_the_newer_version():
    assignment = ReviewAssignmentFactory()
    review, reviewer = assignment.review, assignment.reviewer
    criterion = assignment.expression.call.criteria.get()
    services.save_review(
        review, scores={criterion.pk: ("4", "First tab")}, expected_version=1, by=reviewer
    )

    with pytest.raises(services.StaleVersion):
        services.save_review(
            review, scores={criterion.pk: ("2", "Second tab")}, expected_version=1, by=reviewer
        )

    review.refresh_from_db()
    saved = review.scores.get()
    assert (review.version, saved.score, saved.comment) == (2, D("4.0"), "First tab")


def test_save_review_refuses_scores_off_the_scale():
    assignment = ReviewAssignmentFactory()
    criterion = assignment.expression.call.criteria.get()
    for bad in ("5.5", "-1", "3.3", "abc", "NaN"):
        with pytest.raises(ValidationError):
            services.save_review(
                assignment.review,
                scores={criterion.pk: (bad, "")},
                expected_version=1,
                by=assignment.reviewer,
            )
    assert assignment.review.scores.count() == 0


def test_only_the_assigned_reviewer_saves():
    assignment = ReviewAssignmentFactory()
    criterion = assignment.expression.call.criteria.get()
    with pytest.raises(ValidationError):
        services.save_review(
            assignment.review,
            scores={criterion.pk: ("3", "x")},
            expected_version=1,
            by=StaffFactory(),
        )


def test_submit_needs_a_score_and_comment_for_every_criterion():
    assignment = ReviewAssignmentFactory()
    call = assignment.expression.call
    excellence = call.criteria.get()
    impact = EvaluationCriterion.objects.create(call=call, name="Impact", pass_mark=2)
    services.save_review(
        assignment.review,
        scores={excellence.pk: ("4", "Good"), impact.pk: ("3", "")},
        expected_version=1,
        by=assignment.reviewer,
    )
    with pytest.raises(ValidationError) as error:
        services.submit_review(assignment.review, by=assignment.reviewer)
    assert error.value.messages == [
        "Give a score and a comment for every criterion before submitting: Impact."
    ]
    assignment.review.refresh_from_db()
    assert assignment.review.state == ReviewState.DRAFT


def test_a_submitted_review_is_final():
    assignment = ReviewAssignmentFactory()
    criterion = assignment.expression.call.criteria.get()
    review = submit(assignment.review, assignment.reviewer, {criterion: "4"})
    with pytest.raises(ValidationError):
        services.save_review(
            review,
            scores={criterion.pk: ("1", "x")},
            expected_version=review.version,
            by=assignment.reviewer,
        )
    with pytest.raises(ValidationError):
        services.unassign(assignment, by=StaffFactory())


def test_consensus_waits_for_every_review_and_detects_stale_saves():
    first = ReviewAssignmentFactory()
    expression = first.expression
    second = ReviewAssignmentFactory(expression=expression)
    criterion = expression.call.criteria.get()
    moderator = StaffFactory()
    submit(first.review, first.reviewer, {criterion: "4"})
    scores = {criterion.pk: ("3.5", "Agreed in the panel")}

    with pytest.raises(ValidationError) as error:
        services.set_consensus(
            expression, stage=1, scores=scores, expected_versions={criterion.pk: 0}, by=moderator
        )
    assert error.value.code == "reviews_open"

    submit(second.review, second.reviewer, {criterion: "3"})
    services.set_consensus(
        expression, stage=1, scores=scores, expected_versions={criterion.pk: 0}, by=moderator
    )
    with pytest.raises(services.StaleVersion):
        services.set_consensus(
            expression,
            stage=1,
            scores={criterion.pk: ("1", "Stale")},
            expected_versions={criterion.pk: 0},
            by=moderator,
        )
    consensus = ConsensusScore.objects.get()
    assert (consensus.score, consensus.comment, consensus.version) == (
        D("3.5"),
        "Agreed in the panel",
        1,
    )


# Ranking, decisions, outbox


def test_stage_ranking_uses_submitted_reviews_and_consensus():
    call = CallFactory(budget=150)
    criterion = call.criteria.get()
    first = eligible_expression(call, budget_requested=100)
    second = eligible_expression(call, budget_requested=100)
    failing = eligible_expression(call, budget_requested=10)
    for expression, scores in ((first, ("5", "4")), (second, ("4", "3")), (failing, ("2", "2"))):
        for score in scores:
            assignment = ReviewAssignmentFactory(expression=expression)
            submit(assignment.review, assignment.reviewer, {criterion: score})
    draft = ReviewAssignmentFactory(expression=second)
    services.save_review(
        draft.review, scores={criterion.pk: ("0", "Draft")}, expected_version=1, by=draft.reviewer
    )

    ranking = stage_ranking(call, 1)

    assert [(r.id, r.total, r.passed, r.within_budget) for r in ranking.rows] == [
        (first.pk, D("4.50"), True, True),
        (second.pk, D("3.50"), True, False),
        (failing.pk, D("2.00"), False, False),
    ]
    assert [(r.mean, r.spread, r.reviews) for r in ranking.rows] == [
        (D("4.50"), D("0.50"), 2),
        (D("3.50"), D("0.50"), 2),
        (D("2.00"), D("0.00"), 2),
    ]


def test_record_decision_refuses_a_verdict_of_another_stage(staff):
    call = CallFactory()
    expression = eligible_expression(call)
    with pytest.raises(ValidationError) as error:
        services.record_decision(
            expression, stage=1, outcome=ExpressionState.STAGE1_PASSED, by=staff
        )
    assert error.value.message_dict == {
        "outcome": ["“Stage 1 passed: invited to stage 2” is not a verdict of this stage."]
    }
    assert Decision.objects.count() == 0


def test_decisions_stay_pending_until_released_together_with_outbox_messages(staff):
    call = CallFactory()
    selected = eligible_expression(call, title="Batteries")
    rejected = eligible_expression(call, title="Textiles")
    lead_manager = MembershipFactory(organisation=selected.lead, user=UserFactory()).user
    partner_manager = MembershipFactory(
        organisation=selected.partners.first().organisation, user=UserFactory()
    ).user
    MembershipFactory(organisation=rejected.lead, user=UserFactory())

    services.record_decision(selected, stage=1, outcome=ExpressionState.SELECTED, by=staff)
    services.record_decision(
        rejected, stage=1, outcome=ExpressionState.REJECTED, reason="Below threshold", by=staff
    )
    selected.refresh_from_db()
    assert selected.state == ExpressionState.ELIGIBLE
    assert OutboxMessage.objects.count() == 0

    released = services.release_decisions(call, stage=1, by=staff)

    assert {d.state for d in released} == {DecisionState.RELEASED}
    selected.refresh_from_db()
    rejected.refresh_from_db()
    assert (selected.state, rejected.state) == (ExpressionState.SELECTED, ExpressionState.REJECTED)
    assert StrategicPartnership.objects.get().expression == selected
    assert sorted(
        OutboxMessage.objects.filter(expression=selected).values_list("to", flat=True)
    ) == (sorted([lead_manager.email, partner_manager.email]))
    message = OutboxMessage.objects.filter(expression=rejected).get()
    assert "has concluded: Rejected." in message.body
    assert "Below threshold" in message.body
    assert len(mail.outbox) == 0


def test_release_is_all_or_nothing(staff):
    call = CallFactory()
    good = eligible_expression(call)
    moved = eligible_expression(call)
    services.record_decision(good, stage=1, outcome=ExpressionState.SELECTED, by=staff)
    services.record_decision(moved, stage=1, outcome=ExpressionState.SELECTED, by=staff)
    moved.state = ExpressionState.INELIGIBLE
    moved.save()

    with pytest.raises(ValidationError):
        services.release_decisions(call, stage=1, by=staff)

    good.refresh_from_db()
    assert good.state == ExpressionState.ELIGIBLE
    assert set(Decision.objects.values_list("state", flat=True)) == {DecisionState.PENDING}
    assert OutboxMessage.objects.count() == 0


def test_two_stage_call_screens_at_stage_one(staff):
    call = CallFactory(type="two_stage")
    CallStage.objects.create(call=call, number=2, deadline=timezone.now() + dt.timedelta(days=90))
    expression = eligible_expression(call)
    services.record_decision(expression, stage=1, outcome=ExpressionState.STAGE1_PASSED, by=staff)
    services.release_decisions(call, stage=1, by=staff)
    expression.refresh_from_db()
    assert expression.state == ExpressionState.STAGE1_PASSED
    assert StrategicPartnership.objects.count() == 0


def test_send_outbox_sends_each_message_once(staff, django_capture_on_commit_callbacks):
    call = CallFactory()
    expression = eligible_expression(call)
    manager = MembershipFactory(organisation=expression.lead, user=UserFactory()).user
    services.record_decision(expression, stage=1, outcome=ExpressionState.REJECTED, by=staff)
    services.release_decisions(call, stage=1, by=staff)
    messages = list(OutboxMessage.objects.all())

    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_outbox(messages, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.send_outbox(messages, by=staff)

    assert (first, second) == (1, 0)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([manager.email], f"ClusterPortal: decision on “{expression.title}”")
    ]
    message = OutboxMessage.objects.get()
    assert (message.state, message.sent_by) == (OutboxState.SENT, staff)


def test_saving_unchanged_scores_keeps_the_version_even_from_an_old_form():
    assignment = ReviewAssignmentFactory()
    criterion = assignment.expression.call.criteria.get()
    scores = {criterion.pk: ("4", "Same text")}
    services.save_review(
        assignment.review, scores=scores, expected_version=1, by=assignment.reviewer
    )

    review = services.save_review(
        assignment.review, scores=scores, expected_version=1, by=assignment.reviewer
    )

    assert review.version == 2


def test_auto_assign_logs_a_skipped_conflict_once_over_several_runs(staff):
    call = CallFactory()
    expression = eligible_expression(call)
    conflicted, _neutral = pool(call, 2)
    MembershipFactory(organisation=expression.lead, user=conflicted)

    first = services.auto_assign(call, stage=1, per_expression=2, by=staff)
    second = services.auto_assign(call, stage=1, per_expression=2, by=staff)

    assert (first.skipped_conflicts, second.skipped_conflicts) == (1, 0)
    assert ConflictLogEntry.objects.filter(reviewer=conflicted).count() == 1


def test_a_reviewer_with_reviews_cannot_become_moderator_and_stays_as_they_were(staff):
    assignment = ReviewAssignmentFactory()
    call = assignment.expression.call
    member = CallReviewerFactory(call=call, user=assignment.reviewer, max_load=3)

    with pytest.raises(ValidationError) as error:
        services.add_reviewer(call, user=assignment.reviewer, by=staff, is_moderator=True)

    assert error.value.code == "has_reviews"
    member.refresh_from_db()
    assert (member.is_moderator, member.max_load) == (False, 3)


def test_propose_decisions_records_the_ranking_verdicts_once(staff):
    call = CallFactory(budget=100)
    criterion = call.criteria.get()
    funded = eligible_expression(call, budget_requested=80)
    reserve = eligible_expression(call, budget_requested=50)
    failing = eligible_expression(call, budget_requested=10)
    unscored = eligible_expression(call)
    for expression, score in ((funded, "5"), (reserve, "4"), (failing, "1")):
        assignment = ReviewAssignmentFactory(expression=expression)
        submit(assignment.review, assignment.reviewer, {criterion: score})

    created = services.propose_decisions(call, stage=1, ranking=stage_ranking(call, 1), by=staff)
    again = services.propose_decisions(call, stage=1, ranking=stage_ranking(call, 1), by=staff)

    assert (created, again) == (3, 0)
    assert dict(Decision.objects.values_list("expression", "outcome")) == {
        funded.pk: ExpressionState.SELECTED,
        reserve.pk: ExpressionState.RESERVE,
        failing.pk: ExpressionState.REJECTED,
    }
    assert not Decision.objects.filter(expression=unscored).exists()
