"""The staff back office for matchmaking: weight profiles are edited here, runs are read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from matchmaking import services
from matchmaking.models import (
    THEMATIC_FIELDS,
    WEIGHT_FIELDS,
    RecommendationFeedback,
    RecommendationRun,
    WeightFit,
    WeightProfile,
)


@admin.register(WeightProfile)
class WeightProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", *WEIGHT_FIELDS, "updated_at")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug")}),
        (
            _("Themes: what a partner does with you"),
            {
                "fields": THEMATIC_FIELDS,
                "description": _(
                    "Shares of the relevance: only their ratios count. A partner below the "
                    "relevance floor is never listed."
                ),
            },
        ),
        (
            _("Geography and standing: raise a related partner"),
            {
                "fields": WEIGHT_FIELDS[len(THEMATIC_FIELDS) : -1],
                "description": _(
                    "Multipliers of the relevance: 0.25 raises a partner by up to a quarter."
                ),
            },
        ),
        (_("Penalty"), {"fields": (WEIGHT_FIELDS[-1],)}),
    )

    def save_model(self, request, obj, form, change):
        services.save_weight_profile(obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        # Runs keep a reference to their profile; a used profile stays, an unused one may go.
        return super().has_delete_permission(request, obj) and not (obj and obj.runs.exists())


@admin.register(RecommendationRun)
class RecommendationRunAdmin(admin.ModelAdmin):
    list_display = ("profile", "state", "organisations", "k", "started_at", "finished_at")
    list_filter = ("state", "profile")
    list_select_related = ("profile",)
    readonly_fields = (
        "profile",
        "weights",
        "k",
        "state",
        "organisations",
        "started_at",
        "finished_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RecommendationFeedback)
class RecommendationFeedbackAdmin(admin.ModelAdmin):
    """Members' verdicts on suggested partners, for staff to judge the weights by."""

    list_display = ("organisation", "partner", "verdict", "score", "by", "created_at")
    list_filter = ("verdict",)
    list_select_related = ("organisation", "partner", "by")
    search_fields = ("organisation__name", "partner__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WeightFit)
class WeightFitAdmin(admin.ModelAdmin):
    """Fits are made and adopted on the staff page, through the services; here they are read."""

    list_display = ("__str__", "profile", "by", "adopted_into", "adopted_at")
    list_select_related = ("profile", "by", "adopted_into")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
