"""People: their accounts, the organisations they manage and the audit log."""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clusterportal.admin_actions import apply_to_each
from partnerships import services
from partnerships.models import AuditEntry, OrganisationMembership, User
from partnerships.text import SingleLineFieldsMixin

# --- People -------------------------------------------------------------------------------


class UserCreationForm(SingleLineFieldsMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "full_name")

    def clean_email(self):
        # The unique constraint ignores case, so check the same way before the database does.
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("A user with this e-mail address already exists."))
        return email


class UserEditForm(SingleLineFieldsMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes = {}

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("A user with this e-mail address already exists."))
        return email


class UserMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    fk_name = "user"
    fields = ("organisation", "role", "created_at")
    readonly_fields = ("organisation", "role", "created_at")
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("organisations this person manages")

    def has_add_permission(self, request, obj=None):
        return False


class ErasedFilter(admin.SimpleListFilter):
    title = _("erased")
    parameter_name = "erased"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(erased_at__isnull=self.value() == "no")
        return queryset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ("email", "full_name", "is_staff", "is_active", "last_login", "date_joined")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name",)}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )

    list_filter = ("is_staff", "is_superuser", "is_active", ErasedFilter, "groups")
    actions = ["erase_personal_data"]

    def get_inlines(self, request, obj):
        # A person being created manages nothing yet.
        return [UserMembershipInline] if obj is not None else []

    @admin.action(description=_("Erase the personal data of the selected people…"))
    def erase_personal_data(self, request, queryset):
        """For erasure requests that reach the data protection officer by other channels."""
        if request.POST.get("confirm") == "yes":
            apply_to_each(
                self,
                request,
                queryset,
                lambda user: services.erase_person(user=user, by=request.user),
                success=lambda count: (
                    ngettext(
                        "The personal data of %(count)d person was erased.",
                        "The personal data of %(count)d people was erased.",
                        count,
                    )
                    % {"count": count}
                ),
            )
            return None
        return TemplateResponse(
            request,
            "admin/partnerships/user/erase_selected.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Erase personal data"),
                "opts": self.model._meta,
                "people": queryset,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
            },
        )


# --- Records ------------------------------------------------------------------------------


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "object_repr", "content_type", "actor")
    list_filter = ("action", "content_type")
    list_select_related = ("actor", "content_type")
    search_fields = ("action", "object_repr", "object_id", "actor__email")
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "actor",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "data",
    )

    # The log is written by services alone; nobody edits or deletes history.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
