"""Reads of expressions of interest and the invitations of partners to them."""

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
)

from partnerships.enums import (
    PartnerState,
    ValidationState,
)
from partnerships.models import (
    ExpressionOfInterest,
    ExpressionPartner,
    Organisation,
    OrganisationMembership,
)
from partnerships.queries.common import _is_staff


def expressions_for_user(user):
    """Expressions a person may see: those of organisations they manage, as lead or partner.

    Staff see all. A partner's managers see the expression from the moment they are invited,
    so they can decide with the content in front of them.
    """
    expressions = ExpressionOfInterest.objects.all()
    if _is_staff(user):
        return expressions
    if user is None or not user.is_authenticated or not user.is_active:
        return expressions.none()
    managed = OrganisationMembership.objects.filter(user=user).values("organisation_id")
    as_partner = ExpressionPartner.objects.filter(
        expression=OuterRef("pk"), organisation_id__in=managed
    )
    return expressions.filter(Q(lead_id__in=managed) | Exists(as_partner))


def with_expression_relations(expressions):
    """What an expression list or page shows: call, lead, partners with their countries."""
    return expressions.select_related("call", "lead", "lead__country").prefetch_related(
        Prefetch(
            "partners",
            queryset=ExpressionPartner.objects.select_related(
                "organisation", "organisation__country"
            ).order_by("organisation__name", "id"),
        ),
        "call__stages",
        "sectoral_industries",
        "emerging_industries",
        "policy_objectives",
        "attachments",
    )


def partner_invitations_for_user(user):
    """Open invitations into consortia addressed to organisations `user` manages."""
    if user is None or not user.is_authenticated:
        return ExpressionPartner.objects.none()
    return (
        ExpressionPartner.objects.filter(
            state=PartnerState.INVITED, organisation__memberships__user=user
        )
        .select_related("organisation", "expression", "expression__lead", "expression__call")
        .order_by("-invited_at", "-id")
    )


def invitable_organisations(expression, name=""):
    """Verified organisations the lead may invite, found by name; the lead and live partners
    are left out."""
    taken = expression.partners.exclude(state=PartnerState.DECLINED).values("organisation_id")
    organisations = (
        Organisation.objects.filter(validation_state=ValidationState.VERIFIED)
        .exclude(pk=expression.lead_id)
        .exclude(pk__in=taken)
        .select_related("country")
        .order_by("name", "id")
    )
    if name:
        organisations = organisations.filter(Q(name__icontains=name) | Q(acronym__iexact=name))
    return organisations
