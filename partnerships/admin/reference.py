"""Reference data: countries, regions, taxonomies and smart specialisation priorities."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from partnerships.models import (
    Country,
    Ecosystem,
    EmergingIndustry,
    PolicyObjective,
    Region,
    S3Priority,
    SectoralIndustry,
    ValueChainPosition,
)

# --- Reference data -----------------------------------------------------------------------


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "iso_code", "name", "eu_member", "population", "organisation_count")
    list_filter = ("eu_member",)
    search_fields = ("code", "iso_code", "name")
    ordering = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(organisation_total=Count("organisations"))

    @admin.display(description=_("organisations"), ordering="organisation_total")
    def organisation_count(self, country):
        return country.organisation_total


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "country", "parent")
    list_filter = ("level", "country")
    list_select_related = ("country", "parent")
    search_fields = ("code", "name")
    autocomplete_fields = ("country", "parent")
    ordering = ("code",)


class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(SectoralIndustry)
class SectoralIndustryAdmin(TaxonomyAdmin):
    pass


@admin.register(EmergingIndustry)
class EmergingIndustryAdmin(TaxonomyAdmin):
    list_display = ("name", "slug", "sector_count")
    filter_horizontal = ("sectoral_industries",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sector_total=Count("sectoral_industries"))

    @admin.display(description=_("sectoral industries"), ordering="sector_total")
    def sector_count(self, emerging):
        return emerging.sector_total


@admin.register(Ecosystem)
class EcosystemAdmin(TaxonomyAdmin):
    filter_horizontal = ("sectoral_industries",)


@admin.register(ValueChainPosition)
class ValueChainPositionAdmin(TaxonomyAdmin):
    list_display = ("name", "slug", "order", "is_service")
    list_editable = ("order", "is_service")
    ordering = ("order",)


@admin.register(PolicyObjective)
class PolicyObjectiveAdmin(TaxonomyAdmin):
    pass


@admin.register(S3Priority)
class S3PriorityAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "policy_objective", "economic_domain", "scientific_domain")
    list_filter = ("policy_objective", ("region__country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("region", "policy_objective")
    search_fields = ("title", "region__code", "region__name", "economic_domain")
    autocomplete_fields = ("region",)
