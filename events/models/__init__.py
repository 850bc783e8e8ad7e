import datetime as dt
import secrets
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.enums import (
    MEETING_OPEN_STATES,
    CooperationDirection,
    CooperationKind,
    EventFormat,
    EventType,
    MeetingKind,
    MeetingOutcome,
    MeetingState,
    RegistrationState,
    WhoMayMeet,
)
from events.models.meeting_records import MeetingPreference, MeetingRating, MeetingSeat
from events.models.organising import EventMailing, EventOrganiser
from partnerships.models import Country, EmergingIndustry, Organisation, SectoralIndustry
from partnerships.models.localised import LocalisedTitle, localised

__all__ = [
    "CooperationItem",
    "Event",
    "EventMailing",
    "EventOrganiser",
    "Meeting",
    "MeetingPreference",
    "MeetingRating",
    "MeetingSeat",
    "MeetingWindow",
    "Registration",
    "Slot",
    "BADGE_ALPHABET",
    "TIME_ZONE_CHOICES",
]


# No 0/O or 1/I: the code is read off a badge and typed in by hand.
BADGE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_badge_code():
    code = "".join(secrets.choice(BADGE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def new_room_key():
    return secrets.token_hex(16)


TIME_ZONE_CHOICES = sorted((name, name) for name in zoneinfo.available_timezones() if "/" in name)


class Event(LocalisedTitle, models.Model):
    """A matchmaking event: where it happens, who may register and how meetings run."""

    title = models.CharField(_("title"), max_length=200)
    title_fr = models.CharField(
        _("title in French"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to show the English title."),
    )
    title_de = models.CharField(
        _("title in German"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to show the English title."),
    )
    type = models.CharField(_("type"), max_length=20, choices=EventType.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/Brussels"
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("country"),
    )
    format = models.CharField(
        _("on site or online"),
        max_length=10,
        choices=EventFormat.choices,
        default=EventFormat.ON_SITE,
    )
    online_url = models.URLField(_("online link"), blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organised_events",
        verbose_name=_("organiser"),
    )
    organising_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_events",
        verbose_name=_("organising organisation"),
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    description = models.TextField(_("description"), blank=True)
    description_fr = models.TextField(
        _("description in French"),
        blank=True,
        help_text=_("Leave empty to show the English description."),
    )
    description_de = models.TextField(
        _("description in German"),
        blank=True,
        help_text=_("Leave empty to show the English description."),
    )
    sectoral_industries = models.ManyToManyField(
        SectoralIndustry, blank=True, related_name="events", verbose_name=_("sectors")
    )
    emerging_industries = models.ManyToManyField(
        EmergingIndustry, blank=True, related_name="events", verbose_name=_("emerging industries")
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length in minutes"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    tables = models.PositiveSmallIntegerField(
        _("number of tables or rooms"), default=20, validators=[MinValueValidator(1)]
    )
    requests_need_acceptance = models.BooleanField(
        _("meeting requests need acceptance"), default=True
    )
    requires_approval = models.BooleanField(
        _("registrations need the organiser's approval"), default=False
    )
    request_quota = models.PositiveSmallIntegerField(
        _("meeting requests per participant"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    request_expiry_days = models.PositiveSmallIntegerField(
        _("days a meeting request waits for its answer"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("The person asked is reminded the day before. Leave empty: requests wait."),
    )
    who_may_meet = models.CharField(
        _("who may meet whom"), max_length=30, choices=WhoMayMeet.choices, default=WhoMayMeet.ANYONE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="event_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.localised_title

    def get_absolute_url(self):
        return reverse("events:event-detail", args=[self.pk])

    @property
    def localised_description(self):
        return localised(self, "description")

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def days(self):
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + dt.timedelta(days=n) for n in range(count)]

    @property
    def is_online(self):
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    @property
    def is_past(self):
        return self.ends_on < timezone.localdate()

    def registration_is_open(self, *, at=None):
        at = at or timezone.now()
        if self.registration_opens and at < self.registration_opens:
            return False
        if self.registration_closes and at > self.registration_closes:
            return False
        return not self.is_past


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
