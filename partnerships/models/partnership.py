import rules
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from partnerships.enums import OutcomeKind, PartnershipPhase
from partnerships.rules import can_manage_calls

from .call import Call, ExpressionOfInterest
from .organisation import Organisation


class StrategicPartnership(RulesModel):
    """A consortium a call selected (or labelled without funding), followed through its phases."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="partnerships")
    expression = models.OneToOneField(
        ExpressionOfInterest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnership",
        help_text=_("The selected expression of interest this partnership grew from."),
    )
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    phase = models.CharField(
        _("phase"),
        max_length=20,
        choices=PartnershipPhase.choices,
        default=PartnershipPhase.PREPARATORY,
    )
    funded = models.BooleanField(
        _("funded"),
        default=True,
        help_text=_("Unticked for partnerships that carry the label without EU funding."),
    )
    started_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    organisations = models.ManyToManyField(
        Organisation,
        through="PartnershipMember",
        related_name="strategic_partnerships",
        verbose_name=_("organisations"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("strategic partnership")
        verbose_name_plural = _("strategic partnerships")
        ordering = ["name", "id"]
        rules_permissions = {
            "add": can_manage_calls,
            "view": rules.always_allow,
            "change": can_manage_calls,
            "delete": can_manage_calls,
        }
        constraints = [
            models.CheckConstraint(
                condition=models.Q(phase__in=PartnershipPhase.values),
                name="partnership_phase_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("started_on")),
                name="partnership_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:partnership-detail", kwargs={"pk": self.pk})


class PartnershipMember(models.Model):
    partnership = models.ForeignKey(
        StrategicPartnership, on_delete=models.CASCADE, related_name="members"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnership_memberships"
    )
    is_coordinator = models.BooleanField(_("coordinator"), default=False)

    class Meta:
        verbose_name = _("partnership member")
        verbose_name_plural = _("partnership members")
        ordering = ["partnership", "-is_coordinator", "organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="partnership_member_unique"
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(is_coordinator=True),
                name="partnership_one_coordinator",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.partnership}"


class PartnershipMilestone(models.Model):
    partnership = models.ForeignKey(
        StrategicPartnership, on_delete=models.CASCADE, related_name="milestones"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=PartnershipPhase.choices)
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["partnership", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(phase__in=PartnershipPhase.values),
                name="milestone_phase_valid",
            ),
        ]

    def __str__(self):
        return self.title


class PartnershipOutcome(models.Model):
    partnership = models.ForeignKey(
        StrategicPartnership, on_delete=models.CASCADE, related_name="outcomes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OutcomeKind.choices)
    description = models.TextField(_("description"))
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Investment mobilised or contract value, where there is one."),
    )
    achieved_on = models.DateField(_("achieved on"))

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["partnership", "-achieved_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OutcomeKind.values), name="outcome_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description[:60]}"
