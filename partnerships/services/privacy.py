"""The data-protection rights of a person: a copy of their data, erasure, e-mail consent.

Apps above this one take part through the signals `personal_data_export` and
`personal_data_erasure`; this module never imports them.
"""

import datetime as dt
import re

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships import page_cache
from partnerships.enums import MembershipRole
from partnerships.facet_loader import bump_directory_version_on_commit
from partnerships.models import (
    AuditEntry,
    CallReviewer,
    ConflictDeclaration,
    ConsensusScore,
    Decision,
    ExpressionAttachment,
    ExpressionOfInterest,
    ExpressionPartner,
    Invitation,
    Organisation,
    OrganisationMembership,
    OutboxMessage,
    PartnershipMilestone,
    PartnershipOutcome,
    ReviewScore,
    StrategicPartnership,
    User,
)
from partnerships.services.audit import log_action
from partnerships.services.messaging import erase_messages, export_messages
from partnerships.services.notification_centre import erase_notifications, export_notifications
from partnerships.services.notifications import ERASED_EMAIL_DOMAIN
from partnerships.services.organisation import mark_for_rescoring
from partnerships.signals import personal_data_erasure, personal_data_export

ERASED = "[erased]"
# A shorter name would match inside ordinary words of other people's records.
MIN_NAME_LENGTH = 4


def erased_email(user):
    return f"erased-{user.pk}@{ERASED_EMAIL_DOMAIN}"


def iso(value):
    """A date or time as ISO 8601 for the export, None as None."""
    return value.isoformat() if value is not None else None


class Redactor:
    """Replaces a person's name and e-mail addresses in texts and JSON values.

    E-mail addresses are replaced wherever they occur; the name only as whole words, so that
    "Ann" never turns "Annual report" into "[erased]ual report".
    """

    def __init__(self, *, name, emails):
        name = " ".join(name.split())
        self.name = name if len(name) >= MIN_NAME_LENGTH else ""
        self.emails = sorted({email.lower() for email in emails if email}, key=len, reverse=True)
        patterns = [re.escape(email) for email in self.emails]
        if self.name:
            # Any run of whitespace between the parts of the name, as typed in free text.
            words = r"\s+".join(re.escape(part) for part in self.name.split(" "))
            patterns.append(rf"(?<!\w){words}(?!\w)")
        self.pattern = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    @property
    def needles(self):
        return [*self.emails, *([self.name] if self.name else [])]

    def __call__(self, value):
        if self.pattern is None:
            return value
        if isinstance(value, str):
            return self.pattern.sub(ERASED, value)
        if isinstance(value, list):
            return [self(item) for item in value]
        if isinstance(value, dict):
            return {key: self(item) for key, item in value.items()}
        return value

    def q(self, *fields):
        """A filter for rows whose `fields` may contain the person (checked again in Python)."""
        condition = Q(pk__in=[])
        for field in fields:
            for needle in self.needles:
                condition |= Q(**{f"{field}__icontains": needle})
        return condition

    def rewrite(self, rows, fields, *, touch=False):
        """Redact `fields` of every row of `rows` (a manager or queryset) that may hold the
        person; returns the primary keys of the rows saved.

        A save per row, not an update, so that search-vector triggers follow the new text;
        with `touch`, the rows' `updated_at` moves too.
        """
        update_fields = [*fields, "updated_at"] if touch else list(fields)
        saved = []
        for row in rows.filter(self.q(*fields)):
            for field in fields:
                setattr(row, field, self(getattr(row, field)))
            row.save(update_fields=update_fields)
            saved.append(row.pk)
        return saved


def export_personal_data(*, user):
    """Everything the portal holds about `user`, as JSON-ready sections.

    Other people appear only as organisations, never by name or address.
    """
    emails = _addresses(user)
    data = {
        "format": "clusterportal-personal-data/1",
        "exported_at": iso(timezone.now()),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "commission_staff": user.is_staff,
            "email_consent": user.email_consent,
            "email_consent_changed_at": iso(user.email_consent_at),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("email")
            ],
        },
        "organisation_memberships": [
            {
                "organisation_id": membership.organisation_id,
                "organisation": membership.organisation.name,
                "role": membership.role,
                "since": iso(membership.created_at),
            }
            for membership in OrganisationMembership.objects.filter(user=user)
            .select_related("organisation")
            .order_by("created_at", "pk")
        ],
        "organisation_contact_for": [
            {"organisation_id": pk, "organisation": name}
            for pk, name in Organisation.objects.filter(_email_in("contact_email", emails))
            .order_by("pk")
            .values_list("pk", "name")
        ],
        "invitations_received": [
            {
                "organisation": invitation.organisation.name,
                "role": invitation.role,
                "sent_at": iso(invitation.created_at),
                "accepted_at": iso(invitation.accepted_at),
            }
            for invitation in Invitation.objects.filter(
                _email_in("email", emails) | Q(accepted_by=user)
            )
            .select_related("organisation")
            .order_by("created_at", "pk")
        ],
        "invitations_sent": [
            {
                "organisation": invitation.organisation.name,
                "role": invitation.role,
                "sent_at": iso(invitation.created_at),
                "accepted": invitation.accepted_at is not None,
            }
            for invitation in Invitation.objects.filter(invited_by=user)
            .select_related("organisation")
            .order_by("created_at", "pk")
        ],
        "expressions_started": [
            {
                "expression_id": expression.pk,
                "title": expression.title,
                "call": expression.call.title,
                "lead": expression.lead.name,
                "state": expression.state,
                "created_at": iso(expression.created_at),
            }
            for expression in ExpressionOfInterest.objects.filter(created_by=user)
            .select_related("call", "lead")
            .order_by("created_at", "pk")
        ],
        "attachments_uploaded": [
            {
                "expression_id": attachment.expression_id,
                "title": attachment.title,
                "uploaded_at": iso(attachment.created_at),
            }
            for attachment in ExpressionAttachment.objects.filter(uploaded_by=user).order_by(
                "created_at", "pk"
            )
        ],
        "consortium_answers": [
            {
                "expression_id": partner.expression_id,
                "organisation": partner.organisation.name,
                "state": partner.state,
                "answered_at": iso(partner.responded_at),
            }
            for partner in ExpressionPartner.objects.filter(responded_by=user)
            .select_related("organisation")
            .order_by("responded_at", "pk")
        ],
        "activity": [
            {
                "at": iso(entry.created_at),
                "action": entry.action,
                "object_type": f"{entry.content_type.app_label}.{entry.content_type.model}",
                "object_id": entry.object_id,
            }
            for entry in AuditEntry.objects.filter(actor=user)
            .select_related("content_type")
            .order_by("created_at", "pk")
        ],
        "sign_ins": [
            {
                "at": iso(log.attempt_time),
                "signed_out_at": iso(log.logout_time),
                "ip_address": log.ip_address,
                "browser": log.user_agent,
            }
            for log in AccessLog.objects.filter(_email_in("username", emails)).order_by(
                "attempt_time", "pk"
            )
        ],
        "failed_sign_ins": [
            {
                "at": iso(log.attempt_time),
                "ip_address": log.ip_address,
                "browser": log.user_agent,
                "locked_out": log.locked_out,
            }
            for log in AccessFailureLog.objects.filter(_email_in("username", emails)).order_by(
                "attempt_time", "pk"
            )
        ],
    }
    data.update(_review_sections(user, emails))
    data.update(export_notifications(user))
    data.update(export_messages(user))
    for _receiver, sections in personal_data_export.send(sender=User, user=user):
        data.update(sections or {})
    return data


def _review_sections(user, emails):
    """What the person did as a reviewer, and the decision e-mails written to them."""
    scores = (
        ReviewScore.objects.filter(review__assignment__reviewer=user)
        .select_related("review__assignment__expression", "criterion")
        .order_by("review__assignment__expression_id", "review__assignment__stage", "pk")
    )
    return {
        "reviewer_pools": [
            {"call": reviewer.call.title, "moderator": reviewer.is_moderator}
            for reviewer in CallReviewer.objects.filter(user=user)
            .select_related("call")
            .order_by("pk")
        ],
        "conflict_declarations": [
            {
                "organisation": declaration.organisation.name,
                "reason": declaration.reason,
            }
            for declaration in ConflictDeclaration.objects.filter(user=user)
            .select_related("organisation")
            .order_by("pk")
        ],
        "review_scores": [
            {
                "expression": score.review.assignment.expression.title,
                "stage": score.review.assignment.stage,
                "review_state": score.review.state,
                "criterion": score.criterion.name,
                "score": None if score.score is None else str(score.score),
                "comment": score.comment,
            }
            for score in scores
        ],
        "consensus_scores": [
            {
                "expression": consensus.expression.title,
                "criterion": consensus.criterion.name,
                "score": str(consensus.score),
                "comment": consensus.comment,
            }
            for consensus in ConsensusScore.objects.filter(by=user)
            .select_related("expression", "criterion")
            .order_by("pk")
        ],
        "decision_emails": [
            {
                "subject": message.subject,
                "body": message.body,
                "state": message.state,
                "sent_at": iso(message.sent_at),
            }
            for message in OutboxMessage.objects.filter(
                _email_in("to", emails) | Q(recipient=user)
            ).order_by("created_at", "pk")
        ],
    }


def _addresses(user):
    addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    return sorted({user.email.lower(), *(address.lower() for address in addresses)})


def _email_in(field, emails):
    condition = Q(pk__in=[])
    for email in emails:
        condition |= Q(**{f"{field}__iexact": email})
    return condition


@transaction.atomic
def erase_person(*, user, by):
    """Erase `user`'s personal data everywhere, keeping the records they took part in.

    The user row stays, anonymised, so that reviews keep their scores and meetings their
    shape; organisations stay with the people who remain. The audit entry says what was
    erased in numbers only.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.erased_at is not None:
        raise ValidationError(_("This account has already been erased."), code="erased")
    emails = _addresses(user)
    redact = Redactor(name=user.full_name, emails=emails)
    counts = {}
    for _receiver, result in personal_data_erasure.send(
        sender=User, user=user, emails=emails, redact=redact
    ):
        counts.update(result or {})
    counts.update(_leave_organisations(user))
    counts["organisation_contacts"] = Organisation.objects.filter(
        _email_in("contact_email", emails)
    ).update(contact_email="", updated_at=timezone.now())
    counts.update(_erase_invitations(user, emails))
    counts.update(_erase_review_traces(user, emails, redact))
    counts.update(_redact_shared_texts(redact))
    counts.update(erase_notifications(user, redact))
    counts.update(erase_messages(user, redact))
    counts.update(_erase_sign_in_records(user, emails))
    _anonymise(user)
    counts.update(_redact_logs(user, redact))
    log_action(user, "account.erased", actor=by, data={"by_self": by.pk == user.pk, **counts})
    return user


def _leave_organisations(user):
    """Drop the person's memberships; where they were the only owner, an editor takes over."""
    memberships = list(
        OrganisationMembership.objects.select_for_update()
        .filter(user=user)
        .select_related("organisation")
    )
    handed_over = 0
    for membership in memberships:
        organisation = membership.organisation
        others = organisation.memberships.exclude(user=user)
        if (
            membership.role == MembershipRole.OWNER
            and not others.filter(role=MembershipRole.OWNER).exists()
        ):
            successor = others.order_by("created_at", "pk").first()
            if successor is not None:
                successor.role = MembershipRole.OWNER
                successor.save(update_fields=["role"])
                handed_over += 1
                log_action(
                    organisation,
                    "organisation.ownership_transferred",
                    actor=None,
                    data={"to": successor.user_id, "reason": "owner_erased"},
                )
        membership.delete()
    return {"memberships": len(memberships), "ownerships_handed_over": handed_over}


def _erase_invitations(user, emails):
    addressed = Invitation.objects.filter(_email_in("email", emails) | Q(accepted_by=user))
    # An open invitation is of no use to anybody once the address is gone.
    deleted, _by_model = addressed.filter(accepted_at__isnull=True).delete()
    # An accepted one records how the person joined; it keeps that shape without the address.
    kept = addressed.filter(accepted_at__isnull=False).update(email=erased_email(user))
    return {"invitations_deleted": deleted, "invitations_anonymised": kept}


def _erase_review_traces(user, emails, redact):
    """Reviews keep their scores and reasons; the person's name and address leave the texts.

    The comments are the Commission's record of why an expression scored as it did, so they
    stay, without the name or address of anybody who was erased.
    """
    pools = CallReviewer.objects.filter(user=user).delete()[0]
    declarations = ConflictDeclaration.objects.filter(user=user).update(reason=ERASED)
    texts = sum(
        len(redact.rewrite(model.objects, fields))
        for model, fields in (
            (ReviewScore, ("comment",)),
            (ConsensusScore, ("comment",)),
            (Decision, ("reason",)),
        )
    )
    outbox = 0
    for message in OutboxMessage.objects.filter(
        _email_in("to", emails) | Q(recipient=user) | redact.q("subject", "body")
    ):
        if message.recipient_id == user.pk or message.to.lower() in emails:
            message.to = erased_email(user)
            message.recipient = None
        message.subject = redact(message.subject)
        message.body = redact(message.body)
        message.save(update_fields=["to", "recipient", "subject", "body"])
        outbox += 1
    return {
        "reviewer_pools": pools,
        "conflict_declarations": declarations,
        "review_texts": texts,
        "outbox_messages": outbox,
    }


# Texts written for an organisation, a consortium or a partnership, where someone may have
# named the person ("contact: ..."). They stay, without the name and addresses.
SHARED_TEXTS = (
    (Organisation, ("description", "keywords", "rejection_reason")),
    (
        ExpressionOfInterest,
        (
            "title",
            "objectives",
            "preparatory_activities",
            "implementation_activities",
            "investment_activities",
        ),
    ),
    (ExpressionAttachment, ("title",)),
    (StrategicPartnership, ("summary",)),
    (PartnershipMilestone, ("title",)),
    (PartnershipOutcome, ("description",)),
)


def _redact_shared_texts(redact):
    changed = 0
    organisations = []
    for model, fields in SHARED_TEXTS:
        saved = redact.rewrite(model.objects, fields, touch=hasattr(model, "updated_at"))
        changed += len(saved)
        if model is Organisation:
            organisations = saved
    if organisations:
        mark_for_rescoring(organisations)
        bump_directory_version_on_commit()
    if changed:
        # Texts of many kinds of page (profiles, partnerships, events) may have been rewritten.
        page_cache.bump_on_commit(page_cache.ALL)
    return {"shared_texts": changed}


def _erase_sign_in_records(user, emails):
    addresses = EmailAddress.objects.filter(user=user)
    email_addresses = addresses.count()
    addresses.delete()  # Their confirmation keys go with them.
    by_name = _email_in("username", emails)
    in_data = Q(pk__in=[])
    for email in emails:
        in_data |= Q(post_data__icontains=email) | Q(get_data__icontains=email)
    sign_ins = (
        AccessLog.objects.filter(by_name).delete()[0]
        + AccessFailureLog.objects.filter(by_name).delete()[0]
        + AccessAttempt.objects.filter(by_name | in_data).delete()[0]
    )
    user_id = str(user.pk)
    sessions = [
        session.pk
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=sessions).delete()
    return {
        "email_addresses": email_addresses,
        "sign_in_records": sign_ins,
        "sessions": len(sessions),
    }


def _anonymise(user):
    user.email = erased_email(user)
    user.full_name = ""
    # A random unusable value: no session, reset link or remember-me fits the row any more.
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.email_consent = False
    user.email_consent_at = None
    user.erased_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def _redact_logs(user, redact):
    """Take the person out of the audit log and the admin's change history."""
    user_type = ContentType.objects.get_for_model(User)
    about_user = Q(content_type=user_type, object_id=str(user.pk))
    audit = AuditEntry.objects.annotate(data_text=Cast("data", TextField())).filter(
        redact.q("object_repr", "data_text") | about_user
    )
    admin = LogEntry.objects.filter(redact.q("object_repr", "change_message") | about_user)
    return {
        "audit_entries": _redact_entries(audit, "data", user, user_type, redact),
        "admin_log_entries": _redact_entries(admin, "change_message", user, user_type, redact),
    }


def _redact_entries(entries, text, user, user_type, redact):
    """Redact log `entries`; those about the person's own account name the anonymised user."""
    for entry in entries:
        if entry.content_type_id == user_type.pk and entry.object_id == str(user.pk):
            entry.object_repr = str(user)
        else:
            entry.object_repr = redact(entry.object_repr)
        setattr(entry, text, redact(getattr(entry, text)))
        entry.save(update_fields=["object_repr", text])
    return len(entries)


@transaction.atomic
def set_email_consent(user, *, consent, by):
    """Give or withdraw consent to news and digests by e-mail; the time is kept as proof."""
    if user.email_consent == consent:
        return user
    user.email_consent = consent
    user.email_consent_at = timezone.now()
    user.save(update_fields=["email_consent", "email_consent_at"])
    log_action(
        user,
        "account.email_consent_given" if consent else "account.email_consent_withdrawn",
        actor=by,
    )
    return user


def prune_sign_in_records(*, now=None):
    """Delete sign-in records past their retention time, and sessions that have expired."""
    now = now or timezone.now()
    before = now - dt.timedelta(days=settings.SIGN_IN_RECORD_RETENTION_DAYS)
    return {
        "sign_ins": AccessLog.objects.filter(attempt_time__lt=before).delete()[0],
        "failed_sign_ins": AccessFailureLog.objects.filter(attempt_time__lt=before).delete()[0],
        "attempts": AccessAttempt.objects.filter(attempt_time__lt=before).delete()[0],
        "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
    }
