"""Reference taxonomies, loaded by `load_reference_data` from the files in partnerships/data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .localised import LocalisedName, LocalisedTitle


class Country(LocalisedName, models.Model):
    """A country as NUTS names it (Greece is EL, the United Kingdom UK)."""

    code = models.CharField(_("NUTS code"), max_length=2, primary_key=True)
    iso_code = models.CharField(_("ISO 3166 code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # From the ISO 3166 catalogues of pycountry when the reference data is loaded.
    name_fr = models.CharField(_("name in French"), max_length=100, blank=True)
    name_de = models.CharField(_("name in German"), max_length=100, blank=True)
    eu_member = models.BooleanField(_("EU member state"), default=False)
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self):
        return self.localised_name


class Region(models.Model):
    """A NUTS 2024 region of level 1, 2 or 3 (statistical regions for EFTA/candidates)."""

    code = models.CharField(_("NUTS code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="regions")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=3), name="region_level_1_to_3"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Taxonomy(LocalisedName, models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    name_de = models.CharField(_("name in German"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.localised_name


class SectoralIndustry(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("sectoral industry")
        verbose_name_plural = _("sectoral industries")


class EmergingIndustry(Taxonomy):
    """Spans several sectoral industries: the cross-sectoral linkage the brief asks for."""

    sectoral_industries = models.ManyToManyField(
        SectoralIndustry, related_name="emerging_industries", blank=True
    )

    class Meta(Taxonomy.Meta):
        verbose_name = _("emerging industry")
        verbose_name_plural = _("emerging industries")


class Ecosystem(Taxonomy):
    sectoral_industries = models.ManyToManyField(
        SectoralIndustry, related_name="ecosystems", blank=True
    )

    class Meta(Taxonomy.Meta):
        verbose_name = _("industrial ecosystem")
        verbose_name_plural = _("industrial ecosystems")


class ValueChainPosition(Taxonomy):
    order = models.PositiveSmallIntegerField(_("order in the value chain"), default=0)
    # Digital, engineering and knowledge services stand beside the chain, not on it: they
    # serve every production step, so their order says where they are listed, not a distance.
    is_service = models.BooleanField(
        _("service position"),
        default=False,
        help_text=_("A service provider off the linear chain, complementing every step of it."),
    )

    class Meta(Taxonomy.Meta):
        verbose_name = _("value-chain position")
        verbose_name_plural = _("value-chain positions")
        ordering = ["order"]


class PolicyObjective(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("S3 policy objective")
        verbose_name_plural = _("S3 policy objectives")


class S3Priority(LocalisedTitle, models.Model):
    """A smart-specialisation priority of one region (Eye@RIS3 dimensions)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="s3_priorities")
    title = models.CharField(_("title"), max_length=300)
    title_fr = models.CharField(_("title in French"), max_length=300, blank=True)
    title_de = models.CharField(_("title in German"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    economic_domain = models.CharField(_("economic domain (NACE)"), max_length=200, blank=True)
    scientific_domain = models.CharField(_("scientific domain"), max_length=200, blank=True)
    policy_objective = models.ForeignKey(
        PolicyObjective, on_delete=models.PROTECT, related_name="priorities"
    )

    class Meta:
        verbose_name = _("S3 priority")
        verbose_name_plural = _("S3 priorities")
        ordering = ["region_id", "title"]
        constraints = [
            models.UniqueConstraint(fields=["region", "title"], name="s3_priority_unique_title"),
        ]

    def __str__(self):
        return f"{self.localised_title} ({self.region_id})"
