"""After a meeting: each side's rating and the outcome both organisations' profiles show."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import OUTCOME_TRANSITIONS, MeetingOutcome
from events.models import MeetingRating
from events.services.notices import notify
from partnerships import page_cache
from partnerships.services import log_action
from partnerships.statemachine import ensure_transition


def _side_of(meeting, user):
    """The registration through which `user` took part in `meeting`, or a ValidationError."""
    for registration in (meeting.requester, meeting.recipient):
        if registration.user_id == user.pk:
            return registration
    raise ValidationError(_("Only the two people who met can follow a meeting up."), code="party")


def _ensure_held(meeting):
    if not meeting.was_held():
        raise ValidationError(
            _("A meeting can be rated and followed up once it has taken place."), code="not_held"
        )


def rate_meeting(meeting, *, by, stars, comment=""):
    """Record how useful `by` found a meeting they held (1 to 5); a second rating replaces it."""
    side = _side_of(meeting, by)
    _ensure_held(meeting)
    if stars not in range(1, 6):
        raise ValidationError(_("Give from 1 to 5 stars."), code="stars")
    with transaction.atomic():
        rating, created = MeetingRating.objects.update_or_create(
            meeting=meeting, by=side, defaults={"stars": stars, "comment": comment.strip()}
        )
        log_action(
            meeting,
            "meeting_rated" if created else "meeting_rating_changed",
            actor=by,
            data={"stars": stars},
        )
    return rating


def report_outcome(meeting, *, by, outcome):
    """Either side says what came of a held meeting; the other side is told.

    Negotiations and agreements show on both organisations' profiles.
    """
    _side_of(meeting, by)
    _ensure_held(meeting)
    ensure_transition(
        OUTCOME_TRANSITIONS, current=meeting.outcome, to=outcome, choices=MeetingOutcome
    )
    with transaction.atomic():
        meeting.outcome = outcome
        meeting.outcome_at = timezone.now()
        meeting.save(update_fields=["outcome", "outcome_at"])
        log_action(meeting, "meeting_outcome", actor=by, data={"outcome": outcome})
        # Both organisations' public pages list the meetings that led to an agreement.
        page_cache.bump_on_commit(
            page_cache.organisation_scope(meeting.requester.organisation_id),
            page_cache.organisation_scope(meeting.recipient.organisation_id),
        )
        other = meeting.recipient if meeting.requester.user_id == by.pk else meeting.requester
        notify(
            subject=_("Follow-up of your meeting at %(event)s") % {"event": meeting.event.title},
            text=_("%(user)s reported the outcome of your meeting: %(outcome)s.")
            % {"user": by, "outcome": MeetingOutcome(outcome).label},
            url=reverse("events:meeting-follow-up", args=[meeting.pk]),
            recipients=[other.user.email],
        )
    return meeting
