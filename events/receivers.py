"""What the events app adds to pages of the apps below it, through their signals."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from events.enums import MeetingOutcome, MeetingState
from events.queries import meeting_outcome_pairs, organisation_outcomes
from matchmaking.enums import PairOutcome
from matchmaking.outcomes import Outcome


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
