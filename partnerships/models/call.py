from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from partnerships.enums import (
    EXPRESSION_EDITABLE_STATES,
    CallState,
    CallType,
    ExpressionState,
    OrganisationType,
    PartnerState,
)
from partnerships.rules import (
    can_change_expression,
    can_delete_expression,
    can_manage_calls,
    can_view_call,
    can_view_expression,
    is_signed_in,
)
from partnerships.uploads import attachment_path, private_storage
from partnerships.uploads.fields import InspectedFileField

from .localised import LocalisedTitle, localised
from .organisation import Organisation
from .reference import EmergingIndustry, PolicyObjective, SectoralIndustry

SCORE_MAX = Decimal(5)


class Call(LocalisedTitle, RulesModel):
    """A call for partnerships published by Commission staff, with its eligibility rules."""

    type = models.CharField(_("type"), max_length=20, choices=CallType.choices)
    reference = models.SlugField(
        _("reference"), max_length=60, unique=True, help_text=_("For example innosup-1-2015.")
    )
    title = models.CharField(_("title"), max_length=255)
    title_fr = models.CharField(
        _("title in French"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to show the English title."),
    )
    title_de = models.CharField(
        _("title in German"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to show the English title."),
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
    state = models.CharField(
        _("state"), max_length=20, choices=CallState.choices, default=CallState.DRAFT
    )
    # A list of OrganisationType values: who may lead or join a consortium.
    eligible_types = models.JSONField(
        _("who may apply"), default=list, blank=True, help_text=_("Empty means any type.")
    )
    min_partners = models.PositiveSmallIntegerField(
        _("minimum confirmed partners"),
        default=2,
        help_text=_("Partner organisations besides the lead that have confirmed."),
    )
    min_countries = models.PositiveSmallIntegerField(
        _("minimum countries"), default=3, validators=[MinValueValidator(1)]
    )
    verified_required = models.BooleanField(_("verified profiles required"), default=True)
    label_required = models.BooleanField(
        _("current cluster excellence label required"), default=False
    )
    redress_days = models.PositiveSmallIntegerField(
        _("days to lodge a complaint after a decision"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    budget = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2, default=0)
    funding_rate = models.DecimalField(
        _("funding rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    review_same_country_rule = models.BooleanField(
        _("same-country rule in reviews"),
        default=False,
        help_text=_("Reviewers never review consortia with an organisation from their country."),
    )
    sectoral_industries = models.ManyToManyField(
        SectoralIndustry, related_name="calls", blank=True, verbose_name=_("sectors")
    )
    emerging_industries = models.ManyToManyField(
        EmergingIndustry, related_name="calls", blank=True, verbose_name=_("emerging industries")
    )
    policy_objectives = models.ManyToManyField(
        PolicyObjective, related_name="calls", blank=True, verbose_name=_("S3 objectives")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-created_at", "-id"]
        rules_permissions = {
            "add": can_manage_calls,
            "view": can_view_call,
            "change": can_manage_calls,
            "delete": can_manage_calls,
        }
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=CallState.values), name="call_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(type__in=CallType.values), name="call_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(funding_rate__gte=0, funding_rate__lte=100),
                name="call_funding_rate_range",
            ),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="call_budget_positive"),
        ]

    def __str__(self):
        return self.localised_title

    def get_absolute_url(self):
        return reverse("partnerships:call-detail", kwargs={"pk": self.pk})

    @property
    def localised_description(self):
        return localised(self, "description")

    @property
    def eligible_type_labels(self):
        return [OrganisationType(value).label for value in self.eligible_types]

    @property
    def is_open(self):
        return self.state == CallState.OPEN

    def stage(self, number):
        """The stage `number`, from prefetched stages when there are any."""
        return next((stage for stage in self.stages.all() if stage.number == number), None)

    @property
    def is_two_stage(self):
        return self.stage(2) is not None


class CallStage(models.Model):
    """One submission round of a call; a two-stage call has numbers 1 and 2."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField(
        _("stage"), validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    deadline = models.DateTimeField(_("deadline"))

    class Meta:
        verbose_name = _("call stage")
        verbose_name_plural = _("call stages")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="call_stage_unique_number"),
            models.CheckConstraint(
                condition=models.Q(number__in=[1, 2]), name="call_stage_number_range"
            ),
        ]

    def __str__(self):
        return self.title or _("Stage %(number)d") % {"number": self.number}

    def is_past(self, now=None):
        return (now or timezone.now()) > self.deadline


class EvaluationCriterion(models.Model):
    """A criterion scored 0-5 at one stage; below the pass mark an expression fails."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    stage = models.PositiveSmallIntegerField(
        _("stage"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    pass_mark = models.DecimalField(
        _("pass mark (0-5)"),
        max_digits=3,
        decimal_places=1,
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(SCORE_MAX)],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["call", "stage", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "stage", "name"], name="criterion_unique_name_per_stage"
            ),
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=0, pass_mark__lte=SCORE_MAX),
                name="criterion_pass_mark_range",
            ),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_pos"),
        ]

    def __str__(self):
        return self.name


class ExpressionOfInterest(RulesModel):
    """A consortium's answer to a call, led by one organisation with invited partners."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="expressions")
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_expressions",
        verbose_name=_("lead organisation"),
    )
    title = models.CharField(_("title"), max_length=255)
    objectives = models.TextField(_("objectives"), blank=True)
    sectoral_industries = models.ManyToManyField(
        SectoralIndustry, related_name="expressions", blank=True, verbose_name=_("sectors")
    )
    emerging_industries = models.ManyToManyField(
        EmergingIndustry,
        related_name="expressions",
        blank=True,
        verbose_name=_("emerging industries"),
    )
    policy_objectives = models.ManyToManyField(
        PolicyObjective, related_name="expressions", blank=True, verbose_name=_("S3 objectives")
    )
    preparatory_activities = models.TextField(_("preparatory activities"), blank=True)
    implementation_activities = models.TextField(_("implementation activities"), blank=True)
    investment_activities = models.TextField(_("investment activities"), blank=True)
    budget_requested = models.DecimalField(
        _("budget requested (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ExpressionState.choices,
        default=ExpressionState.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    stage2_submitted_at = models.DateTimeField(_("stage 2 submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # Bumped by every save, so a later editor can tell a stale form from a fresh one.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-updated_at", "-id"]
        rules_permissions = {
            "add": is_signed_in,
            "view": can_view_expression,
            "change": can_change_expression,
            "delete": can_delete_expression,
        }
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ExpressionState.values),
                name="expression_state_valid",
            ),
            # One live expression per lead and call; a withdrawn one may be started again.
            models.UniqueConstraint(
                fields=["call", "lead"],
                condition=~models.Q(state=ExpressionState.WITHDRAWN),
                name="expression_one_live_per_lead",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:expression-detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self):
        return self.state in EXPRESSION_EDITABLE_STATES

    @property
    def stage_number(self):
        """The stage the lead is working on or has last submitted to."""
        stage_two = {
            ExpressionState.STAGE1_PASSED,
            ExpressionState.STAGE2_SUBMITTED,
        }
        return 2 if self.state in stage_two else 1


class ExpressionPartner(models.Model):
    """A partner organisation invited into a consortium; its managers confirm or decline."""

    expression = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="expression_partnerships"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=PartnerState.choices, default=PartnerState.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consortium partner")
        verbose_name_plural = _("consortium partners")
        ordering = ["expression", "organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["expression", "organisation"], name="expression_partner_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=PartnerState.values),
                name="expression_partner_state_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.expression} ({self.get_state_display()})"


class ExpressionAttachment(models.Model):
    """A document attached to an expression; the type is checked from its content."""

    expression = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = InspectedFileField(
        _("file"),
        upload_to=attachment_path,
        storage=private_storage,
        kind="document",
        name_field="original_name",
    )
    # Declared after the file: its field fills this in as it saves the file.
    original_name = models.CharField(_("original name"), max_length=200, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["expression", "created_at", "id"]

    def __str__(self):
        return self.title

    def get_download_url(self):
        return reverse("partnerships:expression-attachment", args=[self.expression_id, self.pk])
