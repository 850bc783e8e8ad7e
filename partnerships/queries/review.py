"""Reads of the review: pools, stages, reviews, criteria, the ranking, conflicts and outbox."""

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
)

from partnerships import ranking
from partnerships.enums import (
    REVIEWABLE_STATES,
    ReviewState,
)
from partnerships.models import (
    CallReviewer,
    ConflictLogEntry,
    ConsensusScore,
    Decision,
    ExpressionPartner,
    Organisation,
    OutboxMessage,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from partnerships.queries.common import _is_staff


def review_pool(call):
    """The call's reviewer pool with each member's number of assignments in the call."""
    return (
        call.reviewers.select_related("user", "country")
        .annotate(
            load=Count(
                "user__review_assignments",
                filter=Q(user__review_assignments__expression__call=call),
            )
        )
        .order_by("-is_moderator", "user__full_name", "user__email", "id")
    )


def stage_expressions(call, stage):
    """Expressions under review at `stage`: reviewable now, assigned or decided at the stage."""

    return (
        call.expressions.filter(
            Q(state=REVIEWABLE_STATES[stage])
            | Q(review_assignments__stage=stage)
            | Q(decisions__stage=stage)
        )
        .distinct()
        .select_related("lead", "lead__country")
        .order_by("submitted_at", "id")
    )


def with_review_relations(expressions, stage):
    """Assignments with their reviews and reviewers, and the stage's decision, prefetched."""

    return expressions.prefetch_related(
        Prefetch(
            "review_assignments",
            queryset=ReviewAssignment.objects.filter(stage=stage)
            .select_related("reviewer", "review")
            .order_by("created_at", "id"),
            to_attr="stage_assignments",
        ),
        Prefetch(
            "decisions", queryset=Decision.objects.filter(stage=stage), to_attr="stage_decisions"
        ),
        Prefetch(
            "partners",
            queryset=ExpressionPartner.objects.select_related(
                "organisation", "organisation__country"
            ).order_by("organisation__name", "id"),
        ),
    )


def reviews_for_user(user):
    """Reviews a person may read: their own; the others' of an expression and stage once their
    own is submitted (and only submitted ones); every review of a call they manage.

    Only staff review, and staff manage every call's review; a reviewer stays blind to the
    other reviews of an expression they review until their own is submitted (see rules.py).
    """
    reviews = Review.objects.all()
    if not _is_staff(user):
        return reviews.none()
    reviews_it_too = ReviewAssignment.objects.filter(
        reviewer=user,
        expression=OuterRef("assignment__expression"),
        stage=OuterRef("assignment__stage"),
    )
    own_submitted = Review.objects.filter(
        assignment__reviewer=user,
        state=ReviewState.SUBMITTED,
        assignment__expression=OuterRef("assignment__expression"),
        assignment__stage=OuterRef("assignment__stage"),
    )
    return reviews.filter(
        Q(assignment__reviewer=user)
        | Q(Exists(own_submitted), state=ReviewState.SUBMITTED)
        | ~Exists(reviews_it_too)
    )


def with_review_detail(reviews):
    """What a review page or the API shows: the assignment, expression, call and scores."""
    return reviews.select_related(
        "assignment__reviewer",
        "assignment__expression__call",
        "assignment__expression__lead",
    ).prefetch_related(
        Prefetch(
            "scores",
            queryset=ReviewScore.objects.select_related("criterion").order_by(
                "criterion__order", "criterion_id"
            ),
        )
    )


def organisations_under_review_by(user):
    """Organisations in the consortia of the calls `user` is in the reviewer pool of."""
    calls = CallReviewer.objects.filter(user=user).values("call_id")
    return (
        Organisation.objects.filter(
            Q(led_expressions__call__in=calls)
            | Q(expression_partnerships__expression__call__in=calls)
        )
        .distinct()
        .order_by("name", "id")
    )


def assignments_for_reviewer(user):
    """The person's own review assignments, newest call first."""

    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("expression", "expression__call", "expression__lead", "review")
        .order_by("-expression__call__created_at", "expression__title", "stage", "id")
    )


def stage_criteria(call, stage):
    """The criteria scored at one stage of `call`, in the order the score sheet shows them."""
    return call.criteria.filter(stage=stage).order_by("order", "id")


def stage_ranking(call, stage):
    """The ranking of one stage (see partnerships.ranking), from a fixed number of queries."""
    criteria = [
        ranking.Criterion(id=c.pk, name=c.name, weight=c.weight, pass_mark=c.pass_mark)
        for c in stage_criteria(call, stage)
    ]
    expressions = list(stage_expressions(call, stage))
    candidates = {
        e.pk: ranking.Candidate(
            id=e.pk,
            title=e.title,
            budget_requested=e.budget_requested,
            submitted_at=e.stage2_submitted_at if stage == 2 else e.submitted_at,
        )
        for e in expressions
    }
    scores = ReviewScore.objects.filter(
        review__assignment__expression_id__in=candidates,
        review__assignment__stage=stage,
        review__state=ReviewState.SUBMITTED,
        criterion__stage=stage,
    ).order_by("review_id", "criterion_id")
    for expression_id, criterion_id, score in scores.values_list(
        "review__assignment__expression_id", "criterion_id", "score"
    ):
        if score is not None:
            candidates[expression_id].individual.setdefault(criterion_id, []).append(score)
    for expression_id, criterion_id, score in ConsensusScore.objects.filter(
        expression_id__in=candidates, criterion__stage=stage, criterion__call=call
    ).values_list("expression_id", "criterion_id", "score"):
        candidates[expression_id].consensus[criterion_id] = score
    result = ranking.rank(candidates.values(), criteria, budget=call.budget)
    by_id = {e.pk: e for e in expressions}
    for row in result.rows:
        row.expression = by_id[row.id]
    return result


def conflict_log(call):
    """Every reviewer kept away from an expression of `call` by a conflict, newest first."""

    return (
        ConflictLogEntry.objects.filter(expression__call=call)
        .select_related("expression", "reviewer", "organisation", "by")
        .order_by("-created_at", "-id")
    )


def outbox_for_call(call):
    """The decision e-mails of `call`: waiting ones first, each group oldest first."""

    return (
        OutboxMessage.objects.filter(expression__call=call)
        .select_related("expression", "sent_by")
        .order_by("state", "created_at", "id")
    )
