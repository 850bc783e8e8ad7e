"""Releasing a stage's decisions together, and the outbox of decision e-mails."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.enums import (
    DECISION_TRANSITIONS,
    OUTBOX_TRANSITIONS,
    DecisionState,
    ExpressionState,
    OutboxState,
    PartnerState,
)
from partnerships.models import (
    Decision,
    OrganisationMembership,
    OutboxMessage,
)
from partnerships.services.audit import log_action
from partnerships.services.expression import decide_expression
from partnerships.services.notifications import absolute, queue_email
from partnerships.statemachine import ensure_transition
from partnerships.text import single_line


def _consortium_managers(expression):
    organisation_ids = [
        expression.lead_id,
        *expression.partners.filter(state=PartnerState.CONFIRMED).values_list(
            "organisation_id", flat=True
        ),
    ]
    memberships = (
        OrganisationMembership.objects.filter(
            organisation_id__in=organisation_ids, user__is_active=True
        )
        .select_related("user")
        .order_by("user__email", "user_id")
    )
    seen, users = set(), []
    for membership in memberships:
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            users.append(membership.user)
    return users


@transaction.atomic
def release_decisions(call, *, stage, by):
    """Apply every pending decision of the stage together and write the e-mails to the outbox.

    All or nothing: if one verdict can no longer be applied, none is. A selected consortium
    becomes a strategic partnership.
    """
    from partnerships.services.partnership import start_partnership

    decisions = list(
        Decision.objects.select_for_update(of=("self",))
        .filter(expression__call=call, stage=stage, state=DecisionState.PENDING)
        .select_related("expression", "expression__call")
        .order_by("expression__title", "id")
    )
    if not decisions:
        raise ValidationError(_("There are no pending decisions to release."), code="none")
    now = timezone.now()
    for decision in decisions:
        ensure_transition(
            DECISION_TRANSITIONS,
            current=decision.state,
            to=DecisionState.RELEASED,
            choices=DecisionState,
        )
        expression = decide_expression(
            decision.expression, to=decision.outcome, by=by, reason=decision.reason
        )
        decision.state = DecisionState.RELEASED
        decision.released_at = now
        decision.released_by = by
        decision.save(update_fields=["state", "released_at", "released_by"])
        if decision.outcome == ExpressionState.SELECTED:
            start_partnership(expression=expression, by=by)
        context = {
            "expression": expression,
            "call": call,
            "decision": decision,
            "outcome": ExpressionState(decision.outcome).label,
            "url": absolute(expression.get_absolute_url()),
        }
        report_url = absolute(reverse("partnerships:summary-report", args=[decision.pk]))
        # The summary report is the lead's; the partners learn the outcome only.
        lead_users = set(
            OrganisationMembership.objects.filter(organisation_id=expression.lead_id).values_list(
                "user_id", flat=True
            )
        )
        subject = single_line(
            _("ClusterPortal: decision on “%(title)s”") % {"title": expression.title}
        )
        for user in _consortium_managers(expression):
            OutboxMessage.objects.create(
                to=user.email,
                recipient=user,
                subject=subject,
                body=render_to_string(
                    "partnerships/email/review_decision.txt",
                    {
                        **context,
                        "recipient": user,
                        "report_url": report_url if user.pk in lead_users else "",
                    },
                ),
                expression=expression,
                decision=decision,
            )
    log_action(
        call, "review.decisions_released", actor=by, data={"stage": stage, "count": len(decisions)}
    )
    return decisions


@transaction.atomic
def send_outbox(messages, *, by):
    """Send the pending messages among `messages`; each goes out once, after commit."""
    ids = [message.pk for message in messages]
    pending = list(
        OutboxMessage.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, state=OutboxState.PENDING)
        .select_related("expression")
        .order_by("id")
    )
    now = timezone.now()
    for message in pending:
        ensure_transition(
            OUTBOX_TRANSITIONS, current=message.state, to=OutboxState.SENT, choices=OutboxState
        )
        message.state = OutboxState.SENT
        message.sent_at = now
        message.sent_by = by
        message.save(update_fields=["state", "sent_at", "sent_by"])
        queue_email(
            subject=message.subject,
            template="partnerships/email/outbox_message.txt",
            context={"body": message.body},
            recipients=[message.to],
        )
        log_action(
            message.expression, "review.message_sent", actor=by, data={"message": message.pk}
        )
    return len(pending)
