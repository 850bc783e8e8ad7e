"""The membership admin: removing a member goes through the same audit trail as the portal."""

from django.contrib import admin
from django.db import transaction

from clusterportal.admin_actions import adopt_created
from partnerships import services
from partnerships.models import OrganisationMembership


@transaction.atomic
def remove_membership(membership, *, by):
    """Staff take a person off a profile; audited like every other membership change."""
    organisation = membership.organisation
    user_id = membership.user_id
    membership.delete()
    services.log_action(
        organisation, "organisation.member_removed", actor=by, data={"user": user_id}
    )


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ("organisation", "user", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("organisation", "user")
    search_fields = (
        "organisation__name",
        "organisation__acronym",
        "user__email",
        "user__full_name",
    )
    autocomplete_fields = ("organisation", "user")
    readonly_fields = ("created_at",)

    def get_readonly_fields(self, request, obj=None):
        # An existing membership can change role, not person or organisation.
        if obj is not None:
            return ("organisation", "user", "created_at")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        membership = services.add_member(
            obj.organisation, user=obj.user, role=obj.role, by=request.user
        )
        adopt_created(obj, membership, "created_at")

    def delete_model(self, request, obj):
        remove_membership(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("organisation"):
            remove_membership(membership, by=request.user)
