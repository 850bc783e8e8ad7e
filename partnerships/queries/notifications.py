"""Reads of the notification centre, each scoped to the person reading."""

from django.db.models import Count, Q

from partnerships.enums import NotificationKind
from partnerships.models import Notification


def notifications_for_user(user):
    """The person's own notifications, newest first; nobody else's are ever in it."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_counts(user):
    """{"total": unread notifications, "messages": of which about messages}, in one query."""
    counts = Notification.objects.filter(recipient=user, unread=True).aggregate(
        total=Count("pk"), messages=Count("pk", filter=Q(kind=NotificationKind.MESSAGE))
    )
    return {"total": counts["total"] or 0, "messages": counts["messages"] or 0}
