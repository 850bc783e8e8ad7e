"""Writes to conversations between organisations, and the abuse controls around them."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.enums import NotificationKind, ValidationState
from partnerships.models import (
    Conversation,
    ConversationRead,
    Message,
    MessageReport,
    OrganisationBlock,
    OrganisationMembership,
)
from partnerships.models.messaging import BODY_MAX, SUBJECT_MAX
from partnerships.services.audit import log_action
from partnerships.services.notification_centre import mark_all_read, notify


def _require_member(organisation, user):
    if not OrganisationMembership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            _("Only a member of %(name)s can write on its behalf.") % {"name": organisation.name},
            code="not_member",
        )


def _check_text(body, *, subject=None):
    errors = {}
    if subject is not None:
        if not subject.strip():
            errors["subject"] = _("Give the conversation a subject.")
        elif len(subject) > SUBJECT_MAX:
            errors["subject"] = _("A subject has at most %(max)d characters.") % {
                "max": SUBJECT_MAX
            }
    if not body.strip():
        errors["body"] = _("Write a message first.")
    elif len(body) > BODY_MAX:
        errors["body"] = _("A message has at most %(max)d characters; this one has %(length)d.") % {
            "max": BODY_MAX,
            "length": len(body),
        }
    if errors:
        raise ValidationError(errors, code="invalid")


def _check_not_blocked(sender, recipient):
    blocks = OrganisationBlock.objects.filter(
        Q(blocker=recipient, blocked=sender) | Q(blocker=sender, blocked=recipient)
    ).values_list("blocker_id", flat=True)
    blockers = set(blocks)
    if recipient.pk in blockers:
        raise ValidationError(
            _("%(name)s does not accept messages from your organisation.")
            % {"name": recipient.name},
            code="blocked",
        )
    if sender.pk in blockers:
        raise ValidationError(
            _("Your organisation blocked %(name)s. Unblock it to write again.")
            % {"name": recipient.name},
            code="blocking",
        )


def _check_rate(user, now):
    limit = settings.MESSAGES_PER_HOUR
    recent = Message.objects.filter(sender=user, created_at__gte=now - dt.timedelta(hours=1))
    if recent.count() >= limit:
        raise ValidationError(
            _(
                "You have sent %(limit)d messages in the last hour, the most the portal allows. "
                "Please wait a little before you write again."
            )
            % {"limit": limit},
            code="rate_limited",
        )


def _post(conversation, *, organisation, body, by, attachment, now):
    message = Message(
        conversation=conversation, organisation=organisation, sender=by, body=body.strip()
    )
    if attachment:
        message.attachment = attachment
    message.save()
    conversation.last_message_at = now
    conversation.save(update_fields=["last_message_at"])
    ConversationRead.objects.update_or_create(
        conversation=conversation, user=by, defaults={"read_at": now}
    )
    other = conversation.other_side(organisation.pk)
    notify(
        recipients=OrganisationMembership.objects.filter(organisation=other).values_list(
            "user_id", flat=True
        ),
        kind=NotificationKind.MESSAGE,
        data={
            "organisation": organisation.name,
            "recipient": other.name,
            "subject": conversation.subject,
        },
        url=conversation.get_absolute_url(),
    )
    return message


@transaction.atomic
def start_conversation(*, sender, recipient, subject, body, by, attachment=None, origin_url=""):
    """Write to another organisation on behalf of `sender`; its members are notified."""
    _require_member(sender, by)
    if sender.pk == recipient.pk:
        raise ValidationError(
            {"recipient": _("Choose another organisation than your own.")}, code="self"
        )
    if recipient.validation_state != ValidationState.VERIFIED:
        raise ValidationError(
            _("Only organisations in the public directory can be written to."),
            code="not_public",
        )
    _check_text(body, subject=subject)
    _check_not_blocked(sender, recipient)
    now = timezone.now()
    _check_rate(by, now)
    conversation = Conversation.objects.create(
        starter=sender,
        recipient=recipient,
        subject=" ".join(subject.split()),
        started_by=by,
        origin_url=origin_url if origin_url.startswith("/") else "",
        last_message_at=now,
    )
    _post(conversation, organisation=sender, body=body, by=by, attachment=attachment, now=now)
    log_action(conversation, "conversation.started", actor=by, data={"to": recipient.pk})
    return conversation


def side_of(conversation, user):
    """The organisation `user` writes for in `conversation` (the starter when both)."""
    sides = set(
        OrganisationMembership.objects.filter(
            user=user, organisation_id__in=(conversation.starter_id, conversation.recipient_id)
        ).values_list("organisation_id", flat=True)
    )
    if conversation.starter_id in sides:
        return conversation.starter
    if conversation.recipient_id in sides:
        return conversation.recipient
    return None


@transaction.atomic
def reply(conversation, *, body, by, attachment=None):
    """Answer in a conversation for the side `by` belongs to."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    organisation = side_of(conversation, by)
    if organisation is None:
        raise ValidationError(_("Only members of either organisation can answer."), code="member")
    _check_text(body)
    _check_not_blocked(organisation, conversation.other_side(organisation.pk))
    now = timezone.now()
    _check_rate(by, now)
    return _post(
        conversation, organisation=organisation, body=body, by=by, attachment=attachment, now=now
    )


def mark_conversation_read(conversation, *, by):
    """Record that `by` has read `conversation` up to now, with its notifications."""
    ConversationRead.objects.update_or_create(
        conversation=conversation, user=by, defaults={"read_at": timezone.now()}
    )
    mark_all_read(by=by, kind=NotificationKind.MESSAGE, url=conversation.get_absolute_url())


@transaction.atomic
def block_organisation(organisation, *, blocked, by):
    """`organisation` accepts no more messages from `blocked`, nor writes to it."""
    _require_member(organisation, by)
    if organisation.pk == blocked.pk:
        raise ValidationError(_("An organisation cannot block itself."), code="self")
    # get_or_create reads the row again when a simultaneous block won the unique rule.
    block, _created = OrganisationBlock.objects.get_or_create(
        blocker=organisation, blocked=blocked, defaults={"by": by}
    )
    log_action(organisation, "organisation.blocked", actor=by, data={"blocked": blocked.pk})
    return block


@transaction.atomic
def unblock_organisation(organisation, *, blocked, by):
    _require_member(organisation, by)
    removed = OrganisationBlock.objects.filter(blocker=organisation, blocked=blocked).delete()[0]
    if removed:
        log_action(organisation, "organisation.unblocked", actor=by, data={"blocked": blocked.pk})
    return removed


@transaction.atomic
def report_message(message, *, reason, by):
    """Tell staff that `message` is abuse; they find it in the back office."""
    if side_of(message.conversation, by) is None:
        raise ValidationError(_("Only participants can report a message."), code="member")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say briefly what is wrong with this message.")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("A reason has at most 1000 characters.")})
    report = MessageReport.objects.create(message=message, reporter=by, reason=reason)
    log_action(message.conversation, "message.reported", actor=by, data={"message": message.pk})
    return report


def export_messages(user):
    """The export's section for messages: what the person wrote, not what others wrote."""
    messages = (
        Message.objects.filter(sender=user)
        .select_related("conversation", "organisation")
        .order_by("created_at", "pk")
    )
    return {
        "messages_sent": [
            {
                "conversation": message.conversation.subject,
                "for": message.organisation.name,
                "to": message.conversation.other_side(message.organisation_id).name,
                "at": message.created_at.isoformat(),
                "text": message.body,
                "attachment": message.attachment_name,
            }
            for message in messages
        ],
        "messages_reported": [
            {
                "message": report.message_id,
                "reason": report.reason,
                "at": report.created_at.isoformat(),
            }
            for report in MessageReport.objects.filter(reporter=user).order_by("created_at", "pk")
        ],
    }


def erase_messages(user, redact):
    """Conversations stay with the organisations; the person's name and traces leave them.

    Their messages remain as their organisation's, without them as writer; their name and
    addresses are replaced in every subject and message, whoever wrote it.
    """
    counts = {
        "messages_unsigned": Message.objects.filter(sender=user).update(sender=None),
        "conversations_unsigned": Conversation.objects.filter(started_by=user).update(
            started_by=None
        ),
        "reports_unsigned": MessageReport.objects.filter(reporter=user).update(reporter=None),
    }
    ConversationRead.objects.filter(user=user).delete()
    counts["messages_redacted"] = len(redact.rewrite(Message.objects, ["body"]))
    counts["conversations_redacted"] = len(redact.rewrite(Conversation.objects, ["subject"]))
    counts["reports_redacted"] = len(redact.rewrite(MessageReport.objects, ["reason"]))
    return counts


@transaction.atomic
def resolve_reports(reports, *, by):
    """Staff mark reports as dealt with; each once."""
    now = timezone.now()
    pending = list(
        MessageReport.objects.select_for_update()
        .filter(pk__in=[report.pk for report in reports], resolved_at__isnull=True)
        .select_related("message__conversation")
    )
    for report in pending:
        report.resolved_at = now
        report.save(update_fields=["resolved_at"])
        log_action(
            report.message.conversation,
            "message.report_resolved",
            actor=by,
            data={"report": report.pk},
        )
    return len(pending)
