"""The admin of the demo data's planted value-chain partnerships."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from partnerships.models import PlantedPartnership


@admin.register(PlantedPartnership)
class PlantedPartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "seed", "theme", "organisation_count")
    list_filter = ("seed", "theme")
    list_select_related = ("theme",)
    search_fields = ("name", "organisations__name")
    autocomplete_fields = ("organisations",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(organisation_total=Count("organisations"))

    @admin.display(description=_("organisations"), ordering="organisation_total")
    def organisation_count(self, partnership):
        return partnership.organisation_total
