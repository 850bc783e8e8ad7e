"""Erasing a person: their account, memberships, traces in reviews, logs and shared texts."""

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
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
from partnerships.services.messaging import erase_messages
from partnerships.services.notification_centre import erase_notifications
from partnerships.services.organisation import mark_for_rescoring
from partnerships.signals import personal_data_erasure

from .redaction import ERASED, Redactor, _addresses, _email_in, erased_email


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
