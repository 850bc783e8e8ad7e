"""The organisers' back office. Registration decisions go through services so that the
participant is told and the audit trail matches the portal."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clusterportal.admin_actions import apply_to_each
from events import services
from events.models import (
    CooperationItem,
    Event,
    Meeting,
    MeetingPreference,
    MeetingRating,
    MeetingWindow,
    Registration,
    Slot,
)


class MeetingWindowInline(admin.TabularInline):
    model = MeetingWindow
    extra = 1


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "starts_on", "ends_on", "city", "country"]
    list_filter = ["type", "country", "requires_approval"]
    search_fields = ["title", "title_fr", "title_de", "city", "description"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["organiser", "organising_organisation"]
    filter_horizontal = ["sectoral_industries", "emerging_industries"]
    inlines = [MeetingWindowInline]
    actions = ["generate_slots"]

    @admin.action(description=_("Cut meeting windows into slots"))
    def generate_slots(self, request, queryset):
        for event in queryset:
            count = services.generate_slots(event, by=request.user)
            self.message_user(
                request,
                ngettext("%(event)s: %(count)s slot.", "%(event)s: %(count)s slots.", count)
                % {"event": event, "count": count},
            )


class CooperationItemInline(admin.TabularInline):
    model = CooperationItem
    extra = 0


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "event", "state", "created_at"]
    list_filter = ["state", "event"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    readonly_fields = ["event", "user", "organisation", "state", "created_at", "decided_at"]
    inlines = [CooperationItemInline]
    actions = ["approve", "reject"]

    def _decide(self, request, queryset, *, approve):
        apply_to_each(
            self,
            request,
            queryset,
            lambda registration: services.decide_registration(
                registration, approve=approve, by=request.user
            ),
            success=lambda done: (
                (
                    ngettext(
                        "%(count)d registration approved.",
                        "%(count)d registrations approved.",
                        done,
                    )
                    if approve
                    else ngettext(
                        "%(count)d registration rejected.",
                        "%(count)d registrations rejected.",
                        done,
                    )
                )
                % {"count": done}
            ),
        )

    @admin.action(description=_("Approve the selected registrations"))
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected registrations"))
    def reject(self, request, queryset):
        self._decide(request, queryset, approve=False)


class MeetingRatingInline(admin.TabularInline):
    model = MeetingRating
    extra = 0
    fields = ["by", "stars", "comment", "rated_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "state", "slot", "table", "outcome"]
    list_filter = ["state", "outcome", "event"]
    inlines = [MeetingRatingInline]
    readonly_fields = [
        "outcome",
        "outcome_at",
        "event",
        "requester",
        "recipient",
        "message",
        "state",
        "reason",
        "slot",
        "table",
        "responded_at",
    ]


admin.site.register(Slot, list_display=["event", "starts_at", "ends_at"], list_filter=["event"])
admin.site.register(
    MeetingPreference, list_display=["registration", "target", "level"], list_filter=["level"]
)
