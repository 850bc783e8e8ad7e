"""Redress: the lead lodges a complaint about the procedure; staff review it and decide."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.enums import (
    COMPLAINT_CLOSED_STATES,
    COMPLAINT_TRANSITIONS,
    ComplaintState,
    DecisionState,
)
from partnerships.models import Complaint, Decision, OrganisationMembership, User
from partnerships.services.audit import log_action
from partnerships.services.notifications import absolute, queue_email
from partnerships.statemachine import ensure_transition


def redress_deadline(decision):
    """The last moment a complaint about `decision` can be lodged, or None before release."""
    if decision.released_at is None:
        return None
    return decision.released_at + dt.timedelta(days=decision.expression.call.redress_days)


def _lead_emails(decision):
    return list(
        OrganisationMembership.objects.filter(
            organisation_id=decision.expression.lead_id, user__is_active=True
        ).values_list("user__email", flat=True)
    )


@transaction.atomic
def lodge_complaint(decision, *, text, by, now=None):
    """A manager of the lead complains about the procedure within the call's window."""
    now = now or timezone.now()
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("expression", "expression__call")
        .get(pk=decision.pk)
    )
    text = text.strip()
    if decision.state != DecisionState.RELEASED:
        raise ValidationError(_("The decision is not released yet."), code="not_released")
    if not OrganisationMembership.objects.filter(
        organisation_id=decision.expression.lead_id, user=by
    ).exists():
        raise ValidationError(
            _("Only the managers of the lead organisation can lodge a complaint."), code="not_lead"
        )
    deadline = redress_deadline(decision)
    if now > deadline:
        raise ValidationError(
            _("Complaints about this decision could be lodged until %(date)s.")
            % {"date": timezone.localtime(deadline).strftime("%Y-%m-%d")},
            code="too_late",
        )
    if not text:
        raise ValidationError({"text": _("Say what went wrong in the procedure.")})
    if Complaint.objects.filter(decision=decision).exists():
        raise ValidationError(_("A complaint about this decision is already lodged."), code="twice")
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(decision=decision, lodged_by=by, text=text)
    except IntegrityError as error:
        raise ValidationError(
            _("A complaint about this decision is already lodged."), code="twice"
        ) from error
    log_action(decision.expression, "review.complaint_lodged", actor=by, data={"id": complaint.pk})
    queue_email(
        subject=_("ClusterPortal: complaint about the evaluation of “%(title)s”")
        % {"title": decision.expression.title},
        template="partnerships/email/complaint_lodged.txt",
        context={
            "complaint": complaint,
            "expression": decision.expression,
            "url": absolute(reverse("partnerships:complaint-list")),
        },
        recipients=User.objects.filter(is_staff=True, is_active=True).values_list(
            "email", flat=True
        ),
    )
    return complaint


@transaction.atomic
def handle_complaint(complaint, *, to, by, reason=""):
    """Staff take a complaint under review, or uphold or reject it with a reason."""
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("decision__expression")
        .get(pk=complaint.pk)
    )
    ensure_transition(COMPLAINT_TRANSITIONS, current=complaint.state, to=to, choices=ComplaintState)
    reason = reason.strip()
    if to in COMPLAINT_CLOSED_STATES and not reason:
        raise ValidationError(
            {"reason": _("Give the lead the reason for the outcome.")}, code="reason_required"
        )
    complaint.state = to
    complaint.outcome_reason = reason
    complaint.handled_by = by
    complaint.handled_at = timezone.now()
    complaint.save(update_fields=["state", "outcome_reason", "handled_by", "handled_at"])
    expression = complaint.decision.expression
    log_action(
        expression,
        f"review.complaint_{to}",
        actor=by,
        data={"id": complaint.pk, "reason": reason},
    )
    queue_email(
        subject=_("ClusterPortal: your complaint about “%(title)s”") % {"title": expression.title},
        template="partnerships/email/complaint_handled.txt",
        context={
            "complaint": complaint,
            "expression": expression,
            "url": absolute(reverse("partnerships:summary-report", args=[complaint.decision_id])),
        },
        recipients=_lead_emails(complaint.decision),
    )
    return complaint
