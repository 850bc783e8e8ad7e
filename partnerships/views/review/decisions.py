"""The ranking of a stage, the decisions proposed from it and their release."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from partnerships import services
from partnerships.enums import (
    REVIEWABLE_STATES,
    DecisionState,
)
from partnerships.forms import DecisionForm
from partnerships.queries import (
    stage_expressions,
    stage_ranking,
    with_review_relations,
)
from partnerships.views.manage import attach_errors
from partnerships.views.review.common import CallReviewMixin, _report_errors

RANKING_REFUSED = gettext_lazy(
    "The ranking shows every reviewer's scores, so it opens for you once you have submitted "
    "your own score sheets of this call (see My reviews). Only Commission staff see it."
)


class RankingView(CallReviewMixin, View):
    permission_required = "partnerships.view_ranking"
    permission_denied_message = RANKING_REFUSED

    def get(self, request, pk, stage):
        call = self.get_call()
        stage = self.get_stage()
        ranking = stage_ranking(call, stage)
        context = {
            "call": call,
            "stage": stage,
            "ranking": ranking,
            "criteria": ranking.criteria,
            "can_manage": request.user.has_perm("partnerships.manage_review", call),
            "can_moderate": request.user.has_perm("partnerships.moderate_review", call),
            "columns": 9 + len(ranking.criteria),
        }
        return render(request, "partnerships/review/ranking.html", context)


class ProposeDecisionsView(CallReviewMixin, View):
    def post(self, request, pk, stage):
        call = self.get_call()
        stage = self.get_stage()
        try:
            count = services.propose_decisions(
                call, stage=stage, ranking=stage_ranking(call, stage), by=request.user
            )
        except ValidationError as error:
            _report_errors(request, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d pending decision recorded from the ranking.",
                    "%(count)d pending decisions recorded from the ranking.",
                    count,
                )
                % {"count": count},
            )
        return redirect("partnerships:review-decisions", pk=pk, stage=stage)


class DecisionsView(CallReviewMixin, View):
    def rows(self, forms=None):
        call = self.get_call()
        stage = self.get_stage()
        outcomes = services.outcomes_for(call, stage)
        forms = forms or {}
        rows = []
        for expression in with_review_relations(stage_expressions(call, stage), stage):
            decision = expression.stage_decisions[0] if expression.stage_decisions else None
            form = None
            if expression.state == REVIEWABLE_STATES[stage] and (
                decision is None or decision.state == DecisionState.PENDING
            ):
                form = forms.get(expression.pk) or DecisionForm(
                    outcomes=outcomes,
                    prefix=f"e{expression.pk}",
                    initial={"outcome": decision.outcome, "reason": decision.reason}
                    if decision
                    else None,
                )
            rows.append({"expression": expression, "decision": decision, "form": form})
        return rows

    def get(self, request, pk, stage, forms=None):
        rows = self.rows(forms)
        context = {
            "call": self.get_call(),
            "stage": self.get_stage(),
            "rows": rows,
            "pending": sum(
                1 for r in rows if r["decision"] and r["decision"].state == DecisionState.PENDING
            ),
        }
        return render(
            request, "partnerships/review/decisions.html", context, status=400 if forms else 200
        )

    def post(self, request, pk, stage):
        call = self.get_call()
        stage = self.get_stage()
        expression = get_object_or_404(call.expressions, pk=request.POST.get("expression") or 0)
        form = DecisionForm(
            request.POST, outcomes=services.outcomes_for(call, stage), prefix=f"e{expression.pk}"
        )
        if form.is_valid():
            try:
                services.record_decision(
                    expression, stage=stage, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The decision on “%(title)s” is recorded as pending.")
                    % {"title": expression.title},
                )
                return redirect("partnerships:review-decisions", pk=pk, stage=stage)
        return self.get(request, pk, stage, forms={expression.pk: form})


class ReleaseDecisionsView(CallReviewMixin, View):
    def post(self, request, pk, stage):
        stage = self.get_stage()
        try:
            released = services.release_decisions(self.get_call(), stage=stage, by=request.user)
        except ValidationError as error:
            _report_errors(request, error)
            return redirect("partnerships:review-decisions", pk=pk, stage=stage)
        messages.success(
            request,
            ngettext(
                "%(count)d decision released. Preview the e-mails and send them.",
                "%(count)d decisions released. Preview the e-mails and send them.",
                len(released),
            )
            % {"count": len(released)},
        )
        return redirect("partnerships:review-outbox", pk=pk)
