"""The moderator's consensus score sheet of an expression."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from partnerships import services
from partnerships.forms import ConsensusForm
from partnerships.models import ConsensusScore
from partnerships.queries import (
    reviews_for_user,
    stage_criteria,
    with_review_detail,
)
from partnerships.views.manage import attach_errors
from partnerships.views.review.common import CallReviewMixin


class ConsensusView(CallReviewMixin, View):
    """The moderator reads every review of one expression and writes the consensus."""

    permission_required = "partnerships.moderate_review"
    permission_denied_message = gettext_lazy(
        "Only the moderator of this call's reviewer pool writes the consensus. Staff name the "
        "moderator on the call's review page."
    )

    def get_expression(self):
        return get_object_or_404(
            self.get_call().expressions.select_related("lead"), pk=self.kwargs["expression_pk"]
        )

    def render_page(self, expression, form=None, *, status=200):
        stage = self.get_stage()
        call = self.get_call()
        criteria = list(stage_criteria(call, stage))
        consensus = {
            c.criterion_id: c
            for c in ConsensusScore.objects.filter(expression=expression, criterion__in=criteria)
        }
        reviews = list(
            with_review_detail(
                reviews_for_user(self.request.user).filter(
                    assignment__expression=expression, assignment__stage=stage
                )
            ).order_by("assignment__created_at", "id")
        )
        if form is None:
            initial = {}
            for criterion in criteria:
                saved = consensus.get(criterion.pk)
                initial[f"version_{criterion.pk}"] = saved.version if saved else 0
                if saved:
                    initial[f"score_{criterion.pk}"] = saved.score
                    initial[f"comment_{criterion.pk}"] = saved.comment
            form = ConsensusForm(initial=initial, criteria=criteria)
        rows = []
        for criterion, score_field, comment_field in form.rows():
            individual = []
            for review in reviews:
                score = next(
                    (s for s in review.scores.all() if s.criterion_id == criterion.pk), None
                )
                individual.append((review, score))
            given = [s.score for _r, s in individual if s is not None and s.score is not None]
            rows.append(
                {
                    "criterion": criterion,
                    "score_field": score_field,
                    "comment_field": comment_field,
                    "individual": individual,
                    "mean": sum(given) / len(given) if given else None,
                    "consensus": consensus.get(criterion.pk),
                }
            )
        context = {
            "call": call,
            "stage": stage,
            "expression": expression,
            "reviews": reviews,
            "rows": rows,
            "form": form,
            "all_submitted": bool(reviews) and all(r.is_submitted for r in reviews),
        }
        return render(self.request, "partnerships/review/consensus.html", context, status=status)

    def get(self, request, pk, stage, expression_pk):
        return self.render_page(self.get_expression())

    def post(self, request, pk, stage, expression_pk):
        expression = self.get_expression()
        stage = self.get_stage()
        criteria = list(stage_criteria(self.get_call(), stage))
        form = ConsensusForm(request.POST, criteria=criteria)
        if not form.is_valid():
            return self.render_page(expression, form, status=400)
        try:
            services.set_consensus(
                expression,
                stage=stage,
                scores=form.scores(),
                expected_versions=form.versions(),
                by=request.user,
            )
        except services.StaleVersion as error:
            data = request.POST.copy()
            for c in ConsensusScore.objects.filter(expression=expression, criterion__in=criteria):
                data[f"version_{c.criterion_id}"] = c.version
            form = ConsensusForm(data, criteria=criteria)
            form.is_valid()
            form.add_error(None, error)
            return self.render_page(expression, form, status=409)
        except ValidationError as error:
            attach_errors(form, error)
            return self.render_page(expression, form, status=400)
        messages.success(
            request, _("The consensus on “%(title)s” is saved.") % {"title": expression.title}
        )
        return redirect("partnerships:review-ranking", pk=pk, stage=stage)
