"""A person's registration for an event, with their badge code and what they offer or seek."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.enums import (
    CooperationDirection,
    CooperationKind,
    RegistrationState,
)
from partnerships.models import Organisation

from .event import Event

# No 0/O or 1/I: the code is read off a badge and typed in by hand.
BADGE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_badge_code():
    code = "".join(secrets.choice(BADGE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


class Registration(models.Model):
    """A person taking part in an event as a representative of one of their organisations."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("representing"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=RegistrationState.choices,
        default=RegistrationState.PENDING,
    )
    introduction = models.TextField(_("what you come for"), blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason given"), blank=True)
    # Slots the participant marked as busy; everybody is free in every slot until they say.
    unavailable_slots = models.ManyToManyField(
        "events.Slot",
        blank=True,
        related_name="unavailable_participants",
        verbose_name=_("not available in"),
    )
    # Printed on the badge and in its QR code; the organisers check the participant in by it.
    badge_code = models.CharField(
        _("badge code"), max_length=9, unique=True, default=new_badge_code, editable=False
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    # The secret in the address of the agenda feed a calendar app subscribes to.
    calendar_token = models.CharField(
        _("calendar feed key"), max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["organisation__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_once_per_event"),
        ]

    def __str__(self):
        return f"{self.user} ({self.organisation})"

    @property
    def is_approved(self):
        return self.state == RegistrationState.APPROVED


class CooperationItem(models.Model):
    """One line of a participant's cooperation profile for an event: what they offer or seek."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="cooperation_items"
    )
    direction = models.CharField(
        _("offer or request"), max_length=10, choices=CooperationDirection.choices
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CooperationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("cooperation offer or request")
        verbose_name_plural = _("cooperation offers and requests")
        ordering = ["direction", "kind", "title"]

    def __str__(self):
        return f"{self.get_direction_display()}: {self.title}"
