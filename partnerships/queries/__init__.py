"""Reads that decide what a person may see, one module per subject. Pages and the API both
start here; the names are re-exported so callers write `from partnerships.queries import ...`.
"""

from partnerships.queries.calls import (
    CALL_LISTING_ORDER,
    calls_for_user,
    in_listing_order,
    with_call_relations,
)
from partnerships.queries.expressions import (
    expressions_for_user,
    invitable_organisations,
    partner_invitations_for_user,
    with_expression_relations,
)
from partnerships.queries.messaging import (
    blocks,
    conversation_messages,
    conversations_for_user,
)
from partnerships.queries.notifications import notifications_for_user, unread_counts
from partnerships.queries.organisations import (
    DECLARED_RELATIONS,
    NAME_NOISE,
    current_label,
    dashboard_organisations,
    home_figures,
    latest_label,
    likely_duplicates,
    nuts2_regions,
    organisations_for_user,
    organisations_of_member,
    pending_validation,
    possible_leads,
    sole_ownerships,
    with_api_relations,
    with_listing_relations,
    with_profile_relations,
)
from partnerships.queries.partnerships import (
    confirmed_consortium_pairs,
    partnerships_for_user,
    with_partnership_relations,
)
from partnerships.queries.review import (
    assignments_for_reviewer,
    conflict_log,
    organisations_under_review_by,
    outbox_for_call,
    review_pool,
    reviews_for_user,
    stage_criteria,
    stage_expressions,
    stage_ranking,
    with_review_detail,
    with_review_relations,
)

__all__ = [
    "CALL_LISTING_ORDER",
    "DECLARED_RELATIONS",
    "NAME_NOISE",
    "assignments_for_reviewer",
    "blocks",
    "calls_for_user",
    "confirmed_consortium_pairs",
    "conflict_log",
    "conversation_messages",
    "conversations_for_user",
    "current_label",
    "dashboard_organisations",
    "expressions_for_user",
    "home_figures",
    "in_listing_order",
    "invitable_organisations",
    "latest_label",
    "likely_duplicates",
    "notifications_for_user",
    "nuts2_regions",
    "organisations_for_user",
    "organisations_of_member",
    "organisations_under_review_by",
    "outbox_for_call",
    "partner_invitations_for_user",
    "partnerships_for_user",
    "pending_validation",
    "possible_leads",
    "review_pool",
    "reviews_for_user",
    "sole_ownerships",
    "stage_criteria",
    "stage_expressions",
    "stage_ranking",
    "unread_counts",
    "with_api_relations",
    "with_call_relations",
    "with_expression_relations",
    "with_listing_relations",
    "with_partnership_relations",
    "with_profile_relations",
    "with_review_detail",
    "with_review_relations",
]
