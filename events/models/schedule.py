"""When meetings take place at an event: its meeting windows and the slots cut from them."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .event import Event


class MeetingWindow(models.Model):
    """A stretch of one day in which meetings take place, in the event's time zone."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="windows")
    day = models.DateField(_("day"))
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("meeting window")
        verbose_name_plural = _("meeting windows")
        ordering = ["day", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="window_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.day} {self.start:%H:%M}–{self.end:%H:%M}"


class Slot(models.Model):
    """One meeting slot, cut from the event's windows by `services.generate_slots`."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="slot_unique_start"),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at, self.event.zone)
        return f"{local:%a %d %b %H:%M}"
