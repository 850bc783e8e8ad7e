"""Every write to organisations, their people and labels goes through here."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partnerships.enums import (
    VALIDATION_TRANSITIONS,
    MembershipRole,
    ValidationState,
)
from partnerships.models import AuditEntry, Label, Organisation, OrganisationMembership
from partnerships.signals import organisation_profile_changed
from partnerships.statemachine import ensure_transition

# Fields whose change alters who an organisation should partner with.
PROFILE_M2M_FIELDS = (
    "sectoral_industries",
    "emerging_industries",
    "ecosystems",
    "value_chain_positions",
    "s3_priorities",
    "target_countries",
)


def log_action(subject, action, *, actor, data=None):
    """Append an audit entry for `subject`. Call inside the transaction that made the change."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        object_repr=str(subject)[:300],
        data=data or {},
    )


def mark_for_rescoring(organisation_ids):
    """Flag organisations for re-scoring now, and tell listeners once the commit is done."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return
    Organisation.objects.filter(pk__in=ids).update(needs_rescoring=True)
    transaction.on_commit(
        lambda: organisation_profile_changed.send(sender=Organisation, organisation_ids=ids)
    )


def _check_region(organisation):
    if organisation.region_id and organisation.country_id:
        if organisation.region.country_id != organisation.country_id:
            raise ValidationError(
                {"region": _("The region must lie in the chosen country.")},
                code="region_outside_country",
            )
        if organisation.region.level != 2:
            raise ValidationError({"region": _("Choose a NUTS-2 region.")}, code="region_not_nuts2")


def _apply(organisation, fields, relations):
    for name, value in fields.items():
        setattr(organisation, name, value)
    _check_region(organisation)
    organisation.full_clean(exclude=["logo"] + list(PROFILE_M2M_FIELDS))
    organisation.save()
    for name, values in relations.items():
        getattr(organisation, name).set(values)


def _split(fields):
    relations = {name: fields.pop(name) for name in PROFILE_M2M_FIELDS if name in fields}
    return fields, relations


@transaction.atomic
def create_organisation(*, by, **fields):
    """Create a draft organisation owned by `by`."""
    fields, relations = _split(dict(fields))
    organisation = Organisation(validation_state=ValidationState.DRAFT)
    _apply(organisation, fields, relations)
    if by is not None and by.is_authenticated:
        OrganisationMembership.objects.create(
            organisation=organisation, user=by, role=MembershipRole.OWNER
        )
    log_action(organisation, "organisation.created", actor=by)
    mark_for_rescoring([organisation.pk])
    return organisation


@transaction.atomic
def update_organisation(organisation, *, by, **fields):
    """Change profile fields; the organisation is marked for re-scoring in the same commit."""
    fields, relations = _split(dict(fields))
    changed = sorted(
        name for name, value in fields.items() if getattr(organisation, name) != value
    ) + sorted(relations)
    _apply(organisation, fields, relations)
    log_action(organisation, "organisation.updated", actor=by, data={"fields": changed})
    mark_for_rescoring([organisation.pk])
    return organisation


@transaction.atomic
def change_validation_state(organisation, *, to, by, reason=""):
    """Move an organisation through its validation states; staff decisions are audited."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    ensure_transition(
        VALIDATION_TRANSITIONS,
        current=organisation.validation_state,
        to=to,
        choices=ValidationState,
    )
    if to == ValidationState.REJECTED and not reason.strip():
        raise ValidationError(
            {"reason": _("Give the manager a reason for the rejection.")}, code="reason_required"
        )
    previous = organisation.validation_state
    organisation.validation_state = to
    organisation.rejection_reason = reason.strip() if to == ValidationState.REJECTED else ""
    organisation.save(update_fields=["validation_state", "rejection_reason", "updated_at"])
    log_action(
        organisation,
        f"organisation.{to}",
        actor=by,
        data={"from": previous, "to": to, "reason": organisation.rejection_reason},
    )
    # Only verified organisations are recommended, so visibility changes the lists.
    if ValidationState.VERIFIED in (previous, to):
        mark_for_rescoring([organisation.pk])
    return organisation


@transaction.atomic
def add_member(organisation, *, user, role, by):
    membership, created = OrganisationMembership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    log_action(organisation, "organisation.member_added", actor=by, data={"user": user.pk})
    return membership


@transaction.atomic
def record_label(
    organisation, *, level, awarding_body, assessed_on, valid_until, by, source_url=""
):
    """Add a Cluster Management Excellence label; currency follows from `valid_until`."""
    label = Label(
        organisation=organisation,
        level=level,
        awarding_body=awarding_body,
        assessed_on=assessed_on,
        valid_until=valid_until,
        source_url=source_url,
    )
    label.full_clean(exclude=["organisation", "certificate"])
    if valid_until <= assessed_on:
        raise ValidationError(
            {"valid_until": _("A label must be valid after the day it was assessed.")}
        )
    label.save()
    log_action(organisation, "label.recorded", actor=by, data={"level": level})
    mark_for_rescoring([organisation.pk])
    return label
