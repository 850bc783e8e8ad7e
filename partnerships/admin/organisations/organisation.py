"""The organisation admin: profile, labels and members inline, validation actions."""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clusterportal.admin_actions import adopt_created, apply_to_each
from partnerships import services
from partnerships.enums import LabelLevel, ValidationState
from partnerships.models import Label, Organisation, OrganisationMembership
from partnerships.services import PROFILE_M2M_FIELDS

from .forms import LabelInlineForm, MembershipInlineForm, OrganisationAdminForm, RejectionForm
from .memberships import remove_membership


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
