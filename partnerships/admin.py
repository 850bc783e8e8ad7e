"""The staff back office. Organisation state, labels and memberships change through services,
so the admin leaves the same audit trail and re-scoring flags as the portal itself."""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clusterportal.admin_actions import apply_to_each
from partnerships import services
from partnerships.enums import (
    CallState,
    ExpressionState,
    LabelLevel,
    MemberType,
    OrganisationType,
    ValidationState,
)
from partnerships.models import (
    AuditEntry,
    Call,
    CallReviewer,
    CallStage,
    ConflictDeclaration,
    ConflictLogEntry,
    ConsensusScore,
    Country,
    Decision,
    Ecosystem,
    EmergingIndustry,
    EvaluationCriterion,
    ExpressionOfInterest,
    ExpressionPartner,
    Label,
    Organisation,
    OrganisationMembership,
    OutboxMessage,
    PartnershipMember,
    PartnershipMilestone,
    PartnershipOutcome,
    PlantedPartnership,
    PolicyObjective,
    Region,
    Review,
    ReviewAssignment,
    ReviewScore,
    S3Priority,
    SectoralIndustry,
    StrategicPartnership,
    User,
    ValueChainPosition,
)
from partnerships.services import PROFILE_M2M_FIELDS
from partnerships.services.call import CALL_M2M_FIELDS
from partnerships.services.partnership import (
    PARTNERSHIP_FIELDS,
    ensure_not_future,
    ensure_reachable,
    update_partnership,
)

# --- People -------------------------------------------------------------------------------


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "full_name")

    def clean_email(self):
        # The unique constraint ignores case, so check the same way before the database does.
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("A user with this e-mail address already exists."))
        return email


class UserEditForm(UserChangeForm):
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


# --- Organisations ------------------------------------------------------------------------


class ExistingRowsFrozenForm(forms.ModelForm):
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


class OrganisationAdminForm(forms.ModelForm):
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


class RejectionForm(forms.Form):
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
    )
    filter_horizontal = ("value_chain_positions",)
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
                    "s3_priorities",
                    "target_countries",
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
        # The admin goes on to save the inlines and log against `obj`: point it at the row.
        obj.pk = created.pk
        obj.validation_state = created.validation_state
        obj.created_at, obj.updated_at = created.created_at, created.updated_at
        obj._state.adding = False
        obj._state.db = created._state.db

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
        obj.pk = membership.pk
        obj._state.adding = False

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
    )
    list_filter = ("level", "awarding_body", LabelCurrencyFilter, "organisation__country")
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
        obj.pk = label.pk
        obj._state.adding = False


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
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
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


# --- Calls and expressions of interest --------------------------------------------------


class CallStageInlineForm(forms.ModelForm):
    class Meta:
        model = CallStage
        fields = ("number", "title", "deadline")


class CriterionInlineForm(ExistingRowsFrozenForm):
    class Meta:
        model = EvaluationCriterion
        fields = ("stage", "name", "description", "weight", "pass_mark", "order")


class CallStageInline(admin.TabularInline):
    model = CallStage
    form = CallStageInlineForm
    extra = 1
    max_num = 2
    can_delete = False
    verbose_name_plural = _("stages (deadlines in Brussels time)")


class CriterionInline(admin.TabularInline):
    model = EvaluationCriterion
    form = CriterionInlineForm
    extra = 1
    can_delete = False
    verbose_name_plural = _("evaluation criteria (0-5; saved ones cannot be edited)")


class CallAdminForm(forms.ModelForm):
    eligible_types = forms.MultipleChoiceField(
        label=_("who may apply"),
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Call
        fields = (
            "type",
            "reference",
            "title",
            "description",
            "eligible_types",
            "min_partners",
            "min_countries",
            "verified_required",
            "label_required",
            "budget",
            "funding_rate",
            *CALL_M2M_FIELDS,
        )


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """Staff create and edit calls here; every change goes through the call services."""

    form = CallAdminForm
    list_display = ("title", "reference", "type", "state", "budget", "funding_rate")
    list_filter = ("state", "type")
    search_fields = ("title", "reference")
    autocomplete_fields = CALL_M2M_FIELDS
    readonly_fields = ("state", "created_at", "updated_at")
    inlines = [CallStageInline, CriterionInline]
    actions = ["open_calls", "close_calls", "start_evaluation", "mark_decided"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            services.update_call(Call.objects.get(pk=obj.pk), by=request.user, **fields)
            return
        every_field = {
            name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data
        }
        created = services.create_call(by=request.user, **every_field)
        obj.pk = created.pk
        obj.state = created.state
        obj.created_at, obj.updated_at = created.created_at, created.updated_at
        obj._state.adding = False
        obj._state.db = created._state.db

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        call = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed():
                continue
            data = row.cleaned_data
            if formset.model is CallStage:
                stage = services.set_stage(
                    call,
                    number=data["number"],
                    deadline=data["deadline"],
                    title=data.get("title", ""),
                    by=request.user,
                )
                formset.new_objects.append(stage)
            elif not row.instance.pk:
                criterion = services.add_criterion(
                    call,
                    stage=data["stage"],
                    name=data["name"],
                    description=data.get("description", ""),
                    weight=data["weight"],
                    pass_mark=data["pass_mark"],
                    order=data.get("order") or 0,
                    by=request.user,
                )
                formset.new_objects.append(criterion)

    def _move(self, request, queryset, to):
        apply_to_each(
            self,
            request,
            queryset,
            lambda call: services.change_call_state(call, to=to, by=request.user),
            success=lambda done: (
                ngettext(
                    "%(count)d call is now “%(state)s”.",
                    "%(count)d calls are now “%(state)s”.",
                    done,
                )
                % {"count": done, "state": CallState(to).label}
            ),
        )

    @admin.action(description=_("Open selected calls"))
    def open_calls(self, request, queryset):
        self._move(request, queryset, CallState.OPEN)

    @admin.action(description=_("Close selected calls"))
    def close_calls(self, request, queryset):
        self._move(request, queryset, CallState.CLOSED)

    @admin.action(description=_("Start the evaluation of selected calls"))
    def start_evaluation(self, request, queryset):
        self._move(request, queryset, CallState.IN_EVALUATION)

    @admin.action(description=_("Mark selected calls as decided"))
    def mark_decided(self, request, queryset):
        self._move(request, queryset, CallState.DECIDED)


class ExpressionPartnerInline(admin.TabularInline):
    model = ExpressionPartner
    extra = 0
    can_delete = False
    fields = ("organisation", "state", "invited_at", "responded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    """Consortia write their expressions in the portal; staff read them and record the
    eligibility check here."""

    list_display = ("title", "call", "lead", "state", "submitted_at", "budget_requested")
    list_filter = ("state", "call")
    list_select_related = ("call", "lead")
    search_fields = ("title", "lead__name")
    inlines = [ExpressionPartnerInline]
    actions = ["mark_eligible", "mark_ineligible"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + list(CALL_M2M_FIELDS)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, to):
        apply_to_each(
            self,
            request,
            queryset,
            lambda expression: services.decide_expression(expression, to=to, by=request.user),
            success=lambda done: (
                ngettext(
                    "%(count)d expression is now “%(state)s”.",
                    "%(count)d expressions are now “%(state)s”.",
                    done,
                )
                % {"count": done, "state": ExpressionState(to).label}
            ),
        )

    @admin.action(description=_("Mark selected expressions eligible"))
    def mark_eligible(self, request, queryset):
        self._decide(request, queryset, ExpressionState.ELIGIBLE)

    @admin.action(description=_("Mark selected expressions ineligible"))
    def mark_ineligible(self, request, queryset):
        self._decide(request, queryset, ExpressionState.INELIGIBLE)


# --- Strategic partnerships ---------------------------------------------------------------


class PartnershipMemberInline(admin.TabularInline):
    """Members come from the selected consortium; the admin shows them."""

    model = PartnershipMember
    extra = 0
    can_delete = False
    fields = ("organisation", "is_coordinator")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class MilestoneInlineForm(ExistingRowsFrozenForm):
    # A saved milestone keeps its plan; only the day it was reached may still be filled in.
    frozen_fields = ("phase", "title", "due_on")

    class Meta:
        model = PartnershipMilestone
        fields = ("phase", "title", "due_on", "reached_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.reached_on:
            self.fields["reached_on"].disabled = True

    def clean(self):
        data = super().clean()
        phase = data.get("phase") or self.instance.phase
        reached_on = data.get("reached_on")
        if reached_on and "reached_on" in self.changed_data and phase:
            ensure_reachable(
                phase=phase, current=self.instance.partnership.phase, reached_on=reached_on
            )
        return data


class MilestoneInline(admin.TabularInline):
    model = PartnershipMilestone
    form = MilestoneInlineForm
    extra = 1
    can_delete = False
    verbose_name_plural = _("milestones (planned ones cannot be edited, only reached)")


class OutcomeInlineForm(ExistingRowsFrozenForm):
    class Meta:
        model = PartnershipOutcome
        fields = ("kind", "description", "amount", "achieved_on")

    def clean(self):
        data = super().clean()
        if "achieved_on" in self.changed_data:
            ensure_not_future(data.get("achieved_on"), field="achieved_on")
        return data


class OutcomeInline(admin.TabularInline):
    model = PartnershipOutcome
    form = OutcomeInlineForm
    extra = 1
    can_delete = False
    verbose_name_plural = _("outcomes (recorded ones cannot be edited)")


@admin.register(StrategicPartnership)
class StrategicPartnershipAdmin(admin.ModelAdmin):
    """Partnerships are founded from selected consortia; staff describe them here, move their
    phase with the action and record milestones and outcomes, all through the services."""

    list_display = ("name", "acronym", "call", "phase", "funded", "started_on")
    list_filter = ("phase", "funded", "call")
    list_select_related = ("call",)
    search_fields = ("name", "acronym", "members__organisation__name")
    fields = ("call", "expression", "phase", *PARTNERSHIP_FIELDS)
    readonly_fields = ("call", "expression", "phase")
    inlines = [PartnershipMemberInline, MilestoneInline, OutcomeInline]
    actions = ["advance_phase"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if fields:
            update_partnership(partnership=obj, by=request.user, **fields)

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        partnership = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed():
                continue
            data = row.cleaned_data
            if formset.model is PartnershipMilestone:
                if row.instance.pk:
                    milestone = services.reach_milestone(
                        milestone=row.instance, reached_on=data["reached_on"], by=request.user
                    )
                    formset.changed_objects.append((milestone, ["reached_on"]))
                    continue
                milestone = services.add_milestone(
                    partnership=partnership,
                    phase=data["phase"],
                    title=data["title"],
                    due_on=data["due_on"],
                    by=request.user,
                )
                if data.get("reached_on"):
                    services.reach_milestone(
                        milestone=milestone, reached_on=data["reached_on"], by=request.user
                    )
                formset.new_objects.append(milestone)
            elif formset.model is PartnershipOutcome and not row.instance.pk:
                outcome = services.add_outcome(
                    partnership=partnership,
                    kind=data["kind"],
                    description=data["description"],
                    amount=data.get("amount"),
                    achieved_on=data["achieved_on"],
                    by=request.user,
                )
                formset.new_objects.append(outcome)

    @admin.action(description=_("Move selected partnerships to their next phase"))
    def advance_phase(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda partnership: services.advance_phase(partnership=partnership, by=request.user),
            success=lambda done: (
                ngettext(
                    "%(count)d partnership moved to its next phase.",
                    "%(count)d partnerships moved to their next phase.",
                    done,
                )
                % {"count": done}
            ),
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
