"""The notification centre: what happened that concerns a person, and how they want to hear.

Not django-notifications-hq, the well-known library for this: its newest release (1.8.3) still
declares ``Meta.index_together``, which Django 5.1 removed, so its models do not load on
Django 5.2; its generic actor/target rows would also cost a content-type join per line of the
list. pinax-notifications and django-notifs only send (by e-mail, channels) and keep no
read/unread store. What remains is small: a row per person and event, with the words of the
line kept as data and translated when shown.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.enums import NotificationDelivery, NotificationKind

# One line per kind; the notification's data fills the names in when the line is shown, in
# the reader's language.
NOTIFICATION_TEXTS = {
    NotificationKind.MESSAGE: _("%(organisation)s wrote to %(recipient)s: “%(subject)s”"),
    NotificationKind.CONSORTIUM_INVITATION: _(
        "%(lead)s invites %(organisation)s into the consortium of “%(title)s”"
    ),
    NotificationKind.MEETING_REQUEST: _("%(organisation)s asks you for a meeting at %(event)s"),
    NotificationKind.CALL_CLOSING: _("The call “%(call)s” closes on %(deadline)s"),
    NotificationKind.LABEL_EXPIRING: _("The %(level)s label of %(organisation)s ends on %(until)s"),
    NotificationKind.VALIDATION_DECISION: _("Staff decided on %(organisation)s: %(outcome)s"),
    NotificationKind.SEARCH_INTEREST: _("%(organisation)s is interested in “%(search)s”"),
    NotificationKind.SEARCH_COMMENT: _("New comment on the partner search “%(search)s”"),
}


class Notification(models.Model):
    """Something that happened which concerns the recipient, linking to where it happened."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    # Names to fill into the kind's line (organisation, call, event...): plain strings.
    data = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Set for what a periodic task finds (a call closing, a label expiring), so that the task
    # run twice, or on two days of the same window, tells a person once.
    key = models.CharField(max_length=120, blank=True, editable=False)
    unread = models.BooleanField(_("unread"), default=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list, newest first, and the header's unread count, both by recipient.
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_time"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(unread=True),
                name="notification_unread",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_unique_key",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values),
                name="notification_kind_valid",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self):
        line = NOTIFICATION_TEXTS.get(self.kind)
        if line is None:
            return self.get_kind_display()
        try:
            return str(line) % self.data
        except (KeyError, TypeError, ValueError):
            # A row written before its line took a new name: the kind still says what it was.
            return self.get_kind_display()


class NotificationPreference(models.Model):
    """How one kind of notification reaches one person; a kind without a row uses the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    delivery = models.CharField(_("delivery"), max_length=10, choices=NotificationDelivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique"),
            models.CheckConstraint(
                condition=models.Q(delivery__in=NotificationDelivery.values),
                name="notification_preference_delivery_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.delivery}"


class DigestDelivery(models.Model):
    """The weekly digest of one week went to one person: a second run of the task skips them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    # The Monday of the week the digest covers.
    week = models.DateField(_("week"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="digest_delivery_unique_week"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.week}"
