"""The review overview: the reviewer pool, the same-country rule and the assignments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from partnerships import services
from partnerships.enums import (
    REVIEWABLE_STATES,
    OutboxState,
    ReviewState,
)
from partnerships.forms import (
    AutoAssignForm,
    ManualAssignForm,
    ReviewerAddForm,
    SameCountryRuleForm,
)
from partnerships.models import (
    CallReviewer,
    ReviewAssignment,
    User,
)
from partnerships.queries import (
    conflict_log,
    review_pool,
    stage_expressions,
    with_review_relations,
)
from partnerships.views.manage import attach_errors
from partnerships.views.review.common import CallReviewMixin, _report_errors


class ReviewOverviewView(CallReviewMixin, View):
    def get(self, request, pk, forms=None):
        call = self.get_call()
        forms = forms or {}
        pool = list(review_pool(call))
        reviewer_users = User.objects.filter(
            review_pools__call=call, review_pools__is_moderator=False
        ).order_by("full_name", "email")
        stages = []
        for stage in call.stages.all():
            expressions = list(
                with_review_relations(stage_expressions(call, stage.number), stage.number)
            )
            reviewable = call.expressions.filter(state=REVIEWABLE_STATES[stage.number]).order_by(
                "title", "id"
            )
            assignments = [a for e in expressions for a in e.stage_assignments]
            stages.append(
                {
                    "stage": stage,
                    "expressions": expressions,
                    "assignment_count": len(assignments),
                    "submitted_count": sum(
                        1 for a in assignments if a.review.state == ReviewState.SUBMITTED
                    ),
                    "auto_form": forms.get(("auto", stage.number)) or AutoAssignForm(),
                    "manual_form": forms.get(("manual", stage.number))
                    or ManualAssignForm(expressions=reviewable, reviewers=reviewer_users),
                }
            )
        context = {
            "call": call,
            "pool": pool,
            "stages": stages,
            "reviewer_form": forms.get("reviewer") or ReviewerAddForm(),
            "same_country_form": SameCountryRuleForm(
                initial={"enabled": call.review_same_country_rule}
            ),
            "conflicts": conflict_log(call)[:50],
            "pending_messages": call.expressions.aggregate(
                n=Count("outbox_messages", filter=Q(outbox_messages__state=OutboxState.PENDING))
            )["n"],
        }
        return render(
            request,
            "partnerships/review/overview.html",
            context,
            status=400 if forms else 200,
        )


class ReviewerAddView(CallReviewMixin, View):
    def post(self, request, pk):
        form = ReviewerAddForm(request.POST)
        if form.is_valid():
            try:
                services.add_reviewer(self.get_call(), by=request.user, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is in the reviewer pool.") % {"name": form.cleaned_data["user"]},
                )
                return self.overview()
        return ReviewOverviewView.get(self, request, pk, forms={"reviewer": form})


class ReviewerRemoveView(CallReviewMixin, View):
    def post(self, request, pk, reviewer_pk):
        reviewer = get_object_or_404(CallReviewer, call=self.get_call(), pk=reviewer_pk)
        try:
            services.remove_reviewer(reviewer, by=request.user)
        except ValidationError as error:
            _report_errors(request, error)
        else:
            messages.success(
                request, _("%(name)s has left the reviewer pool.") % {"name": reviewer.user}
            )
        return self.overview()


class SameCountryRuleView(CallReviewMixin, View):
    def post(self, request, pk):
        form = SameCountryRuleForm(request.POST)
        form.is_valid()
        enabled = form.cleaned_data.get("enabled", False)
        services.set_same_country_rule(self.get_call(), enabled=enabled, by=request.user)
        messages.success(
            request,
            _("The same-country rule applies to new assignments.")
            if enabled
            else _("The same-country rule is off."),
        )
        return self.overview()


class AutoAssignView(CallReviewMixin, View):
    def post(self, request, pk, stage):
        stage = self.get_stage()
        form = AutoAssignForm(request.POST)
        if not form.is_valid():
            return ReviewOverviewView.get(self, request, pk, forms={("auto", stage): form})
        try:
            report = services.auto_assign(
                self.get_call(),
                stage=stage,
                per_expression=form.cleaned_data["per_expression"],
                by=request.user,
            )
        except ValidationError as error:
            _report_errors(request, error)
            return self.overview()
        messages.success(
            request,
            ngettext("%(count)d assignment made.", "%(count)d assignments made.", report.created)
            % {"count": report.created},
        )
        if report.skipped_conflicts:
            messages.warning(
                request,
                ngettext(
                    "%(count)d reviewer was skipped for a conflict of interest (see the log).",
                    "%(count)d reviewers were skipped for conflicts of interest (see the log).",
                    report.skipped_conflicts,
                )
                % {"count": report.skipped_conflicts},
            )
        if report.short:
            messages.warning(
                request,
                _("Not enough eligible reviewers for: %(titles)s. Add reviewers to the pool.")
                % {"titles": "; ".join(report.short)},
            )
        return self.overview()


class ManualAssignView(CallReviewMixin, View):
    def post(self, request, pk, stage):
        stage = self.get_stage()
        call = self.get_call()
        form = ManualAssignForm(
            request.POST,
            expressions=call.expressions.filter(state=REVIEWABLE_STATES[stage]),
            reviewers=User.objects.filter(review_pools__call=call),
        )
        if form.is_valid():
            try:
                services.assign_reviewer(
                    form.cleaned_data["expression"],
                    stage=stage,
                    reviewer=form.cleaned_data["reviewer"],
                    by=request.user,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s reviews “%(title)s”.")
                    % {
                        "name": form.cleaned_data["reviewer"],
                        "title": form.cleaned_data["expression"].title,
                    },
                )
                return self.overview()
        return ReviewOverviewView.get(self, request, pk, forms={("manual", stage): form})


class UnassignView(CallReviewMixin, View):
    def post(self, request, pk, assignment_pk):
        assignment = get_object_or_404(
            ReviewAssignment.objects.select_related("expression", "reviewer"),
            expression__call=self.get_call(),
            pk=assignment_pk,
        )
        try:
            services.unassign(assignment, by=request.user)
        except ValidationError as error:
            _report_errors(request, error)
        else:
            messages.success(
                request,
                _("%(name)s no longer reviews “%(title)s”.")
                % {"name": assignment.reviewer, "title": assignment.expression.title},
            )
        return self.overview()
