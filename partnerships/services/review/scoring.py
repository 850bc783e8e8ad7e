"""Score sheets: a reviewer's scores, their submission and the moderator's consensus."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.enums import (
    REVIEW_TRANSITIONS,
    ReviewState,
)
from partnerships.models import (
    ConsensusScore,
    ExpressionOfInterest,
    Review,
    ReviewScore,
)
from partnerships.models.call import SCORE_MAX
from partnerships.services.audit import log_action
from partnerships.services.review.common import SCORE_STEP, StaleVersion, _criteria
from partnerships.statemachine import ensure_transition


def parse_score(value):
    """A score from 0 to 5 in steps of 0.5, or None for an empty field."""
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(_("A score is a number from 0 to 5.")) from None
    if not score.is_finite() or not 0 <= score <= SCORE_MAX or score % SCORE_STEP:
        raise ValidationError(_("A score is a number from 0 to 5 in steps of 0.5."))
    return score


def _clean_scores(scores, criteria):
    by_id = {criterion.pk: criterion for criterion in criteria}
    unknown = set(scores) - set(by_id)
    if unknown:
        raise ValidationError(_("These criteria are not scored at this stage."), code="unknown")
    return {
        pk: (parse_score(score), (comment or "").strip()) for pk, (score, comment) in scores.items()
    }


@transaction.atomic
def save_review(review, *, scores, expected_version, by):
    """Save a reviewer's draft scores ({criterion id: (score, comment)}).

    Refused with StaleVersion when the review changed since `expected_version` was read. A
    save that changes nothing is no change at all: it keeps the version, whatever its age.
    """
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("assignment__expression__call")
        .get(pk=review.pk)
    )
    assignment = review.assignment
    if assignment.reviewer_id != by.pk:
        raise ValidationError(_("Only the assigned reviewer can score this."), code="not_reviewer")
    if review.is_submitted:
        raise ValidationError(_("This review is submitted and can no longer change."))
    cleaned = _clean_scores(scores, _criteria(assignment.expression.call, assignment.stage))
    saved = {s.criterion_id: (s.score, s.comment) for s in review.scores.all()}
    changed = {pk: value for pk, value in cleaned.items() if saved.get(pk, (None, "")) != value}
    if not changed:
        return review
    if review.version != expected_version:
        raise StaleVersion()
    for criterion_id, (score, comment) in changed.items():
        ReviewScore.objects.update_or_create(
            review=review, criterion_id=criterion_id, defaults={"score": score, "comment": comment}
        )
    review.version += 1
    review.save(update_fields=["version", "updated_at"])
    log_action(review, "review.saved", actor=by, data={"version": review.version})
    return review


@transaction.atomic
def submit_review(review, *, by):
    """Submit a complete review: every criterion scored and commented. It is final."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("assignment__expression__call")
        .get(pk=review.pk)
    )
    assignment = review.assignment
    if assignment.reviewer_id != by.pk:
        raise ValidationError(_("Only the assigned reviewer can submit this."))
    ensure_transition(
        REVIEW_TRANSITIONS, current=review.state, to=ReviewState.SUBMITTED, choices=ReviewState
    )
    saved = {s.criterion_id: s for s in review.scores.all()}
    missing = [
        criterion.name
        for criterion in _criteria(assignment.expression.call, assignment.stage)
        if criterion.pk not in saved
        or saved[criterion.pk].score is None
        or not saved[criterion.pk].comment
    ]
    if missing:
        raise ValidationError(
            _("Give a score and a comment for every criterion before submitting: %(names)s.")
            % {"names": ", ".join(missing)},
            code="incomplete",
        )
    review.state = ReviewState.SUBMITTED
    review.submitted_at = timezone.now()
    review.version += 1
    review.save(update_fields=["state", "submitted_at", "version", "updated_at"])
    log_action(review, "review.submitted", actor=by)
    return review


@transaction.atomic
def set_consensus(expression, *, stage, scores, expected_versions, by):
    """The moderator's consensus ({criterion id: (score, comment)}) once every review is in.

    `expected_versions` holds each criterion's consensus version as the form showed it (0 for
    none yet); a newer one on any criterion refuses the whole save with StaleVersion.
    """
    expression = (
        ExpressionOfInterest.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=expression.pk)
    )
    reviews = Review.objects.filter(assignment__expression=expression, assignment__stage=stage)
    if not reviews.filter(state=ReviewState.SUBMITTED).exists():
        raise ValidationError(_("The consensus waits for at least one submitted review."))
    if reviews.exclude(state=ReviewState.SUBMITTED).exists():
        raise ValidationError(
            _("Some reviews are not submitted yet; the consensus comes after all of them."),
            code="reviews_open",
        )
    criteria = _criteria(expression.call, stage)
    cleaned = _clean_scores(scores, criteria)
    current = {
        c.criterion_id: c
        for c in ConsensusScore.objects.select_for_update(of=("self",)).filter(
            expression=expression, criterion__in=criteria
        )
    }
    for criterion in criteria:
        version = current[criterion.pk].version if criterion.pk in current else 0
        if expected_versions.get(criterion.pk, 0) != version:
            raise StaleVersion()
    if any(score is None or not comment for score, comment in cleaned.values()):
        raise ValidationError(
            _("Give a consensus score and a comment for every criterion you fill in."),
            code="incomplete",
        )
    for criterion_id, (score, comment) in cleaned.items():
        consensus = current.get(criterion_id)
        if consensus is None:
            ConsensusScore.objects.create(
                expression=expression,
                criterion_id=criterion_id,
                score=score,
                comment=comment,
                by=by,
            )
        elif (consensus.score, consensus.comment) != (score, comment):
            consensus.score, consensus.comment, consensus.by = score, comment, by
            consensus.version += 1
            consensus.save()
    log_action(
        expression,
        "review.consensus",
        actor=by,
        data={"stage": stage, "scores": {str(k): str(v[0]) for k, v in cleaned.items()}},
    )
    return expression
