import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from partnerships.enums import (
    AwardingBody,
    LabelLevel,
    LabelState,
    MembershipRole,
    MemberType,
    OrganisationType,
    ValidationState,
)
from partnerships.rules import (
    can_delete_organisation,
    can_edit_organisation,
    can_view_organisation,
    is_signed_in,
)
from partnerships.uploads import certificate_path, logo_path, private_storage
from partnerships.uploads.fields import InspectedFileField

from .reference import (
    Country,
    Ecosystem,
    EmergingIndustry,
    PolicyObjective,
    Region,
    S3Priority,
    SectoralIndustry,
    ValueChainPosition,
)


class Organisation(RulesModel):
    """A cluster organisation (or business network, technology centre, science park)."""

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    type = models.CharField(
        _("type"), max_length=30, choices=OrganisationType.choices, default=OrganisationType.CLUSTER
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("country")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("NUTS-2 region"),
        limit_choices_to={"level": 2},
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    year_established = models.PositiveSmallIntegerField(
        _("year established"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separated by commas.")
    )
    staff_fte = models.DecimalField(
        _("cluster management staff (FTE)"), max_digits=6, decimal_places=1, default=0
    )
    members_smes = models.PositiveIntegerField(MemberType.SMES.label, default=0)
    members_large = models.PositiveIntegerField(MemberType.LARGE.label, default=0)
    members_research = models.PositiveIntegerField(MemberType.RESEARCH.label, default=0)
    members_public = models.PositiveIntegerField(MemberType.PUBLIC.label, default=0)
    members_civil = models.PositiveIntegerField(MemberType.CIVIL.label, default=0)
    member_employees = models.PositiveIntegerField(_("employees in member firms"), default=0)

    sectoral_industries = models.ManyToManyField(
        SectoralIndustry, related_name="organisations", blank=True
    )
    emerging_industries = models.ManyToManyField(
        EmergingIndustry, related_name="organisations", blank=True
    )
    ecosystems = models.ManyToManyField(Ecosystem, related_name="organisations", blank=True)
    value_chain_positions = models.ManyToManyField(
        ValueChainPosition, related_name="organisations", blank=True
    )
    s3_priorities = models.ManyToManyField(S3Priority, related_name="organisations", blank=True)
    # Declared by the organisation itself, so a region without S3 priorities on file (or a
    # cluster whose work reaches beyond them) still says what it pursues.
    policy_objectives = models.ManyToManyField(
        PolicyObjective,
        related_name="organisations",
        blank=True,
        verbose_name=_("S3 policy objectives"),
    )
    # What the organisation looks for in partners, in the same vocabularies as its own profile.
    seeking_sectors = models.ManyToManyField(
        SectoralIndustry,
        related_name="sought_by",
        blank=True,
        verbose_name=_("sectoral industries sought"),
    )
    seeking_emerging = models.ManyToManyField(
        EmergingIndustry,
        related_name="sought_by",
        blank=True,
        verbose_name=_("emerging industries sought"),
    )
    seeking_ecosystems = models.ManyToManyField(
        Ecosystem,
        related_name="sought_by",
        blank=True,
        verbose_name=_("industrial ecosystems sought"),
    )
    seeking_value_chain = models.ManyToManyField(
        ValueChainPosition,
        related_name="sought_by",
        blank=True,
        verbose_name=_("value-chain roles sought"),
    )
    target_countries = models.ManyToManyField(
        Country,
        related_name="targeted_by",
        blank=True,
        verbose_name=_("target countries for internationalisation"),
    )

    logo = InspectedFileField(
        _("logo"), upload_to=logo_path, kind="logo", name_field="logo_original_name", blank=True
    )
    # Declared after the file: its field fills this in as it saves the file.
    logo_original_name = models.CharField(max_length=200, blank=True, editable=False)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    recognised_programme = models.CharField(
        _("recognised cluster programme"),
        max_length=200,
        blank=True,
        help_text=_(
            "The national or regional cluster programme that recognises this organisation, if "
            "any. Staff confirm it; the size criteria are then waived."
        ),
    )
    programme_confirmed = models.BooleanField(_("programme confirmed by staff"), default=False)
    website_domain = models.CharField(max_length=255, blank=True, db_index=True, editable=False)

    validation_state = models.CharField(
        _("validation state"),
        max_length=20,
        choices=ValidationState.choices,
        default=ValidationState.DRAFT,
        db_index=True,
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    submitted_at = models.DateTimeField(_("submitted for validation"), null=True, blank=True)
    # Set in the same transaction as any profile change; the matchmaking app reads it, so a
    # lost task never means a stale recommendation list.
    needs_rescoring = models.BooleanField(default=True, db_index=True, editable=False)
    # Filled by a database trigger on PostgreSQL (migration 0003), so bulk loads with COPY are
    # searchable too; unused on SQLite, where the directory falls back to icontains.
    search_vector = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        rules_permissions = {
            "add": is_signed_in,
            "view": can_view_organisation,
            "change": can_edit_organisation,
            "delete": can_delete_organisation,
        }
        indexes = [
            models.Index(fields=["country", "validation_state"]),
            models.Index(fields=["region", "validation_state"]),
            models.Index(fields=["-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(staff_fte__gte=0), name="organisation_staff_fte_non_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(year_established__isnull=True)
                | models.Q(year_established__gte=1900, year_established__lte=2100),
                name="organisation_year_established_range",
            ),
            models.CheckConstraint(
                condition=models.Q(validation_state__in=ValidationState.values),
                name="organisation_validation_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(type__in=OrganisationType.values),
                name="organisation_type_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:organisation-detail", kwargs={"pk": self.pk})

    @property
    def members_total(self):
        return sum(getattr(self, member_type) for member_type in MemberType.values)

    @property
    def member_type_count(self):
        return sum(1 for member_type in MemberType.values if getattr(self, member_type) > 0)

    @property
    def is_public(self):
        return self.validation_state == ValidationState.VERIFIED


class OrganisationMembership(models.Model):
    """A person who may edit an organisation profile, as its owner or an editor."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=MembershipRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="membership_one_per_user"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=MembershipRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """An owner's invitation to a colleague to edit the profile, accepted by signing in."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.EDITOR
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self):
        return reverse("partnerships:invitation-accept", kwargs={"token": self.token})


class LabelQuerySet(models.QuerySet):
    def current(self, on=None):
        return self.filter(valid_until__gte=on or timezone.localdate())

    def verified(self):
        return self.filter(state=LabelState.VERIFIED)

    def counting(self, on=None):
        """The labels that count for eligibility and matchmaking: verified and current."""
        return self.verified().current(on)


class Label(models.Model):
    """A Cluster Management Excellence label. Whether it is current follows from its date;
    it counts only once staff have verified it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="labels")
    level = models.CharField(_("level"), max_length=10, choices=LabelLevel.choices)
    awarding_body = models.CharField(
        _("awarding body"), max_length=10, choices=AwardingBody.choices
    )
    assessed_on = models.DateField(_("assessed on"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    source_url = models.URLField(_("source"), blank=True)
    certificate = InspectedFileField(
        _("certificate"),
        upload_to=certificate_path,
        storage=private_storage,
        kind="document",
        name_field="certificate_original_name",
        blank=True,
    )
    certificate_original_name = models.CharField(max_length=200, blank=True, editable=False)
    state = models.CharField(
        _("verification"),
        max_length=10,
        choices=LabelState.choices,
        default=LabelState.DECLARED,
        db_default=LabelState.DECLARED,
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True, editable=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    check_note = models.TextField(_("note of the check"), blank=True, editable=False)
    # The latest renewal reminder sent (days before expiry), so each goes out once.
    reminded_days_before = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    objects = LabelQuerySet.as_manager()

    class Meta:
        verbose_name = _("cluster excellence label")
        verbose_name_plural = _("cluster excellence labels")
        ordering = ["-valid_until", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("assessed_on")),
                name="label_valid_after_assessment",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=LabelLevel.values), name="label_level_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=LabelState.values), name="label_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} ({self.organisation})"

    def get_download_url(self):
        return reverse("label-certificate", args=[self.pk])

    def is_current_on(self, day):
        return self.valid_until >= day

    @property
    def is_current(self):
        return self.is_current_on(timezone.localdate())

    @property
    def is_verified(self):
        return self.state == LabelState.VERIFIED

    @property
    def counts(self):
        """Verified and current: what eligibility and matchmaking take into account."""
        return self.is_verified and self.is_current
