"""What hangs off a meeting: each side's rating, the seats it takes, and who wants to meet whom.

The core models are referred to by name, so this module imports none of them.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from events.enums import Preference


class MeetingRating(models.Model):
    """How useful one side found a meeting they held, from 1 to 5, with a comment."""

    meeting = models.ForeignKey("events.Meeting", on_delete=models.CASCADE, related_name="ratings")
    by = models.ForeignKey(
        "events.Registration",
        on_delete=models.CASCADE,
        related_name="meeting_ratings",
        verbose_name=_("rated by"),
    )
    stars = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting rating")
        verbose_name_plural = _("meeting ratings")
        ordering = ["meeting", "rated_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "by"], name="rating_once_per_side"),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="rating_one_to_five"
            ),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.stars}/5"


class MeetingSeat(models.Model):
    """One participant's seat in a booked meeting: a person is in one meeting per slot."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="seats")
    slot = models.ForeignKey("events.Slot", on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey(
        "events.Registration", on_delete=models.CASCADE, related_name="seats"
    )
    meeting = models.ForeignKey("events.Meeting", on_delete=models.CASCADE, related_name="seats")

    class Meta:
        verbose_name = _("meeting seat")
        verbose_name_plural = _("meeting seats")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slot", "participant"], name="seat_one_meeting_per_slot"
            ),
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="seat_once_per_meeting"
            ),
        ]

    def __str__(self):
        return f"{self.participant} @ {self.slot}"


class MeetingPreference(models.Model):
    """How much a participant wants to meet another, for the organiser's scheduling run."""

    registration = models.ForeignKey(
        "events.Registration", on_delete=models.CASCADE, related_name="preferences"
    )
    target = models.ForeignKey(
        "events.Registration", on_delete=models.CASCADE, related_name="preferred_by"
    )
    level = models.CharField(_("preference"), max_length=12, choices=Preference.choices)

    class Meta:
        verbose_name = _("meeting preference")
        verbose_name_plural = _("meeting preferences")
        constraints = [
            models.UniqueConstraint(fields=["registration", "target"], name="preference_once"),
            models.CheckConstraint(
                condition=~Q(registration=F("target")), name="preference_not_for_oneself"
            ),
        ]

    def __str__(self):
        return f"{self.registration} → {self.target}: {self.get_level_display()}"
