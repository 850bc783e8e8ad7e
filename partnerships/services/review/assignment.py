"""Assigning reviewers to expressions, by hand or automatically within their loads."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from partnerships.enums import (
    REVIEWABLE_STATES,
    AssignmentSource,
    ConflictAction,
)
from partnerships.integrity import unique_rule
from partnerships.models import (
    CallReviewer,
    ConflictLogEntry,
    ExpressionOfInterest,
    Review,
    ReviewAssignment,
)
from partnerships.services.audit import log_action, signed_in
from partnerships.services.review.common import _check_stage
from partnerships.services.review.conflicts import _log_conflict, conflicts_for


@dataclass
class AssignmentReport:
    created: int = 0
    skipped_conflicts: int = 0
    # Titles of expressions that still lack reviewers because nobody eligible was left.
    short: list = field(default_factory=list)


def _ensure_reviewable(expression, stage):
    if expression.state != REVIEWABLE_STATES.get(stage):
        raise ValidationError(
            _("“%(title)s” is “%(state)s” and cannot be reviewed at stage %(stage)d.")
            % {"title": expression.title, "state": expression.get_state_display(), "stage": stage},
            code="not_reviewable",
        )


def _already_reviews(reviewer):
    return ValidationError(
        {"reviewer": _("%(name)s already reviews this expression.") % {"name": reviewer}},
        code="duplicate",
    )


def _create_assignment(expression, *, stage, reviewer, source, by):
    # A hand assignment and an automatic run may pick the same reviewer at once.
    with unique_rule("review_assignment_unique", lambda: _already_reviews(reviewer)):
        assignment = ReviewAssignment.objects.create(
            expression=expression,
            stage=stage,
            reviewer=reviewer,
            source=source,
            assigned_by=signed_in(by),
        )
    Review.objects.create(assignment=assignment)
    log_action(
        expression,
        "review.assigned",
        actor=by,
        data={"reviewer": reviewer.pk, "stage": stage, "source": source},
    )
    return assignment


def _loads(call):
    return dict(
        ReviewAssignment.objects.filter(expression__call=call)
        .values_list("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )


@transaction.atomic
def auto_assign(call, *, stage, per_expression, by):
    """Give every reviewable expression of `stage` up to `per_expression` reviewers.

    The least loaded eligible pool member goes first (ties by name, then id), never one with
    a conflict of interest (each one skipped is logged) nor one at their maximum load.
    """
    _check_stage(call, stage)
    if not 1 <= per_expression <= 10:
        raise ValidationError(_("Assign between 1 and 10 reviewers per expression."))
    pool = list(
        CallReviewer.objects.select_for_update(of=("self",))
        .filter(call=call, is_moderator=False, user__is_active=True, user__is_staff=True)
        .select_related("user")
        .order_by("user__full_name", "user__email", "user_id")
    )
    loads = _loads(call)
    report = AssignmentReport()
    expressions = (
        ExpressionOfInterest.objects.filter(call=call, state=REVIEWABLE_STATES[stage])
        .select_related("lead", "call")
        .order_by("submitted_at", "id")
    )
    taken_by_expression = defaultdict(set)
    for expression_id, reviewer_id in ReviewAssignment.objects.filter(
        expression__call=call, stage=stage
    ).values_list("expression_id", "reviewer_id"):
        taken_by_expression[expression_id].add(reviewer_id)
    # A conflict skipped by an earlier run is logged once, not again on every run.
    skipped = set(
        ConflictLogEntry.objects.filter(
            expression__call=call, stage=stage, action=ConflictAction.SKIPPED
        ).values_list("expression_id", "reviewer_id", "rule", "organisation_id")
    )
    for expression in expressions:
        taken = taken_by_expression[expression.pk]
        missing = per_expression - len(taken)
        if missing <= 0:
            continue
        conflicts = conflicts_for(expression)
        candidates = sorted(
            (member for member in pool if member.user_id not in taken),
            key=lambda member: loads.get(member.user_id, 0),
        )
        for member in candidates:
            if missing == 0:
                break
            if member.max_load is not None and loads.get(member.user_id, 0) >= member.max_load:
                continue
            if member.user_id in conflicts:
                for conflict in conflicts[member.user_id]:
                    key = (expression.pk, member.user_id, conflict.rule, conflict.organisation_id)
                    if key in skipped:
                        continue
                    skipped.add(key)
                    _log_conflict(
                        expression,
                        stage=stage,
                        reviewer_id=member.user_id,
                        conflict=conflict,
                        action=ConflictAction.SKIPPED,
                        by=by,
                    )
                    report.skipped_conflicts += 1
                continue
            try:
                _create_assignment(
                    expression,
                    stage=stage,
                    reviewer=member.user,
                    source=AssignmentSource.AUTO,
                    by=by,
                )
            except ValidationError:
                # Assigned by hand meanwhile: the expression has this reviewer all the same.
                missing -= 1
                continue
            loads[member.user_id] = loads.get(member.user_id, 0) + 1
            report.created += 1
            missing -= 1
        if missing > 0:
            report.short.append(expression.title)
    log_action(
        call,
        "review.auto_assigned",
        actor=by,
        data={"stage": stage, "per_expression": per_expression, "created": report.created},
    )
    return report


def assign_reviewer(expression, *, stage, reviewer, by):
    """Assign one pool member by hand; a conflict of interest refuses it, and is logged."""
    with transaction.atomic():
        expression = (
            ExpressionOfInterest.objects.select_for_update(of=("self",))
            .select_related("call", "lead")
            .get(pk=expression.pk)
        )
        _check_stage(expression.call, stage)
        _ensure_reviewable(expression, stage)
        member = CallReviewer.objects.filter(call=expression.call, user=reviewer).first()
        if member is None or member.is_moderator or not (reviewer.is_staff and reviewer.is_active):
            raise ValidationError(
                {"reviewer": _("%(name)s is not a reviewer of this call.") % {"name": reviewer}},
                code="not_in_pool",
            )
        if ReviewAssignment.objects.filter(
            expression=expression, stage=stage, reviewer=reviewer
        ).exists():
            raise _already_reviews(reviewer)
        conflicts = conflicts_for(expression).get(reviewer.pk, [])
        if not conflicts:
            return _create_assignment(
                expression, stage=stage, reviewer=reviewer, source=AssignmentSource.MANUAL, by=by
            )
        # The refusal is part of the record: it is logged and committed before the error.
        for conflict in conflicts:
            _log_conflict(
                expression,
                stage=stage,
                reviewer_id=reviewer.pk,
                conflict=conflict,
                action=ConflictAction.REFUSED,
                by=by,
            )
    raise ValidationError(
        {
            "reviewer": _("%(name)s has a conflict of interest: %(conflicts)s.")
            % {"name": reviewer, "conflicts": "; ".join(c.message for c in conflicts)}
        },
        code="conflict",
    )


@transaction.atomic
def unassign(assignment, *, by):
    """Withdraw an assignment whose review is not submitted yet."""
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.is_submitted:
        raise ValidationError(_("A submitted review stays in the record."), code="submitted")
    log_action(
        assignment.expression,
        "review.unassigned",
        actor=by,
        data={"reviewer": assignment.reviewer_id, "stage": assignment.stage},
    )
    assignment.delete()
