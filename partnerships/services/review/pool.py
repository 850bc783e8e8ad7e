"""A call's pool of reviewers and its same-country rule."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partnerships.enums import ReviewState
from partnerships.models import (
    CallReviewer,
    ReviewAssignment,
)
from partnerships.services.audit import log_action
from partnerships.services.review.common import _require_staff


@transaction.atomic
def add_reviewer(call, *, user, by, is_moderator=False, country=None, max_load=None):
    """Put a member of staff in the call's reviewer pool, or change their place in it."""
    _require_staff(user)
    if is_moderator and (
        ReviewAssignment.objects.filter(expression__call=call, reviewer=user).exists()
    ):
        raise ValidationError(
            _("%(name)s already has reviews in this call and cannot moderate it.") % {"name": user},
            code="has_reviews",
        )
    reviewer, created = CallReviewer.objects.update_or_create(
        call=call,
        user=user,
        defaults={"is_moderator": is_moderator, "country": country, "max_load": max_load},
    )
    log_action(
        call,
        "review.reviewer_added" if created else "review.reviewer_changed",
        actor=by,
        data={"user": user.pk, "moderator": is_moderator, "max_load": max_load},
    )
    return reviewer


@transaction.atomic
def remove_reviewer(reviewer, *, by):
    """Take someone out of the pool; their unsubmitted assignments go with them."""
    assignments = ReviewAssignment.objects.filter(
        expression__call=reviewer.call_id, reviewer=reviewer.user_id
    )
    if assignments.filter(review__state=ReviewState.SUBMITTED).exists():
        raise ValidationError(
            _("%(name)s has submitted reviews in this call; they stay in the pool.")
            % {"name": reviewer.user},
            code="has_submitted",
        )
    withdrawn = assignments.count()
    assignments.delete()
    log_action(
        reviewer.call,
        "review.reviewer_removed",
        actor=by,
        data={"user": reviewer.user_id, "assignments_withdrawn": withdrawn},
    )
    reviewer.delete()


@transaction.atomic
def set_same_country_rule(call, *, enabled, by):
    """Switch the same-country rule; it applies to assignments made from now on."""
    call.review_same_country_rule = bool(enabled)
    call.save(update_fields=["review_same_country_rule", "updated_at"])
    log_action(call, "review.same_country_rule", actor=by, data={"enabled": bool(enabled)})
    return call
