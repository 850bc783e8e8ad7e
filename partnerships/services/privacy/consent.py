"""E-mail consent, and pruning sign-in records past their retention period."""

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from partnerships.services.audit import log_action


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
