"""Redress: a lead's complaint about the evaluation procedure after a released decision."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerships.enums import ComplaintState

from .review import Decision


class Complaint(models.Model):
    """One complaint per decision; staff review it and uphold or reject it with a reason."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="complaint")
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("what went wrong in the procedure"))
    lodged_at = models.DateTimeField(_("lodged"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ComplaintState.choices, default=ComplaintState.LODGED
    )
    outcome_reason = models.TextField(_("reason for the outcome"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["lodged_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ComplaintState.values), name="complaint_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.decision.expression} ({self.get_state_display()})"
