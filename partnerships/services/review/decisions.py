"""Decisions on ranked expressions, proposed from the ranking and recorded one by one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partnerships.enums import (
    EXPRESSION_TRANSITIONS,
    FINAL_OUTCOMES,
    SCREENING_OUTCOMES,
    DecisionState,
    ExpressionState,
)
from partnerships.models import (
    Decision,
    ExpressionOfInterest,
)
from partnerships.services.audit import log_action
from partnerships.services.review.assignment import _ensure_reviewable
from partnerships.services.review.common import _check_stage
from partnerships.statemachine import ensure_transition


def outcomes_for(call, stage):
    """The verdicts a review at `stage` may reach."""
    return SCREENING_OUTCOMES if stage == 1 and call.is_two_stage else FINAL_OUTCOMES


@transaction.atomic
def record_decision(expression, *, stage, outcome, by, reason=""):
    """Record (or change) the pending verdict on one expression at one stage."""
    # The expression's lock makes a second verdict at the same moment change the first one
    # instead of inserting a duplicate.
    expression = (
        ExpressionOfInterest.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=expression.pk)
    )
    _check_stage(expression.call, stage)
    _ensure_reviewable(expression, stage)
    if outcome not in outcomes_for(expression.call, stage):
        raise ValidationError(
            {
                "outcome": _("“%(outcome)s” is not a verdict of this stage.")
                % {"outcome": ExpressionState(outcome).label}
            },
            code="invalid_outcome",
        )
    ensure_transition(
        EXPRESSION_TRANSITIONS, current=expression.state, to=outcome, choices=ExpressionState
    )
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .filter(expression=expression, stage=stage)
        .first()
    )
    if decision is not None and decision.state != DecisionState.PENDING:
        raise ValidationError(_("This decision is released and final."), code="released")
    if decision is None:
        decision = Decision(expression=expression, stage=stage)
    decision.outcome = outcome
    decision.reason = (reason or "").strip()
    decision.recorded_by = by
    decision.save()
    log_action(
        expression,
        "review.decision_recorded",
        actor=by,
        data={"stage": stage, "outcome": outcome},
    )
    return decision


def proposed_outcome(call, stage, row):
    """The verdict the ranking suggests for one row."""
    if stage == 1 and call.is_two_stage:
        return ExpressionState.STAGE1_PASSED if row.passed else ExpressionState.STAGE1_REJECTED
    if not row.passed:
        return ExpressionState.REJECTED
    return ExpressionState.SELECTED if row.within_budget else ExpressionState.RESERVE


@transaction.atomic
def propose_decisions(call, *, stage, ranking, by):
    """Pending decisions from the ranking (of queries.stage_ranking) for every complete row
    that has none yet."""
    decided = set(
        Decision.objects.filter(expression__call=call, stage=stage).values_list(
            "expression_id", flat=True
        )
    )
    created = 0
    for row in ranking.rows:
        if not row.complete or row.id in decided:
            continue
        record_decision(
            row.expression,
            stage=stage,
            outcome=proposed_outcome(call, stage, row),
            by=by,
        )
        created += 1
    return created
