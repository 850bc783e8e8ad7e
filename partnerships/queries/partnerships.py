"""Reads of strategic partnerships and of the consortia that led to them."""

from django.db.models import Prefetch

from partnerships.enums import (
    ExpressionState,
    PartnerState,
)
from partnerships.models import (
    ExpressionPartner,
    PartnershipMember,
    PartnershipMilestone,
    StrategicPartnership,
)
from partnerships.queries.calls import calls_for_user


def partnerships_for_user(user):
    """Strategic partnerships are public, except those of a call still in draft (staff only)."""
    return StrategicPartnership.objects.filter(call__in=calls_for_user(user))


def with_partnership_relations(partnerships):
    """What a partnership list or page shows: the call, members (coordinator first) with their
    countries, milestones and outcomes, in a fixed number of queries."""
    return partnerships.select_related("call").prefetch_related(
        Prefetch(
            "members",
            queryset=PartnershipMember.objects.select_related(
                "organisation", "organisation__country"
            ).order_by("-is_coordinator", "organisation__name", "id"),
        ),
        Prefetch("milestones", queryset=PartnershipMilestone.objects.order_by("due_on", "id")),
        "outcomes",
    )


def confirmed_consortium_pairs():
    """(lead id, partner id, confirmed at) of every partner that confirmed a consortium."""
    return list(
        ExpressionPartner.objects.filter(state=PartnerState.CONFIRMED, responded_at__isnull=False)
        .exclude(expression__state=ExpressionState.WITHDRAWN)
        .values_list("expression__lead_id", "organisation_id", "responded_at")
        .order_by("pk")
    )
