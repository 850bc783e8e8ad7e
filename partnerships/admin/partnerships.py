"""Strategic partnerships with their members, milestones and outcomes."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clusterportal.admin_actions import apply_to_each
from partnerships import services
from partnerships.admin.organisations import ExistingRowsFrozenForm
from partnerships.models import (
    PartnershipMember,
    PartnershipMilestone,
    PartnershipOutcome,
    StrategicPartnership,
)
from partnerships.services.partnership import (
    PARTNERSHIP_FIELDS,
    ensure_not_future,
    ensure_reachable,
    update_partnership,
)

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
