"""Who may do what with organisations. Predicates take (user, organisation)."""

import rules

from partnerships.enums import (
    CallState,
    DecisionState,
    ExpressionState,
    MembershipRole,
    ReviewState,
    ValidationState,
)


@rules.predicate
def is_commission_staff(user):
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


@rules.predicate
def is_verified_organisation(user, organisation):
    return organisation is not None and organisation.validation_state == ValidationState.VERIFIED


def _role_of(user, organisation):
    if organisation is None or not user.is_authenticated:
        return None
    # Views that show one organisation prefetch memberships; use them when they are there.
    cache = getattr(organisation, "_prefetched_objects_cache", {})
    if "memberships" in cache:
        roles = [m.role for m in cache["memberships"] if m.user_id == user.pk]
        return roles[0] if roles else None
    return organisation.memberships.filter(user=user).values_list("role", flat=True).first()


@rules.predicate
def is_organisation_member(user, organisation):
    return _role_of(user, organisation) is not None


@rules.predicate
def is_organisation_owner(user, organisation):
    return _role_of(user, organisation) == MembershipRole.OWNER


is_signed_in = rules.is_authenticated & rules.is_active

can_view_organisation = is_verified_organisation | is_organisation_member | is_commission_staff
can_edit_organisation = is_organisation_member | is_commission_staff
can_delete_organisation = is_organisation_owner | is_commission_staff
can_validate_organisation = is_commission_staff
can_manage_members = is_organisation_owner | is_commission_staff

rules.add_perm("partnerships.validate_organisation", can_validate_organisation)
rules.add_perm("partnerships.manage_members", can_manage_members)
rules.add_perm("partnerships.view_auditentry", is_commission_staff)

# Reference taxonomies are public to read; only staff change them (in the admin).
for _model in (
    "country",
    "region",
    "sectoralindustry",
    "emergingindustry",
    "ecosystem",
    "valuechainposition",
    "policyobjective",
    "s3priority",
):
    rules.add_perm(f"partnerships.view_{_model}", rules.always_allow)


# Calls and expressions of interest. Expression predicates take (user, expression); partner
# predicates take (user, expression_partner).


@rules.predicate
def is_published_call(user, call):
    return call is not None and call.state != CallState.DRAFT


def _member_of(user, organisation_id):
    if not user.is_authenticated or organisation_id is None:
        return False
    return user.memberships.filter(organisation_id=organisation_id).exists()


@rules.predicate
def is_expression_lead_manager(user, expression):
    return expression is not None and _member_of(user, expression.lead_id)


@rules.predicate
def is_expression_partner_manager(user, expression):
    if expression is None or not user.is_authenticated:
        return False
    return expression.partners.filter(organisation__memberships__user=user).exists()


@rules.predicate
def is_expression_editable(user, expression):
    return expression is not None and expression.is_editable


@rules.predicate
def is_expression_draft(user, expression):
    return expression is not None and expression.state == ExpressionState.DRAFT


@rules.predicate
def is_partner_organisation_manager(user, partner):
    return partner is not None and _member_of(user, partner.organisation_id)


can_manage_calls = is_commission_staff
can_view_call = is_published_call | is_commission_staff
can_view_expression = (
    is_expression_lead_manager | is_expression_partner_manager | is_commission_staff
)
can_change_expression = is_expression_lead_manager & is_expression_editable
can_delete_expression = is_expression_lead_manager & is_expression_draft
# Staff decide on eligibility and stages; they never submit or withdraw for a consortium.
can_submit_expression = is_expression_lead_manager
can_withdraw_expression = is_expression_lead_manager
can_invite_partner = is_expression_lead_manager & is_expression_draft
can_respond_to_partnership = is_partner_organisation_manager

rules.add_perm("partnerships.submit_expression", can_submit_expression)
rules.add_perm("partnerships.withdraw_expression", can_withdraw_expression)
rules.add_perm("partnerships.invite_partner", can_invite_partner)
rules.add_perm("partnerships.respond_to_partnership", can_respond_to_partnership)
rules.add_perm("partnerships.decide_expression", is_commission_staff)


@rules.predicate
def is_released_decision_of_my_lead(user, decision):
    return (
        decision is not None
        and decision.state == DecisionState.RELEASED
        and _member_of(user, decision.expression.lead_id)
    )


# The Evaluation Summary Report goes to the lead's managers once the decision is released;
# they alone may complain about the procedure. Staff handle the complaints.
rules.add_perm("partnerships.lodge_complaint", is_released_decision_of_my_lead)
rules.add_perm("partnerships.handle_complaint", is_commission_staff)
rules.add_perm(
    "partnerships.view_summary_report", is_released_decision_of_my_lead | is_commission_staff
)
for _model in ("callstage", "evaluationcriterion"):
    rules.add_perm(f"partnerships.view_{_model}", rules.always_allow)


# Reviews. A staff member in a call's reviewer pool reviews; a moderator writes the consensus;
# staff manage the review (assignments, decisions, outbox). Being in the pool takes nothing
# away from what being staff gives: what keeps the review blind is that a reviewer reads the
# other reviews of an expression they review only once their own is submitted (see
# is_blind_to below and queries.reviews_for_user).


def _pool_role(user, call):
    """None, "reviewer" or "moderator": the user's place in the call's reviewer pool."""
    if call is None or not user.is_authenticated:
        return None
    row = call.reviewers.filter(user=user).values_list("is_moderator", flat=True).first()
    return None if row is None else ("moderator" if row else "reviewer")


@rules.predicate
def is_call_reviewer(user, call):
    return _pool_role(user, call) == "reviewer"


@rules.predicate
def is_call_moderator(user, call):
    return _pool_role(user, call) == "moderator"


@rules.predicate
def has_open_review_in(user, call):
    """The user still has a score sheet of this call to submit: the ranking, which shows the
    other reviewers' scores, waits until it is in."""
    if call is None or not user.is_authenticated:
        return False
    return call.expressions.filter(
        review_assignments__reviewer=user, review_assignments__review__state=ReviewState.DRAFT
    ).exists()


can_manage_review = is_commission_staff
can_moderate_review = is_commission_staff & is_call_moderator


@rules.predicate
def is_own_review(user, review):
    return review is not None and review.assignment.reviewer_id == user.pk


@rules.predicate
def is_draft_review(user, review):
    return review is not None and not review.is_submitted


@rules.predicate
def has_submitted_peer_review(user, review):
    """The user's own review of the same expression and stage is submitted, and so is this."""
    if review is None or not review.is_submitted:
        return False
    assignment = review.assignment
    return assignment.expression.review_assignments.filter(
        stage=assignment.stage, reviewer=user, review__state=ReviewState.SUBMITTED
    ).exists()


@rules.predicate
def manages_review_of(user, review):
    return review is not None and can_manage_review.test(user, review.assignment.expression.call)


@rules.predicate
def is_blind_to(user, review):
    """The user reviews the same expression at the same stage: until their own review is
    submitted they read no other (has_submitted_peer_review opens the submitted ones)."""
    if review is None or not user.is_authenticated:
        return False
    assignment = review.assignment
    return assignment.expression.review_assignments.filter(
        stage=assignment.stage, reviewer=user
    ).exists()


can_view_review = is_commission_staff & (
    is_own_review | has_submitted_peer_review | (manages_review_of & ~is_blind_to)
)
can_edit_review = is_commission_staff & is_own_review & is_draft_review

rules.add_perm("partnerships.review_calls", is_commission_staff)
rules.add_perm("partnerships.manage_review", can_manage_review)
rules.add_perm("partnerships.moderate_review", can_moderate_review)
rules.add_perm("partnerships.change_review", can_edit_review)
rules.add_perm(
    "partnerships.view_ranking", (can_manage_review & ~has_open_review_in) | can_moderate_review
)


# A person's own account: their data, their consent, their deletion.
rules.add_perm("partnerships.manage_own_account", is_signed_in)


# Messages between organisations. A conversation belongs to both sides: any member of either
# organisation reads and answers it.
@rules.predicate
def is_conversation_participant(user, conversation):
    if conversation is None or not user.is_authenticated:
        return False
    return user.memberships.filter(
        organisation_id__in=(conversation.starter_id, conversation.recipient_id)
    ).exists()


@rules.predicate
def may_write_to(user, organisation):
    """A member of some organisation other than `organisation`, which must be public."""
    if organisation is None or not user.is_authenticated:
        return False
    if organisation.validation_state != ValidationState.VERIFIED:
        return False
    return user.memberships.exclude(organisation_id=organisation.pk).exists()


rules.add_perm("partnerships.view_conversation", is_signed_in & is_conversation_participant)
rules.add_perm("partnerships.start_conversation", is_signed_in & may_write_to)
rules.add_perm("partnerships.use_messages", is_signed_in)
# Staff read reported messages in the back office, and only those.
rules.add_perm("partnerships.view_messagereport", is_commission_staff)


# Partner searches. Predicates take (user, partner_search).


@rules.predicate
def is_partner_search_author(user, search):
    return search is not None and _member_of(user, search.author_id)


@rules.predicate
def is_partner_search_public(user, search):
    """On the board, or closed or expired after it was: a link to it keeps working."""
    return search is not None and search.published_at is not None


@rules.predicate
def is_partner_search_open(user, search):
    return search is not None and search.is_open


@rules.predicate
def is_partner_search_editable(user, search):
    return search is not None and search.is_editable


can_view_partner_search = is_partner_search_public | is_partner_search_author | is_commission_staff
can_change_partner_search = is_partner_search_author & is_partner_search_editable
# Others join in; the author's people answer through the interest list instead.
can_join_partner_search = is_signed_in & is_partner_search_open & ~is_partner_search_author
can_comment_partner_search = is_signed_in & is_partner_search_open

rules.add_perm("partnerships.close_partnersearch", can_change_partner_search)
rules.add_perm("partnerships.express_interest", can_join_partner_search)
rules.add_perm("partnerships.follow_partnersearch", is_signed_in & is_partner_search_public)
rules.add_perm("partnerships.comment_partnersearch", can_comment_partner_search)
rules.add_perm(
    "partnerships.view_partnersearch_interests", is_partner_search_author | is_commission_staff
)
rules.add_perm("partnerships.form_consortium", is_partner_search_author)
