"""Writes to the notification centre: telling people, marking read, their preferences.

Any app may call `notify`; the apps above this one do (a meeting request in events) and so do
the receivers of this app's own signals. An e-mail "at once" is queued through the outbox in
`services.notifications`, so it leaves after the commit and survives a broker outage.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.enums import (
    DEFAULT_DELIVERY,
    ESSENTIAL_EMAIL_KINDS,
    NotificationDelivery,
    NotificationKind,
)
from partnerships.models import Notification, NotificationPreference, User
from partnerships.services.audit import log_action
from partnerships.services.notifications import absolute, queue_email


def deliveries_for(user_ids, kind):
    """user id -> how `kind` reaches them, chosen or default, in one query."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=list(user_ids), kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    default = DEFAULT_DELIVERY[kind]
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def notify(*, recipients, kind, data, url, key=""):
    """Tell each of `recipients` (users or ids) that `kind` happened; returns the rows made.

    Accounts that are closed or erased get nothing. With a `key`, a person already told under
    that key is not told again, so periodic tasks can run as often as they like. People who
    chose "at once" get an e-mail after the commit, unless the event sends its own.
    """
    kind = NotificationKind(kind)
    ids = {getattr(recipient, "pk", recipient) for recipient in recipients}
    ids = set(
        User.objects.filter(pk__in=ids, is_active=True, erased_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if key:
        ids -= set(
            Notification.objects.filter(recipient_id__in=ids, key=key).values_list(
                "recipient_id", flat=True
            )
        )
    if not ids:
        return []
    data = {name: str(value) for name, value in data.items()}
    now = timezone.now()
    deliveries = deliveries_for(ids, kind)
    emailed = {
        user_id
        for user_id, delivery in deliveries.items()
        if delivery == NotificationDelivery.EMAIL and kind not in ESSENTIAL_EMAIL_KINDS
    }
    rows = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            data=data,
            url=url,
            key=key,
            created_at=now,
            emailed_at=now if user_id in emailed else None,
        )
        for user_id in sorted(ids)
    ]
    with transaction.atomic():
        # A concurrent run with the same key has told them already; the constraint keeps one.
        created = Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    if emailed:
        _email_at_once(rows[0], emailed)
    return created


def _email_at_once(notification, user_ids):
    text = notification.text
    context = {"text": text, "url": absolute(notification.url) if notification.url else ""}
    # One e-mail each: the people told are often of different organisations.
    for email in User.objects.filter(pk__in=user_ids).values_list("email", flat=True):
        queue_email(
            subject=_("ClusterPortal: %(text)s") % {"text": text},
            template="partnerships/email/notification.txt",
            context=context,
            recipients=[email],
        )


def mark_read(notification, *, by):
    """Mark one of `by`'s notifications read; another person's is left alone."""
    return Notification.objects.filter(pk=notification.pk, recipient=by, unread=True).update(
        unread=False
    )


def mark_all_read(*, by, kind=None, url=None):
    """Mark `by`'s unread notifications read, of one kind and link when given."""
    notifications = Notification.objects.filter(recipient=by, unread=True)
    if kind is not None:
        notifications = notifications.filter(kind=kind)
    if url is not None:
        notifications = notifications.filter(url=url)
    return notifications.update(unread=False)


@transaction.atomic
def set_notification_preferences(user, *, deliveries, by):
    """Save how each kind in `deliveries` ({kind: delivery}) reaches `user`."""
    for kind, delivery in deliveries.items():
        NotificationPreference.objects.update_or_create(
            user=user,
            kind=NotificationKind(kind),
            defaults={"delivery": NotificationDelivery(delivery)},
        )
    log_action(
        user,
        "account.notification_preferences",
        actor=by,
        data={str(kind): str(delivery) for kind, delivery in sorted(deliveries.items())},
    )


def export_notifications(user):
    """The export's sections for the notification centre."""
    return {
        "notifications": [
            {
                "kind": notification.kind,
                "text": notification.text,
                "link": notification.url,
                "at": notification.created_at.isoformat(),
                "unread": notification.unread,
            }
            for notification in Notification.objects.filter(recipient=user).order_by(
                "created_at", "pk"
            )
        ],
        "notification_preferences": [
            {"kind": preference.kind, "delivery": preference.delivery}
            for preference in NotificationPreference.objects.filter(user=user).order_by("kind")
        ],
    }


def erase_notifications(user, redact):
    """Delete what was told to `user`, and their name from what others were told."""
    deleted = Notification.objects.filter(recipient=user).delete()[0]
    NotificationPreference.objects.filter(user=user).delete()
    user.digest_deliveries.all().delete()
    mentioning = Q(pk__in=[])
    for needle in redact.needles:
        mentioning |= Q(data__icontains=needle)
    redacted = 0
    for notification in Notification.objects.filter(mentioning):
        notification.data = redact(notification.data)
        notification.save(update_fields=["data"])
        redacted += 1
    return {"notifications": deleted, "notifications_redacted": redacted}
