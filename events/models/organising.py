"""Who runs an event besides its first organiser, and what they sent to its participants.

Event is referred to by name, so this module does not import it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventOrganiser(models.Model):
    """A co-organiser: manages the event like the organiser who created it."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="organisers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_organiser_roles",
        verbose_name=_("organiser"),
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appointed by"),
    )
    appointed_at = models.DateTimeField(_("appointed"), auto_now_add=True)

    class Meta:
        verbose_name = _("co-organiser")
        verbose_name_plural = _("co-organisers")
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="event_organiser_once"),
        ]

    def __str__(self):
        return f"{self.user} ({self.event})"


class EventMailing(models.Model):
    """An e-mail the organisers sent to a filtered set of participants; one copy each."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="mailings")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    # The filter as the organiser chose it, so the record says to whom it went and why.
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return self.subject
