"""A meeting between two registrations, online or at a table, and its slot."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.enums import (
    MEETING_OPEN_STATES,
    MeetingKind,
    MeetingOutcome,
    MeetingState,
)

from .event import Event
from .registration import Registration
from .schedule import Slot


def new_room_key():
    return secrets.token_hex(16)


class Meeting(models.Model):
    """A B2B meeting one participant asked another for; booked into a slot at a table."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    requester = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meetings_requested"
    )
    recipient = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meetings_received"
    )
    message = models.TextField(_("message"))
    state = models.CharField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.REQUESTED
    )
    reason = models.TextField(_("reason"), blank=True)
    kind = models.CharField(
        _("meeting type"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.TABLE
    )
    # Part of the video room's name, so that nobody guesses their way into a meeting.
    room_key = models.CharField(max_length=32, default=new_room_key, editable=False)
    slot = models.ForeignKey(
        Slot, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=MeetingOutcome.choices, default=MeetingOutcome.NONE
    )
    outcome_at = models.DateTimeField(_("outcome reported"), null=True, blank=True)
    # Marked by the organiser on the day: the slot came but one side did not.
    no_show = models.BooleanField(_("no-show"), default=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    # Times the asking side proposed (none: any time); whoever answers picks one of them.
    proposed_slots = models.ManyToManyField(
        Slot, blank=True, related_name="proposals", verbose_name=_("proposed times")
    )
    # After a counter-proposal the answer is the asker's to give; until then the recipient's.
    awaiting = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("waiting for"),
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["slot__starts_at", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("recipient")), name="meeting_not_with_oneself"
            ),
            # A table holds one meeting per slot.
            models.UniqueConstraint(
                fields=["event", "slot", "table"],
                condition=Q(slot__isnull=False),
                name="meeting_one_per_table_and_slot",
            ),
            # One open meeting per pair of people, whoever asked whom.
            models.UniqueConstraint(
                Least("requester", "recipient"),
                Greatest("requester", "recipient"),
                condition=Q(state__in=MEETING_OPEN_STATES),
                name="meeting_one_open_per_pair",
            ),
            # A booked meeting has a table, unless it is held online.
            models.CheckConstraint(
                condition=Q(slot__isnull=True, table__isnull=True)
                | Q(slot__isnull=False, table__isnull=False)
                | Q(slot__isnull=False, table__isnull=True, kind=MeetingKind.ONLINE),
                name="meeting_slot_and_table_together",
            ),
        ]

    def __str__(self):
        return f"{self.requester.user} – {self.recipient.user}"

    @property
    def answerer_id(self):
        return self.awaiting_id or self.recipient_id

    @property
    def video_url(self):
        """The meeting's video room, from the portal's room-address template; None when the
        meeting is at a table or no template is set."""
        template = settings.MEETING_ROOM_URL_TEMPLATE
        if self.kind != MeetingKind.ONLINE or not template:
            return None
        # Replaced, not formatted: any other brace in the template stays as it is.
        return template.replace(
            "{room}", f"clusterportal-{self.event_id}-{self.pk}-{self.room_key}"
        )

    def other_party(self, registration):
        return self.recipient if registration.pk == self.requester_id else self.requester

    def was_held(self, *, at=None):
        """Accepted and booked into a slot that is over: the two sides have met."""
        at = at or timezone.now()
        return (
            self.state == MeetingState.ACCEPTED
            and self.slot_id is not None
            and self.slot.ends_at <= at
        )
