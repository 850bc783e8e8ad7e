"""Evaluation Summary Reports: what a consortium learns of its evaluation once decided.

A report is built from the call's criteria, the moderator's consensus scores and comments,
and the released decision only. It never reads an individual review, so no reviewer's name
or own score can reach it; the moderator who wrote the consensus is not named either.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from partnerships.enums import DecisionState, ExpressionState
from partnerships.models import ConsensusScore, Decision, EvaluationCriterion
from partnerships.queries.common import _is_staff

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class CriterionSummary:
    name: str
    description: str
    weight: Decimal
    threshold: Decimal
    score: Decimal | None
    comment: str

    @property
    def passed(self):
        return self.score is not None and self.score >= self.threshold


@dataclass(frozen=True)
class SummaryReport:
    decision: Decision
    call_title: str
    call_reference: str
    expression_title: str
    lead_name: str
    stage: int
    outcome: str
    reason: str
    criteria: tuple[CriterionSummary, ...]

    @property
    def total(self):
        """The weighted total of the consensus scores, when every criterion has one."""
        if not self.criteria or any(c.score is None for c in self.criteria):
            return None
        total = sum((c.weight * c.score for c in self.criteria), Decimal(0))
        return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)

    @property
    def maximum(self):
        return sum((c.weight * 5 for c in self.criteria), Decimal(0))


def released_decisions_for_user(user):
    """Released decisions whose report `user` may read: staff all, a lead's managers theirs."""
    decisions = Decision.objects.filter(state=DecisionState.RELEASED).select_related(
        "expression", "expression__call", "expression__lead"
    )
    if _is_staff(user):
        return decisions
    if not user.is_authenticated:
        return decisions.none()
    return decisions.filter(expression__lead__memberships__user=user).distinct()


def summary_report(decision):
    """The Evaluation Summary Report of one released decision."""
    expression = decision.expression
    criteria = EvaluationCriterion.objects.filter(
        call_id=expression.call_id, stage=decision.stage
    ).order_by("order", "id")
    consensus = {
        row.criterion_id: row
        for row in ConsensusScore.objects.filter(
            expression=expression, criterion__stage=decision.stage
        ).only("criterion_id", "score", "comment")
    }
    rows = tuple(
        CriterionSummary(
            name=criterion.name,
            description=criterion.description,
            weight=criterion.weight,
            threshold=criterion.pass_mark,
            score=consensus[criterion.pk].score if criterion.pk in consensus else None,
            comment=consensus[criterion.pk].comment if criterion.pk in consensus else "",
        )
        for criterion in criteria
    )
    return SummaryReport(
        decision=decision,
        call_title=expression.call.title,
        call_reference=expression.call.reference,
        expression_title=expression.title,
        lead_name=expression.lead.name,
        stage=decision.stage,
        outcome=str(ExpressionState(decision.outcome).label),
        reason=decision.reason,
        criteria=rows,
    )
