"""An event: where and when, who organises it, its subjects and its rules for meetings."""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.enums import (
    EventFormat,
    EventType,
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
