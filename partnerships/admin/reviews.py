"""The review record, shown read-only."""

from django.contrib import admin

from partnerships.models import (
    CallReviewer,
    ConflictDeclaration,
    ConflictLogEntry,
    ConsensusScore,
    Decision,
    OutboxMessage,
    Review,
    ReviewAssignment,
    ReviewScore,
)

# --- Review -------------------------------------------------------------------------------


class ReviewRecordAdmin(admin.ModelAdmin):
    """The review is run from the call's review pages, through its services; the admin shows
    the record and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CallReviewer)
class CallReviewerAdmin(ReviewRecordAdmin):
    list_display = ("user", "call", "is_moderator", "country", "max_load")
    list_filter = ("is_moderator", "call")
    list_select_related = ("user", "call", "country")
    search_fields = ("user__email", "user__full_name", "call__title")


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReviewRecordAdmin):
    list_display = ("user", "organisation", "reason", "declared_at")
    list_select_related = ("user", "organisation")
    search_fields = ("user__email", "organisation__name")


class ReviewScoreInline(admin.TabularInline):
    model = ReviewScore
    fields = ("criterion", "score", "comment")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(ReviewRecordAdmin):
    list_display = ("assignment", "state", "version", "submitted_at")
    list_filter = ("state", "assignment__stage", "assignment__expression__call")
    list_select_related = ("assignment__expression", "assignment__reviewer")
    search_fields = ("assignment__expression__title", "assignment__reviewer__email")
    inlines = [ReviewScoreInline]


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReviewRecordAdmin):
    list_display = ("expression", "stage", "reviewer", "source", "assigned_by", "created_at")
    list_filter = ("source", "stage", "expression__call")
    list_select_related = ("expression", "reviewer", "assigned_by")
    search_fields = ("expression__title", "reviewer__email")


@admin.register(ConsensusScore)
class ConsensusScoreAdmin(ReviewRecordAdmin):
    list_display = ("expression", "criterion", "score", "by", "updated_at")
    list_select_related = ("expression", "criterion", "by")
    search_fields = ("expression__title",)


@admin.register(Decision)
class DecisionAdmin(ReviewRecordAdmin):
    list_display = ("expression", "stage", "outcome", "state", "released_at")
    list_filter = ("state", "outcome", "stage", "expression__call")
    list_select_related = ("expression",)
    search_fields = ("expression__title",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReviewRecordAdmin):
    list_display = ("subject", "to", "state", "created_at", "sent_at", "sent_by")
    list_filter = ("state", "expression__call")
    list_select_related = ("sent_by",)
    search_fields = ("subject", "to")


@admin.register(ConflictLogEntry)
class ConflictLogEntryAdmin(ReviewRecordAdmin):
    list_display = (
        "created_at",
        "reviewer",
        "expression",
        "stage",
        "organisation",
        "rule",
        "action",
    )
    list_filter = ("rule", "action", "expression__call")
    list_select_related = ("reviewer", "expression", "organisation")
    search_fields = ("expression__title", "reviewer__email", "organisation__name")
