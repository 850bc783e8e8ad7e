"""Writes to organisations, their people and labels."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import page_cache
from partnerships.enums import (
    VALIDATION_TRANSITIONS,
    MembershipRole,
    NotificationKind,
    ValidationState,
)
from partnerships.facet_loader import bump_directory_version_on_commit
from partnerships.integrity import unique_rule
from partnerships.models import (
    Invitation,
    Label,
    Organisation,
    OrganisationMembership,
    PartnershipMember,
)
from partnerships.prechecks import blocking_findings, waived_findings, website_domain
from partnerships.services.audit import log_action, signed_in
from partnerships.services.notification_centre import notify
from partnerships.services.notifications import absolute, queue_email
from partnerships.signals import organisation_profile_changed
from partnerships.statemachine import ensure_transition

# Fields whose change alters who an organisation should partner with.
PROFILE_M2M_FIELDS = (
    "sectoral_industries",
    "emerging_industries",
    "ecosystems",
    "value_chain_positions",
    "s3_priorities",
    "policy_objectives",
    "seeking_sectors",
    "seeking_emerging",
    "seeking_ecosystems",
    "seeking_value_chain",
    "target_countries",
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


def bump_organisation_pages(organisation_ids):
    """Replace the public pages that show these organisations' profiles, after the commit:
    their own pages and those of the partnerships they are members of."""
    ids = sorted(set(organisation_ids))
    partnerships = PartnershipMember.objects.filter(organisation_id__in=ids).values_list(
        "partnership_id", flat=True
    )
    page_cache.bump_on_commit(
        *(page_cache.organisation_scope(pk) for pk in ids),
        *(page_cache.partnership_scope(pk) for pk in sorted(set(partnerships))),
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
    organisation.website_domain = website_domain(organisation.website)
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
    if signed_in(by):
        OrganisationMembership.objects.create(
            organisation=organisation, user=by, role=MembershipRole.OWNER
        )
    log_action(organisation, "organisation.created", actor=by)
    mark_for_rescoring([organisation.pk])
    bump_directory_version_on_commit()
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
    bump_directory_version_on_commit()
    bump_organisation_pages([organisation.pk])
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
    # The page shows the state, and only a verified organisation's page is public.
    bump_organisation_pages([organisation.pk])
    # Only verified organisations are recommended, so visibility changes the lists.
    if ValidationState.VERIFIED in (previous, to):
        mark_for_rescoring([organisation.pk])
        bump_directory_version_on_commit()
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
    organisation,
    *,
    level,
    awarding_body,
    assessed_on,
    valid_until,
    by,
    source_url="",
    certificate=None,
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
    if certificate:
        label.certificate = certificate
    label.full_clean(exclude=["organisation", "certificate"])
    if valid_until <= assessed_on:
        raise ValidationError(
            {"valid_until": _("A label must be valid after the day it was assessed.")}
        )
    label.save()
    log_action(organisation, "label.recorded", actor=by, data={"level": level})
    mark_for_rescoring([organisation.pk])
    bump_directory_version_on_commit()
    bump_organisation_pages([organisation.pk])
    return label


def _manager_emails(organisation):
    return list(organisation.memberships.values_list("user__email", flat=True))


@transaction.atomic
def submit_for_validation(organisation, *, by):
    """Send a profile to staff; every unmet pre-check is reported at once and nothing moves."""
    findings = blocking_findings(organisation)
    if findings:
        errors = {}
        for finding in findings:
            errors.setdefault(finding.field, []).append(
                ValidationError(finding.message, code=finding.code)
            )
        raise ValidationError(errors)
    organisation = change_validation_state(organisation, to=ValidationState.PENDING, by=by)
    organisation.submitted_at = timezone.now()
    organisation.save(update_fields=["submitted_at"])
    return organisation


@transaction.atomic
def decide_validation(organisation, *, verified, by, reason=""):
    """Staff verify or reject a pending profile; its managers are told by e-mail."""
    target = ValidationState.VERIFIED if verified else ValidationState.REJECTED
    if verified and not organisation.programme_confirmed and waived_findings(organisation):
        raise ValidationError(
            _(
                "Confirm the recognised cluster programme first: without it this "
                "profile does not meet the size criteria."
            ),
            code="programme_unconfirmed",
        )
    organisation = change_validation_state(organisation, to=target, by=by, reason=reason)
    queue_email(
        subject=_("ClusterPortal: validation of %(name)s") % {"name": organisation.name},
        template="partnerships/email/validation_decision.txt",
        context={"organisation": organisation, "url": absolute(organisation.get_absolute_url())},
        recipients=_manager_emails(organisation),
    )
    notify(
        recipients=organisation.memberships.values_list("user_id", flat=True),
        kind=NotificationKind.VALIDATION_DECISION,
        data={"organisation": organisation.name, "outcome": ValidationState(target).label},
        url=organisation.get_absolute_url(),
    )
    return organisation


@transaction.atomic
def confirm_programme(organisation, *, by):
    """Staff confirm the declared cluster programme, which waives the size criteria."""
    if not organisation.recognised_programme.strip():
        raise ValidationError(_("This organisation declares no cluster programme."))
    organisation.programme_confirmed = True
    organisation.save(update_fields=["programme_confirmed", "updated_at"])
    log_action(
        organisation,
        "organisation.programme_confirmed",
        actor=by,
        data={"programme": organisation.recognised_programme},
    )
    return organisation


@transaction.atomic
def invite_member(organisation, *, email, role=MembershipRole.EDITOR, by):
    """Invite a colleague by e-mail; an open invitation to the same address is renewed."""
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This person already edits the profile.")}, code="already_member"
        )
    Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at__isnull=True
    ).delete()
    # A colleague inviting the same address at the same moment wins; this one says so.
    with unique_rule(
        "invitation_one_open_per_email",
        lambda: ValidationError(
            {"email": _("An invitation to %(email)s has just been sent.") % {"email": email}},
            code="already_invited",
        ),
    ):
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, role=role, invited_by=by
        )
    log_action(organisation, "organisation.invited", actor=by, data={"email": email})
    queue_email(
        subject=_("Invitation to edit %(name)s on ClusterPortal") % {"name": organisation.name},
        template="partnerships/email/invitation.txt",
        context={
            "invitation": invitation,
            "inviter": by.get_full_name(),
            "url": absolute(invitation.get_absolute_url()),
        },
        recipients=[email],
    )
    return invitation


@transaction.atomic
def accept_invitation(invitation, *, user):
    """Turn an open invitation into a membership for the signed-in person it was sent to."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s; sign in with that address.")
            % {"email": invitation.email},
            code="wrong_person",
        )
    membership = add_member(invitation.organisation, user=user, role=invitation.role, by=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def transfer_ownership(organisation, *, to, by):
    """Hand the profile over to another member, who becomes owner; the giver stays editor."""
    target = organisation.memberships.select_for_update().filter(user=to).first()
    if target is None:
        raise ValidationError(
            {"user": _("Ownership can only pass to someone who already edits the profile.")}
        )
    organisation.memberships.filter(role=MembershipRole.OWNER).exclude(user=to).update(
        role=MembershipRole.EDITOR
    )
    target.role = MembershipRole.OWNER
    target.save(update_fields=["role"])
    log_action(organisation, "organisation.ownership_transferred", actor=by, data={"to": to.pk})
    return target
