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
    EventType,
    MeetingOutcome,
    MeetingState,
    Preference,
    RegistrationState,
    WhoMayMeet,
)
from partnerships.models import Country, EmergingIndustry, Organisation, SectoralIndustry
from partnerships.models.localised import LocalisedTitle, localised

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
        _("number of tables"), default=20, validators=[MinValueValidator(1)]
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
            models.CheckConstraint(
                condition=Q(slot__isnull=True, table__isnull=True)
                | Q(slot__isnull=False, table__isnull=False),
                name="meeting_slot_and_table_together",
            ),
        ]

    def __str__(self):
        return f"{self.requester.user} – {self.recipient.user}"

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


class MeetingRating(models.Model):
    """How useful one side found a meeting they held, from 1 to 5, with a comment."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ratings")
    by = models.ForeignKey(
        Registration,
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

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="seats")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="seats")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")

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
        Registration, on_delete=models.CASCADE, related_name="preferences"
    )
    target = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="preferred_by")
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
