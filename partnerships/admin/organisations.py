"""The staff back office. Organisation state, labels and memberships change through services,
so the admin leaves the same audit trail and re-scoring flags as the portal itself."""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clusterportal.admin_actions import adopt_created, apply_to_each
from partnerships import services
from partnerships.enums import LabelLevel, MemberType, ValidationState
from partnerships.models import Label, Organisation, OrganisationMembership, PlantedPartnership
from partnerships.services import PROFILE_M2M_FIELDS
from partnerships.text import SingleLineFieldsMixin

# --- Organisations ------------------------------------------------------------------------


class ExistingRowsFrozenForm(SingleLineFieldsMixin, forms.ModelForm):
    """Rows already saved are shown, not edited: history is changed through services only."""

    frozen_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.frozen_fields or self.fields:
                if name in self.fields:
                    self.fields[name].disabled = True


class LabelInlineForm(ExistingRowsFrozenForm):
    class Meta:
        model = Label
        fields = ("level", "awarding_body", "assessed_on", "valid_until", "source_url")


class MembershipInlineForm(ExistingRowsFrozenForm):
    # Changing the person of an existing membership would hand a profile to someone else
    # without an audit entry; add a new membership instead.
    frozen_fields = ("user",)

    class Meta:
        model = OrganisationMembership
        fields = ("user", "role")


class LabelInline(admin.TabularInline):
    model = Label
    form = LabelInlineForm
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("cluster excellence labels (recorded ones cannot be edited)")


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    form = MembershipInlineForm
    fk_name = "organisation"
    extra = 0
    autocomplete_fields = ("user",)


class OrganisationAdminForm(SingleLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        # State and rejection reason move through actions only, never by editing the form.
        fields = (
            "name",
            "acronym",
            "type",
            "website",
            "contact_email",
            "logo",
            "country",
            "region",
            "city",
            "year_established",
            "description",
            "keywords",
            "staff_fte",
            *MemberType.values,
            "member_employees",
            *PROFILE_M2M_FIELDS,
        )

    def clean(self):
        cleaned = super().clean()
        region, country = cleaned.get("region"), cleaned.get("country")
        if region and country and region.country_id != country.pk:
            self.add_error("region", _("The region must lie in the chosen country."))
        return cleaned


class CurrentLabelFilter(admin.SimpleListFilter):
    title = _("current label")
    parameter_name = "current_label"

    def lookups(self, request, model_admin):
        return [*LabelLevel.choices, ("none", _("No current label"))]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        current = Label.objects.filter(
            organisation=OuterRef("pk"), valid_until__gte=timezone.localdate()
        )
        if self.value() == "none":
            return queryset.exclude(Exists(current))
        if self.value() in LabelLevel.values:
            return queryset.filter(Exists(current.filter(level=self.value())))
        return queryset


class RejectionForm(SingleLineFieldsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Sent to the organisation's managers; say what they should change."),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = (
        "name",
        "acronym",
        "type",
        "country",
        "region",
        "validation_state",
        "members_total",
        "updated_at",
    )
    list_display_links = ("name",)
    list_filter = (
        "validation_state",
        "type",
        CurrentLabelFilter,
        ("country", admin.RelatedOnlyFieldListFilter),
        "needs_rescoring",
    )
    list_select_related = ("country", "region")
    search_fields = ("name", "acronym", "city", "keywords", "contact_email", "region__code")
    date_hierarchy = "created_at"
    ordering = ("name",)
    list_per_page = 50
    autocomplete_fields = (
        "country",
        "region",
        "sectoral_industries",
        "emerging_industries",
        "ecosystems",
        "s3_priorities",
        "target_countries",
        "seeking_sectors",
        "seeking_emerging",
        "seeking_ecosystems",
    )
    filter_horizontal = ("value_chain_positions", "policy_objectives", "seeking_value_chain")
    readonly_fields = (
        "validation_state",
        "rejection_reason",
        "needs_rescoring",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("name", "acronym", "type", "website", "contact_email", "logo")}),
        (_("Location"), {"fields": ("country", "region", "city")}),
        (
            _("Profile"),
            {"fields": ("year_established", "description", "keywords", "staff_fte")},
        ),
        (
            _("Members"),
            {
                "fields": (
                    ("members_smes", "members_large"),
                    ("members_research", "members_public", "members_civil"),
                    "member_employees",
                )
            },
        ),
        (
            _("Taxonomies"),
            {
                "fields": (
                    "sectoral_industries",
                    "emerging_industries",
                    "ecosystems",
                    "value_chain_positions",
                    "policy_objectives",
                    "s3_priorities",
                    "target_countries",
                )
            },
        ),
        (
            _("Sought in partners"),
            {
                "fields": (
                    "seeking_sectors",
                    "seeking_emerging",
                    "seeking_ecosystems",
                    "seeking_value_chain",
                )
            },
        ),
        (
            _("Validation"),
            {
                "fields": (
                    "validation_state",
                    "rejection_reason",
                    "needs_rescoring",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )
    inlines = [MembershipInline, LabelInline]
    actions = ["submit_for_validation", "verify", "reject"]

    @admin.display(description=_("members"))
    def members_total(self, organisation):
        return organisation.members_total

    # Profile changes go through the services, which audit them and flag re-scoring.
    def save_model(self, request, obj, form, change):
        fields = {
            name: getattr(obj, name) for name in form.changed_data if name not in PROFILE_M2M_FIELDS
        }
        relations = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in PROFILE_M2M_FIELDS
        }
        if change:
            original = Organisation.objects.get(pk=obj.pk)
            services.update_organisation(original, by=request.user, **fields, **relations)
            return
        every_field = {
            name: getattr(obj, name)
            for name in form.cleaned_data
            if name not in PROFILE_M2M_FIELDS and name in form.fields
        }
        created = services.create_organisation(by=request.user, **every_field, **relations)
        adopt_created(obj, created, "validation_state", "created_at", "updated_at")

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields were set by the service; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        organisation = form.instance
        # The admin's change message reads these three lists, which formset.save() would fill.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.deleted_forms:
            if isinstance(row.instance, OrganisationMembership) and row.instance.pk:
                remove_membership(row.instance, by=request.user)
                formset.deleted_objects.append(row.instance)
        for row in formset.forms:
            if not row.has_changed() or row in formset.deleted_forms:
                continue
            data = row.cleaned_data
            if formset.model is Label and not row.instance.pk:
                label = services.record_label(
                    organisation,
                    level=data["level"],
                    awarding_body=data["awarding_body"],
                    assessed_on=data["assessed_on"],
                    valid_until=data["valid_until"],
                    source_url=data.get("source_url", ""),
                    by=request.user,
                )
                formset.new_objects.append(label)
            elif formset.model is OrganisationMembership:
                existing = row.instance.pk is not None
                user = row.instance.user if existing else data["user"]
                membership = services.add_member(
                    organisation, user=user, role=data["role"], by=request.user
                )
                if existing:
                    formset.changed_objects.append((membership, row.changed_data))
                else:
                    formset.new_objects.append(membership)

    def _change_state(self, request, queryset, *, to, reason=""):
        apply_to_each(
            self,
            request,
            queryset,
            lambda organisation: services.change_validation_state(
                organisation, to=to, by=request.user, reason=reason
            ),
            success=lambda done: (
                ngettext(
                    "%(count)d organisation is now “%(state)s”.",
                    "%(count)d organisations are now “%(state)s”.",
                    done,
                )
                % {"count": done, "state": ValidationState(to).label}
            ),
        )

    @admin.action(description=_("Submit selected organisations for validation"))
    def submit_for_validation(self, request, queryset):
        self._change_state(request, queryset, to=ValidationState.PENDING)

    @admin.action(description=_("Verify selected organisations (publish them)"))
    def verify(self, request, queryset):
        self._change_state(request, queryset, to=ValidationState.VERIFIED)

    @admin.action(description=_("Reject selected organisations…"))
    def reject(self, request, queryset):
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            self._change_state(
                request, queryset, to=ValidationState.REJECTED, reason=form.cleaned_data["reason"]
            )
            return None
        return TemplateResponse(
            request,
            "admin/partnerships/organisation/reject_selected.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reject organisations"),
                "opts": self.model._meta,
                "organisations": queryset,
                "form": form,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
            },
        )


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
