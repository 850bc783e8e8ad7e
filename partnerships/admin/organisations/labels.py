"""The label admin: labels filtered by currency; a recorded label is added, never rewritten."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterportal.admin_actions import adopt_created
from partnerships import services
from partnerships.models import Label


class LabelCurrencyFilter(admin.SimpleListFilter):
    title = _("currency")
    parameter_name = "currency"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.filter(valid_until__gte=today)
        if self.value() == "expired":
            return queryset.filter(valid_until__lt=today)
        return queryset


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = (
        "organisation",
        "level",
        "awarding_body",
        "assessed_on",
        "valid_until",
        "is_current",
        "state",
    )
    list_filter = ("level", "state", "awarding_body", LabelCurrencyFilter, "organisation__country")
    list_select_related = ("organisation",)
    search_fields = ("organisation__name", "organisation__acronym")
    autocomplete_fields = ("organisation",)
    date_hierarchy = "valid_until"
    fields = (
        "organisation",
        "level",
        "awarding_body",
        "assessed_on",
        "valid_until",
        "source_url",
    )

    @admin.display(boolean=True, description=_("current"))
    def is_current(self, label):
        return label.is_current

    # A recorded label is evidence: staff add new ones, they do not rewrite old ones.
    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        label = services.record_label(
            obj.organisation,
            level=obj.level,
            awarding_body=obj.awarding_body,
            assessed_on=obj.assessed_on,
            valid_until=obj.valid_until,
            source_url=obj.source_url,
            by=request.user,
        )
        adopt_created(obj, label)
