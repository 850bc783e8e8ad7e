"""Staff checks of declared labels, and the reminders to renew a label before it runs out."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.enums import (
    LABEL_RENEWAL_REMINDER_DAYS,
    LABEL_TRANSITIONS,
    LabelState,
)
from partnerships.facet_loader import bump_directory_version_on_commit
from partnerships.models import Label, OrganisationMembership
from partnerships.services.audit import log_action
from partnerships.services.notifications import absolute, queue_email
from partnerships.services.organisation import bump_organisation_pages, mark_for_rescoring
from partnerships.statemachine import ensure_transition


@transaction.atomic
def check_label(label, *, verified, by, note="", certificate_seen=False, dates_checked=False):
    """Staff verify a declared label (certificate seen, level and dates checked) or reject it.

    Only a verified label counts for eligibility and matchmaking, so the organisation is
    re-scored and its pages are refreshed either way. Rejecting needs a reason the managers
    can act on; they are told by e-mail.
    """
    label = Label.objects.select_for_update().select_related("organisation").get(pk=label.pk)
    target = LabelState.VERIFIED if verified else LabelState.REJECTED
    ensure_transition(LABEL_TRANSITIONS, current=label.state, to=target, choices=LabelState)
    note = note.strip()
    if verified and not (certificate_seen and dates_checked):
        raise ValidationError(
            _("Verify a label only after seeing the certificate and checking level and dates."),
            code="unchecked",
        )
    if not verified and not note:
        raise ValidationError(
            {"note": _("Say why the label is rejected: the managers read it.")},
            code="reason_required",
        )
    label.state = target
    label.checked_at = timezone.now()
    label.checked_by = by
    label.check_note = note
    label.save(update_fields=["state", "checked_at", "checked_by", "check_note"])
    organisation = label.organisation
    log_action(
        organisation,
        f"label.{target}",
        actor=by,
        data={"label": label.pk, "level": label.level, "reason": note},
    )
    mark_for_rescoring([organisation.pk])
    bump_directory_version_on_commit()
    bump_organisation_pages([organisation.pk])
    queue_email(
        subject=_("ClusterPortal: the label of %(name)s was checked") % {"name": organisation.name},
        template="partnerships/email/label_checked.txt",
        context={
            "organisation": organisation,
            "label": label,
            "url": absolute(organisation.get_absolute_url()),
        },
        recipients=_manager_emails(organisation.pk),
    )
    return label


def _manager_emails(organisation_id):
    return list(
        OrganisationMembership.objects.filter(
            organisation_id=organisation_id, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def reminder_due(valid_until, *, today, already=None):
    """The reminder (days before expiry) a label running out on `valid_until` is due, if any.

    Only the latest threshold passed is sent: a label first seen 20 days before expiry gets
    the 30-day reminder, not both. `already` is the latest one sent.
    """
    days_left = (valid_until - today).days
    if days_left < 0:
        return None
    due = min((days for days in LABEL_RENEWAL_REMINDER_DAYS if days_left <= days), default=None)
    if due is None or (already is not None and already <= due):
        return None
    return due


def send_label_renewal_reminders(*, today=None):
    """Remind the managers of every label that runs out within 90 (then 30) days; safe to repeat.

    A rejected label is not reminded, nor one the organisation has already renewed (another
    label not rejected that runs longer). Returns how many reminders were sent.
    """
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(LABEL_RENEWAL_REMINDER_DAYS))
    candidates = (
        Label.objects.exclude(state=LabelState.REJECTED)
        .filter(valid_until__gte=today, valid_until__lte=horizon)
        .filter(
            Q(reminded_days_before__isnull=True)
            | Q(reminded_days_before__gt=min(LABEL_RENEWAL_REMINDER_DAYS))
        )
        .values_list("pk", flat=True)
        .order_by("valid_until", "pk")
    )
    sent = 0
    for pk in list(candidates):
        if _remind(pk, today=today):
            sent += 1
    return sent


@transaction.atomic
def _remind(pk, *, today):
    # Locked and re-read, so two runs at once (or a retried task) send one reminder.
    label = Label.objects.select_for_update().select_related("organisation").filter(pk=pk).first()
    if label is None or label.state == LabelState.REJECTED:
        return False
    due = reminder_due(label.valid_until, today=today, already=label.reminded_days_before)
    if due is None:
        return False
    renewed = (
        Label.objects.filter(
            organisation_id=label.organisation_id, valid_until__gt=label.valid_until
        )
        .exclude(state=LabelState.REJECTED)
        .exists()
    )
    if renewed:
        return False
    label.reminded_days_before = due
    label.save(update_fields=["reminded_days_before"])
    organisation = label.organisation
    log_action(
        organisation,
        "label.renewal_reminded",
        actor=None,
        data={"label": label.pk, "days_before": due},
    )
    queue_email(
        subject=_("ClusterPortal: the label of %(name)s runs out on %(date)s")
        % {"name": organisation.name, "date": label.valid_until.isoformat()},
        template="partnerships/email/label_renewal.txt",
        context={
            "organisation": organisation,
            "label": label,
            "days": (label.valid_until - today).days,
            "url": absolute(organisation.get_absolute_url()),
        },
        recipients=_manager_emails(organisation.pk),
    )
    return True
