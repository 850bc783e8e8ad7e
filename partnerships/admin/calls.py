"""Calls with their stages and criteria, and the expressions of interest they receive."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clusterportal.admin_actions import adopt_created, apply_to_each
from partnerships import services
from partnerships.admin.organisations import ExistingRowsFrozenForm
from partnerships.enums import CallState, ExpressionState
from partnerships.forms import CallForm
from partnerships.models import (
    Call,
    CallStage,
    EvaluationCriterion,
    ExpressionOfInterest,
    ExpressionPartner,
)
from partnerships.services.call import CALL_M2M_FIELDS
from partnerships.text import SingleLineFieldsMixin

# --- Calls and expressions of interest --------------------------------------------------


class CallStageInlineForm(SingleLineFieldsMixin, forms.ModelForm):
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


class CallAdminForm(CallForm):
    class Meta(CallForm.Meta):
        # No widgets of its own: the admin's autocomplete fields pick the themes.
        widgets = {}


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
        adopt_created(obj, created, "state", "created_at", "updated_at")

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
