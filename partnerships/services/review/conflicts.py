"""Conflicts of interest: the ones the portal finds and the ones reviewers declare."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from partnerships.enums import (
    ConflictAction,
    ConflictRule,
    PartnerState,
)
from partnerships.models import (
    CallReviewer,
    ConflictDeclaration,
    ConflictLogEntry,
    OrganisationMembership,
    ReviewAssignment,
)
from partnerships.services.audit import log_action, signed_in


@dataclass(frozen=True)
class Conflict:
    rule: str
    organisation_id: int | None
    organisation_name: str

    @property
    def message(self):
        return _("%(rule)s: %(name)s") % {
            "rule": ConflictRule(self.rule).label,
            "name": self.organisation_name,
        }


def _consortium(expression):
    """[(organisation id, name, country id)] of the lead and every partner not declined."""
    rows = [(expression.lead_id, expression.lead.name, expression.lead.country_id)]
    for partner in expression.partners.exclude(state=PartnerState.DECLINED).select_related(
        "organisation"
    ):
        organisation = partner.organisation
        rows.append((organisation.pk, organisation.name, organisation.country_id))
    return rows


def conflicts_for(expression):
    """{user id: [Conflict]} of everybody who must not review `expression`.

    The managers of the lead and partner organisations, people who declared a conflict with
    one of them, and, when the call applies the same-country rule, pool members whose country
    is the country of one of them.
    """
    consortium = _consortium(expression)
    names = {pk: name for pk, name, _country in consortium}
    found = defaultdict(list)
    for user_id, organisation_id in OrganisationMembership.objects.filter(
        organisation_id__in=names
    ).values_list("user_id", "organisation_id"):
        found[user_id].append(
            Conflict(ConflictRule.AFFILIATION, organisation_id, names[organisation_id])
        )
    for user_id, organisation_id in ConflictDeclaration.objects.filter(
        organisation_id__in=names
    ).values_list("user_id", "organisation_id"):
        found[user_id].append(
            Conflict(ConflictRule.DECLARED, organisation_id, names[organisation_id])
        )
    if expression.call.review_same_country_rule:
        by_country = {}
        for pk, name, country in consortium:
            by_country.setdefault(country, (pk, name))
        for user_id, country in CallReviewer.objects.filter(
            call_id=expression.call_id, country_id__in=by_country
        ).values_list("user_id", "country_id"):
            pk, name = by_country[country]
            found[user_id].append(Conflict(ConflictRule.SAME_COUNTRY, pk, name))
    return dict(found)


def _log_conflict(expression, *, stage, reviewer_id, conflict, action, by):
    return ConflictLogEntry.objects.create(
        expression=expression,
        stage=stage,
        reviewer_id=reviewer_id,
        organisation_id=conflict.organisation_id,
        rule=conflict.rule,
        action=action,
        by=signed_in(by),
    )


@transaction.atomic
def declare_conflict(*, user, organisation, reason, by):
    """Record a declared conflict; unsubmitted assignments it touches are withdrawn."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say briefly why there is a conflict.")})
    declaration, created = ConflictDeclaration.objects.get_or_create(
        user=user, organisation=organisation, defaults={"reason": reason}
    )
    if not created:
        raise ValidationError(
            {
                "organisation": _("A conflict with %(name)s is already declared.")
                % {"name": organisation}
            },
            code="duplicate",
        )
    touched = ReviewAssignment.objects.filter(reviewer=user).filter(
        Q(expression__lead=organisation)
        | Q(
            expression__partners__organisation=organisation,
            expression__partners__state__in=[PartnerState.INVITED, PartnerState.CONFIRMED],
        )
    )
    conflict = Conflict(ConflictRule.DECLARED, organisation.pk, organisation.name)
    for assignment in touched.select_related("expression", "review").distinct():
        if getattr(assignment, "review", None) and assignment.review.is_submitted:
            continue
        _log_conflict(
            assignment.expression,
            stage=assignment.stage,
            reviewer_id=user.pk,
            conflict=conflict,
            action=ConflictAction.WITHDRAWN,
            by=by,
        )
        log_action(
            assignment.expression,
            "review.unassigned",
            actor=by,
            data={"reviewer": user.pk, "stage": assignment.stage, "why": "declared_conflict"},
        )
        assignment.delete()
    log_action(organisation, "review.conflict_declared", actor=by, data={"user": user.pk})
    return declaration
