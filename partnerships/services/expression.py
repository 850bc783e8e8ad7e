"""Writes to expressions of interest: drafting, partners, submission, withdrawal, verdicts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partnerships.eligibility import Applicant, CallRules, Consortium, eligibility_findings
from partnerships.enums import (
    EXPRESSION_TRANSITIONS,
    PARTNER_TRANSITIONS,
    CallState,
    ExpressionState,
    NotificationKind,
    PartnerState,
    ValidationState,
)
from partnerships.integrity import unique_rule
from partnerships.models import (
    ExpressionAttachment,
    ExpressionOfInterest,
    ExpressionPartner,
    Label,
    OrganisationMembership,
)
from partnerships.services.audit import log_action
from partnerships.services.notification_centre import notify
from partnerships.services.notifications import absolute, queue_email
from partnerships.statemachine import ensure_transition

EXPRESSION_M2M_FIELDS = ("sectoral_industries", "emerging_industries", "policy_objectives")
EXPRESSION_FIELDS = (
    "title",
    "objectives",
    "preparatory_activities",
    "implementation_activities",
    "investment_activities",
    "budget_requested",
    *EXPRESSION_M2M_FIELDS,
)
# Staff verdicts; submission and withdrawal have their own services.
DECISION_STATES = frozenset(
    {
        ExpressionState.ELIGIBLE,
        ExpressionState.INELIGIBLE,
        ExpressionState.STAGE1_PASSED,
        ExpressionState.STAGE1_REJECTED,
        ExpressionState.SELECTED,
        ExpressionState.RESERVE,
        ExpressionState.REJECTED,
    }
)


def _manager_emails(organisation_id):
    return list(
        OrganisationMembership.objects.filter(organisation_id=organisation_id).values_list(
            "user__email", flat=True
        )
    )


def _require_manager(organisation, user):
    if not OrganisationMembership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            _("Only a manager of %(name)s can do this.") % {"name": organisation.name},
            code="not_manager",
        )


def stage_deadline(expression):
    """The deadline of the stage the lead is working on; None when the call has no such stage."""
    stage = expression.call.stages.filter(number=expression.stage_number).first()
    return stage.deadline if stage else None


def _ensure_before_deadline(expression, now):
    deadline = stage_deadline(expression)
    if deadline is None:
        raise ValidationError(_("This call has no stage %(n)d.") % {"n": expression.stage_number})
    if now > deadline:
        raise ValidationError(
            _("The deadline has passed (%(deadline)s, Brussels time).")
            % {"deadline": date_format(timezone.localtime(deadline), "DATETIME_FORMAT")},
            code="deadline_passed",
        )


def _apply(expression, fields):
    unknown = set(fields) - set(EXPRESSION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    relations = {name: fields.pop(name) for name in EXPRESSION_M2M_FIELDS if name in fields}
    for name, value in fields.items():
        setattr(expression, name, value)
    expression.full_clean(exclude=["call", "lead", *EXPRESSION_M2M_FIELDS])
    expression.save()
    for name, values in relations.items():
        getattr(expression, name).set(values)
    return sorted(fields) + sorted(relations)


class AlreadyStarted(ValidationError):
    """The lead already has a live expression for the call; `expression` is that one."""

    def __init__(self, expression):
        super().__init__(
            _("%(name)s already has an expression of interest for this call.")
            % {"name": expression.lead.name},
            code="duplicate",
        )
        self.expression = expression


def _live_expression(call, lead):
    return (
        ExpressionOfInterest.objects.filter(call=call, lead=lead)
        .exclude(state=ExpressionState.WITHDRAWN)
        .select_related("lead")
        .first()
    )


@transaction.atomic
def start_expression(call, *, lead, by, **fields):
    """Open a draft for `lead` on an open call; the one who starts it must manage the lead.

    A lead with a live expression for the call gets `AlreadyStarted`, also when a second
    request started it a moment before this one (a double click, two managers).
    """
    if call.state != CallState.OPEN:
        raise ValidationError(_("This call is not open for expressions of interest."))
    _require_manager(lead, by)
    existing = _live_expression(call, lead)
    if existing is not None:
        raise AlreadyStarted(existing)
    expression = ExpressionOfInterest(call=call, lead=lead, created_by=by)
    _ensure_before_deadline(expression, timezone.now())
    with unique_rule(
        "expression_one_live_per_lead", lambda: AlreadyStarted(_live_expression(call, lead))
    ):
        _apply(expression, dict(fields))
    log_action(expression, "expression.created", actor=by, data={"call": call.pk})
    return expression


@transaction.atomic
def update_expression(expression, *, by, **fields):
    """Save draft content (also the autosave); refused after the stage's deadline."""
    expression = ExpressionOfInterest.objects.select_for_update().get(pk=expression.pk)
    if not expression.is_editable:
        raise ValidationError(
            _("An expression that is “%(state)s” can no longer be changed.")
            % {"state": expression.get_state_display()},
            code="not_editable",
        )
    _ensure_before_deadline(expression, timezone.now())
    # The row is locked, so a plain increment cannot lose a concurrent save.
    expression.version += 1
    changed = _apply(expression, dict(fields))
    log_action(expression, "expression.updated", actor=by, data={"fields": changed})
    return expression


@transaction.atomic
def add_attachment(expression, *, title, file, by):
    """Attach a PDF or image (checked by its content) to an editable expression."""
    if not expression.is_editable:
        raise ValidationError(_("Attachments can only be added while the expression is a draft."))
    _ensure_before_deadline(expression, timezone.now())
    attachment = ExpressionAttachment(expression=expression, title=title, file=file, uploaded_by=by)
    attachment.full_clean(exclude=["expression"])
    attachment.save()
    log_action(expression, "expression.attachment_added", actor=by, data={"title": title})
    return attachment


@transaction.atomic
def invite_partner(expression, *, organisation, by):
    """Invite a verified organisation into the consortium; its managers are e-mailed."""
    if expression.state != ExpressionState.DRAFT:
        raise ValidationError(_("Partners can only be invited while the expression is a draft."))
    if organisation.pk == expression.lead_id:
        raise ValidationError(
            {"organisation": _("The lead organisation is already in the consortium.")}
        )
    if organisation.validation_state != ValidationState.VERIFIED:
        raise ValidationError({"organisation": _("Only verified organisations can be invited.")})
    partner = (
        ExpressionPartner.objects.select_for_update()
        .filter(expression=expression, organisation=organisation)
        .first()
    )
    already_invited = ValidationError(
        {"organisation": _("%(name)s is already invited.") % {"name": organisation.name}},
        code="already_invited",
    )
    if partner is None:
        with unique_rule("expression_partner_unique", lambda: already_invited):
            partner = ExpressionPartner.objects.create(
                expression=expression, organisation=organisation, invited_by=by
            )
    elif partner.state == PartnerState.DECLINED:
        ensure_transition(
            PARTNER_TRANSITIONS,
            current=partner.state,
            to=PartnerState.INVITED,
            choices=PartnerState,
        )
        partner.state = PartnerState.INVITED
        partner.invited_by = by
        partner.invited_at = timezone.now()
        partner.responded_at = None
        partner.responded_by = None
        partner.save()
    else:
        raise already_invited
    log_action(expression, "expression.partner_invited", actor=by, data={"org": organisation.pk})
    queue_email(
        subject=_("ClusterPortal: %(lead)s invites %(name)s into a consortium")
        % {"lead": expression.lead.name, "name": organisation.name},
        template="partnerships/email/expression_partner_invited.txt",
        context={
            "partner": partner,
            "expression": expression,
            "url": absolute(expression.get_absolute_url()),
        },
        recipients=_manager_emails(organisation.pk),
    )
    notify(
        recipients=OrganisationMembership.objects.filter(
            organisation_id=organisation.pk
        ).values_list("user_id", flat=True),
        kind=NotificationKind.CONSORTIUM_INVITATION,
        data={
            "lead": expression.lead.name,
            "organisation": organisation.name,
            "title": expression.title,
        },
        url=expression.get_absolute_url(),
    )
    return partner


@transaction.atomic
def respond_to_partnership(partner, *, accept, by):
    """A partner's manager confirms or declines; the lead's managers are e-mailed."""
    partner = ExpressionPartner.objects.select_for_update().get(pk=partner.pk)
    _require_manager(partner.organisation, by)
    if partner.expression.state != ExpressionState.DRAFT:
        raise ValidationError(
            _("The consortium is fixed once the expression has been submitted."), code="fixed"
        )
    to = PartnerState.CONFIRMED if accept else PartnerState.DECLINED
    ensure_transition(PARTNER_TRANSITIONS, current=partner.state, to=to, choices=PartnerState)
    partner.state = to
    partner.responded_by = by
    partner.responded_at = timezone.now()
    partner.save(update_fields=["state", "responded_by", "responded_at"])
    log_action(
        partner.expression,
        f"expression.partner_{to}",
        actor=by,
        data={"org": partner.organisation_id},
    )
    queue_email(
        subject=_("ClusterPortal: %(name)s has answered your invitation")
        % {"name": partner.organisation.name},
        template="partnerships/email/expression_partner_answered.txt",
        context={
            "partner": partner,
            "expression": partner.expression,
            "url": absolute(partner.expression.get_absolute_url()),
        },
        recipients=_manager_emails(partner.expression.lead_id),
    )
    return partner


def _applicant(organisation, labelled_ids):
    return Applicant(
        name=organisation.name,
        type=organisation.type,
        country=organisation.country_id,
        verified=organisation.validation_state == ValidationState.VERIFIED,
        has_current_label=organisation.pk in labelled_ids,
    )


def consortium_of(expression):
    """The consortium as the eligibility rules see it: the lead and the confirmed partners."""
    partners = list(expression.partners.select_related("organisation"))
    confirmed = [p.organisation for p in partners if p.state == PartnerState.CONFIRMED]
    ids = [expression.lead_id, *(organisation.pk for organisation in confirmed)]
    labelled = set(
        Label.objects.counting()
        .filter(organisation_id__in=ids)
        .values_list("organisation_id", flat=True)
    )
    return Consortium(
        lead=_applicant(expression.lead, labelled),
        partners=tuple(_applicant(organisation, labelled) for organisation in confirmed),
        pending=sum(1 for p in partners if p.state == PartnerState.INVITED),
    )


def call_rules(call):
    return CallRules(
        eligible_types=tuple(call.eligible_types),
        min_partners=call.min_partners,
        min_countries=call.min_countries,
        verified_required=call.verified_required,
        label_required=call.label_required,
    )


def submission_findings(expression, *, now=None):
    """What stops `expression` from being submitted now, each a plain message."""
    return eligibility_findings(
        call_rules(expression.call),
        consortium_of(expression),
        now=now or timezone.now(),
        deadline=stage_deadline(expression),
    )


@transaction.atomic
def submit_expression(expression, *, by):
    """Submit stage 1 (or stage 2 after an invitation); every unmet rule is reported at once."""
    expression = (
        ExpressionOfInterest.objects.select_for_update()
        .select_related("call", "lead")
        .get(pk=expression.pk)
    )
    _require_manager(expression.lead, by)
    to = (
        ExpressionState.STAGE2_SUBMITTED
        if expression.state == ExpressionState.STAGE1_PASSED
        else ExpressionState.SUBMITTED
    )
    ensure_transition(
        EXPRESSION_TRANSITIONS, current=expression.state, to=to, choices=ExpressionState
    )
    if expression.call.state != CallState.OPEN and to == ExpressionState.SUBMITTED:
        raise ValidationError(_("This call is not open for expressions of interest."))
    findings = submission_findings(expression)
    if findings:
        raise ValidationError([ValidationError(f.message, code=f.code) for f in findings])
    now = timezone.now()
    expression.state = to
    if to == ExpressionState.SUBMITTED:
        expression.submitted_at = now
    else:
        expression.stage2_submitted_at = now
    expression.save(update_fields=["state", "submitted_at", "stage2_submitted_at", "updated_at"])
    log_action(expression, f"expression.{to}", actor=by, data={"to": to})
    partner_ids = expression.partners.filter(state=PartnerState.CONFIRMED).values_list(
        "organisation_id", flat=True
    )
    recipients = _manager_emails(expression.lead_id)
    for organisation_id in partner_ids:
        recipients += _manager_emails(organisation_id)
    queue_email(
        subject=_("ClusterPortal: “%(title)s” has been submitted") % {"title": expression.title},
        template="partnerships/email/expression_submitted.txt",
        context={"expression": expression, "url": absolute(expression.get_absolute_url())},
        recipients=recipients,
    )
    return expression


@transaction.atomic
def withdraw_expression(expression, *, by):
    """The lead withdraws; a submitted expression only before its stage's deadline."""
    expression = ExpressionOfInterest.objects.select_for_update().get(pk=expression.pk)
    _require_manager(expression.lead, by)
    ensure_transition(
        EXPRESSION_TRANSITIONS,
        current=expression.state,
        to=ExpressionState.WITHDRAWN,
        choices=ExpressionState,
    )
    # An unsent draft may be discarded at any time; anything sent counts until the deadline.
    if expression.state != ExpressionState.DRAFT:
        _ensure_before_deadline(expression, timezone.now())
    previous = expression.state
    expression.state = ExpressionState.WITHDRAWN
    expression.withdrawn_at = timezone.now()
    expression.save(update_fields=["state", "withdrawn_at", "updated_at"])
    log_action(expression, "expression.withdrawn", actor=by, data={"from": previous})
    return expression


@transaction.atomic
def decide_expression(expression, *, to, by, reason=""):
    """Record a staff verdict (eligibility, stage 1, final); every move is audited."""
    if to not in DECISION_STATES:
        raise ValidationError(_("Staff cannot submit or withdraw for a consortium."))
    expression = ExpressionOfInterest.objects.select_for_update().get(pk=expression.pk)
    ensure_transition(
        EXPRESSION_TRANSITIONS, current=expression.state, to=to, choices=ExpressionState
    )
    previous = expression.state
    expression.state = to
    expression.save(update_fields=["state", "updated_at"])
    log_action(
        expression,
        f"expression.{to}",
        actor=by,
        data={"from": previous, "to": to, "reason": reason.strip()},
    )
    return expression
