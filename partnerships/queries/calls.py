"""Reads of calls: who may see which, in the order the listing shows them."""

from django.db.models import (
    Case,
    Prefetch,
    Value,
    When,
)

from partnerships.enums import CallState
from partnerships.models import (
    Call,
    CallStage,
    EvaluationCriterion,
)
from partnerships.queries.common import _is_staff


def calls_for_user(user):
    """Published calls for everybody; drafts too for staff."""
    calls = Call.objects.all()
    if _is_staff(user):
        return calls
    return calls.exclude(state=CallState.DRAFT)


# Calls people can still answer first, the decided ones last; newest first within each.
CALL_LISTING_ORDER = (
    CallState.OPEN,
    CallState.CLOSED,
    CallState.IN_EVALUATION,
    CallState.DRAFT,
    CallState.DECIDED,
)


def in_listing_order(calls):
    return calls.annotate(
        listing_rank=Case(
            *(When(state=state, then=Value(rank)) for rank, state in enumerate(CALL_LISTING_ORDER)),
            default=Value(len(CALL_LISTING_ORDER)),
        )
    ).order_by("listing_rank", "-created_at", "-id")


def with_call_relations(calls):
    """Stages, criteria and themes of a list of calls in a fixed number of queries."""
    return calls.prefetch_related(
        Prefetch("stages", queryset=CallStage.objects.order_by("number")),
        Prefetch("criteria", queryset=EvaluationCriterion.objects.order_by("stage", "order", "id")),
        "sectoral_industries",
        "emerging_industries",
        "policy_objectives",
    )
