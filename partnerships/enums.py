from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    CLUSTER = "cluster", _("Cluster organisation")
    BUSINESS_NETWORK = "business_network", _("Business network organisation")
    TECHNOLOGY_CENTRE = "technology_centre", _("Technology centre")
    SCIENCE_PARK = "science_park", _("Science park")
    OTHER = "other", _("Other")


class ValidationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending validation")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


# The only moves an organisation profile may make. A verified profile can be withdrawn by
# staff (to rejected) but never silently drops back to draft.
VALIDATION_TRANSITIONS = {
    ValidationState.DRAFT: {ValidationState.PENDING},
    ValidationState.PENDING: {
        ValidationState.VERIFIED,
        ValidationState.REJECTED,
        ValidationState.DRAFT,
    },
    ValidationState.REJECTED: {ValidationState.PENDING, ValidationState.DRAFT},
    ValidationState.VERIFIED: {ValidationState.REJECTED},
}


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")


class LabelLevel(models.TextChoices):
    BRONZE = "bronze", _("Bronze")
    SILVER = "silver", _("Silver")
    GOLD = "gold", _("Gold")


LABEL_RANK = {LabelLevel.BRONZE: 1, LabelLevel.SILVER: 2, LabelLevel.GOLD: 3}


class AwardingBody(models.TextChoices):
    ESCA = "esca", _("ESCA (European Secretariat for Cluster Analysis)")
    EUCLES = "eucles", _("EUCLES (European Cluster Excellence Scheme)")


class MemberType(models.TextChoices):
    """The member categories a profile counts, in the order the profile form shows them."""

    SMES = "members_smes", _("SMEs")
    LARGE = "members_large", _("Large companies")
    RESEARCH = "members_research", _("Research and education")
    PUBLIC = "members_public", _("Public bodies")
    CIVIL = "members_civil", _("Civil society")


class SizeBand(models.TextChoices):
    SMALL = "small", _("Up to 50 members")
    MEDIUM = "medium", _("51 to 150 members")
    LARGE = "large", _("151 to 300 members")
    VERY_LARGE = "very_large", _("More than 300 members")


SIZE_BAND_BOUNDS = {
    SizeBand.SMALL: (0, 50),
    SizeBand.MEDIUM: (51, 150),
    SizeBand.LARGE: (151, 300),
    SizeBand.VERY_LARGE: (301, None),
}


class HotspotMeasure(models.TextChoices):
    ORGANISATIONS = "organisations", _("Organisations")
    EMPLOYEES = "employees", _("Employees in member firms")


class HotspotDimension(models.TextChoices):
    SECTORAL = "sectoral", _("Sectoral industry")
    EMERGING = "emerging", _("Emerging industry")
