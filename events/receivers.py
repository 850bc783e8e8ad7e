"""What the events app adds to pages of the apps below it, through their signals."""

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from events.enums import MeetingOutcome, MeetingState
from events.models import Meeting
from events.queries import meeting_outcome_pairs, organisation_outcomes
from matchmaking.enums import PairOutcome
from matchmaking.outcomes import Outcome
from partnerships import page_cache


def profile_outcomes(sender, *, organisation, request, **kwargs):
    """The organisation page's section of meetings that led to a negotiation or agreement."""
    meetings = organisation_outcomes(
        organisation,
        with_negotiations=request.user.has_perm("events.view_negotiations", organisation),
    )
    if not meetings:
        return None
    html = render_to_string(
        "events/includes/_profile_outcomes.html",
        {"meetings": meetings, "organisation": organisation},
        request=request,
    )
    return _("Results of matchmaking meetings"), html


def matchmaking_outcomes(sender, **kwargs):
    """Accepted meeting requests and agreements reached, as outcomes of the two organisations.

    An agreement binds both sides, so it counts for each of them as the other's partner; an
    accepted request counts for the organisation that asked.
    """
    kinds = {MeetingState.ACCEPTED: PairOutcome.MEETING_ACCEPTED}
    found = []
    for requester, recipient, what, at in meeting_outcome_pairs():
        if what == MeetingOutcome.AGREEMENT:
            found.append(Outcome(requester, recipient, PairOutcome.AGREEMENT, at))
            found.append(Outcome(recipient, requester, PairOutcome.AGREEMENT, at))
        else:
            found.append(Outcome(requester, recipient, kinds[what], at))
    return found


def _organisations_with_agreements(meetings):
    """Both sides' organisations of `meetings` that reached an agreement: their public pages
    list it with the partner's name and the event's title."""
    sides = meetings.filter(outcome=MeetingOutcome.AGREEMENT).values_list(
        "requester__organisation_id", "recipient__organisation_id"
    )
    return sorted({pk for pair in sides for pk in pair})


def partners_profile_changed(sender, *, organisation_ids, **kwargs):
    """A profile changed: the pages that name it beside an agreement are built again."""
    meetings = Meeting.objects.filter(
        Q(requester__organisation__in=organisation_ids)
        | Q(recipient__organisation__in=organisation_ids)
    )
    page_cache.bump_on_commit(
        *(page_cache.organisation_scope(pk) for pk in _organisations_with_agreements(meetings))
    )


def event_saved(sender, *, instance, **kwargs):
    """The event page, and the organisation pages that name the event beside an agreement.

    Events are written in the back office, so a model signal is what sees every change."""
    meetings = Meeting.objects.filter(event_id=instance.pk)
    page_cache.bump_on_commit(
        page_cache.event_scope(instance.pk),
        *(page_cache.organisation_scope(pk) for pk in _organisations_with_agreements(meetings)),
    )


def event_part_saved(sender, *, instance, **kwargs):
    """A meeting window or a registration (the participant count) of an event changed."""
    page_cache.bump_on_commit(page_cache.event_scope(instance.event_id))
