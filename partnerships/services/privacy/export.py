"""A copy of everything the portal holds about a person (the right of access)."""

from allauth.account.models import EmailAddress
from axes.models import AccessFailureLog, AccessLog
from django.db.models import Q
from django.utils import timezone

from partnerships.models import (
    AuditEntry,
    CallReviewer,
    ConflictDeclaration,
    ConsensusScore,
    ExpressionAttachment,
    ExpressionOfInterest,
    ExpressionPartner,
    Invitation,
    Organisation,
    OrganisationMembership,
    OutboxMessage,
    ReviewScore,
    User,
)
from partnerships.services.messaging import export_messages
from partnerships.services.notification_centre import export_notifications
from partnerships.signals import personal_data_export

from .redaction import _addresses, _email_in, iso


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
