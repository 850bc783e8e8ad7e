"""CSV and JSON downloads of a review stage: individual scores, the ranking, the conflict log."""

import csv
import io
import json

from django.http import Http404, HttpResponse
from django.views import View

from partnerships.enums import ReviewState
from partnerships.exports import safe_cell
from partnerships.models import ReviewScore
from partnerships.queries import conflict_log, stage_ranking
from partnerships.views.review.common import CallReviewMixin
from partnerships.views.review.decisions import RANKING_REFUSED


def _text(value):
    return None if value is None else str(value)


SCORE_FIELDS = [
    "expression_id",
    "expression",
    "review_id",
    "reviewer",
    "review_state",
    "submitted",
    "criterion",
    "score",
    "comment",
]
CONFLICT_FIELDS = [
    "logged_at",
    "expression_id",
    "expression",
    "stage",
    "reviewer",
    "organisation",
    "rule",
    "action",
    "by",
]


def score_rows(call, stage):
    scores = (
        ReviewScore.objects.filter(
            review__assignment__expression__call=call, review__assignment__stage=stage
        )
        .select_related(
            "criterion", "review__assignment__expression", "review__assignment__reviewer"
        )
        .order_by(
            "review__assignment__expression__title",
            "review__assignment__expression_id",
            "review_id",
            "criterion__order",
            "criterion_id",
        )
    )
    rows = [
        {
            "expression_id": s.review.assignment.expression_id,
            "expression": s.review.assignment.expression.title,
            "review_id": s.review_id,
            "reviewer": str(s.review.assignment.reviewer),
            "review_state": s.review.state,
            "submitted": s.review.state == ReviewState.SUBMITTED,
            "criterion": s.criterion.name,
            "score": _text(s.score),
            "comment": s.comment,
        }
        for s in scores
    ]
    return SCORE_FIELDS, rows


def ranking_rows(call, stage):
    ranking = stage_ranking(call, stage)
    fields = [
        "rank",
        "expression_id",
        "expression",
        "lead",
        *(f"score: {c.name}" for c in ranking.criteria),
        "weighted_total",
        "max_total",
        "passed",
        "failed_criteria",
        "mean_of_reviewers",
        "spread_of_reviewers",
        "reviews",
        "budget_requested",
        "cumulative_budget",
        "within_budget",
    ]
    rows = []
    for row in ranking.rows:
        rows.append(
            {
                "rank": row.rank,
                "expression_id": row.id,
                "expression": row.candidate.title,
                "lead": row.expression.lead.name,
                **{f"score: {c.name}": _text(row.scores[c.id]) for c in ranking.criteria},
                "weighted_total": _text(row.total),
                "max_total": str(ranking.max_total),
                "passed": row.passed,
                "failed_criteria": "; ".join(row.failed_criteria),
                "mean_of_reviewers": _text(row.mean),
                "spread_of_reviewers": _text(row.spread),
                "reviews": row.reviews,
                "budget_requested": str(row.candidate.budget_requested or 0),
                "cumulative_budget": _text(row.cumulative_budget),
                "within_budget": row.within_budget,
            }
        )
    return fields, rows


def conflict_rows(call, stage):
    return CONFLICT_FIELDS, [
        {
            "logged_at": entry.created_at.isoformat(),
            "expression_id": entry.expression_id,
            "expression": entry.expression.title,
            "stage": entry.stage,
            "reviewer": str(entry.reviewer),
            "organisation": entry.organisation.name if entry.organisation else "",
            "rule": entry.rule,
            "action": entry.action,
            "by": str(entry.by) if entry.by else "",
        }
        for entry in conflict_log(call).filter(stage=stage)
    ]


EXPORTS = {"scores": score_rows, "ranking": ranking_rows, "conflicts": conflict_rows}


class ReviewExportView(CallReviewMixin, View):
    permission_required = "partnerships.view_ranking"
    permission_denied_message = RANKING_REFUSED

    def get(self, request, pk, stage, kind, fmt):
        if kind not in EXPORTS or fmt not in ("csv", "json"):
            raise Http404
        call = self.get_call()
        stage = self.get_stage()
        fields, rows = EXPORTS[kind](call, stage)
        filename = f"{call.reference}-stage{stage}-{kind}.{fmt}"
        if fmt == "json":
            response = HttpResponse(
                json.dumps({"call": call.reference, "stage": stage, kind: rows}, indent=2),
                content_type="application/json",
            )
        else:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=fields)
            writer.writeheader()
            for row in rows:
                writer.writerow({key: safe_cell(value) for key, value in row.items()})
            response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
