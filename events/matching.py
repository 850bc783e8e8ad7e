"""Who a participant should meet at an event: matchmaking scores among its participants.

The viewer's organisation is scored against the organisations of the other approved
participants through the matchmaking engine (`matchmaking.engine`): a pair in the
organisation's shown recommendations keeps its stored score and reasons, so the event page and
the profile page agree, unless either profile changed since.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from events.enums import MEETING_OPEN_STATES, Preference, RegistrationState, WhoMayMeet
from events.models import CooperationItem, Meeting, Registration
from matchmaking.engine import rank_partners

SUGGESTIONS_SHOWN = 10


@dataclass
class Suggestion:
    """One participant worth meeting, with the score of their organisation and why."""

    registration: Registration
    score: float
    band: str = ""
    reasons: list = field(default_factory=list)
    complements: list = field(default_factory=list)
    open_meeting: Meeting | None = None


def _candidates(own):
    """Approved participants `own` may meet, from other organisations, not declined by own."""
    others = (
        Registration.objects.filter(event=own.event_id, state=RegistrationState.APPROVED)
        .exclude(pk=own.pk)
        .exclude(organisation=own.organisation_id)
        .exclude(preferred_by__registration=own, preferred_by__level=Preference.NO_THANKS)
        .select_related("user", "organisation__country")
        .prefetch_related("cooperation_items")
    )
    if own.event.who_may_meet == WhoMayMeet.OTHER_COUNTRIES:
        others = others.exclude(organisation__country=own.organisation.country_id)
    return list(others)


def _complements(own_items, their_items):
    """Their offers that answer own requests, and their requests own offers answer."""
    found = []
    for mine in own_items:
        for theirs in their_items:
            if mine.kind == theirs.kind and mine.direction != theirs.direction:
                found.append(theirs)
    return sorted(set(found), key=lambda item: (item.direction, item.kind, item.title))


def suggestions_for(own, *, limit=SUGGESTIONS_SHOWN):
    """The participants `own` (an approved registration) should meet, best score first.

    Each carries its strength in words, its strongest reasons as sentences and the
    cooperation lines that complement own's, and the open request or meeting between the two
    if there is one. Participants of own's organisation, those own marked "no thanks" and those
    whose organisation the scoring core would not list (below the relevance floor) are left
    out.
    """
    candidates = _candidates(own)
    if not candidates:
        return []
    ranked = rank_partners(
        own.organisation, {registration.organisation_id for registration in candidates}
    )
    pairs = {pair.partner_id: pair for pair in ranked}
    candidates = [r for r in candidates if r.organisation_id in pairs]
    own_items = list(CooperationItem.objects.filter(registration=own))
    meetings = {
        (meeting.recipient_id if meeting.requester_id == own.pk else meeting.requester_id): meeting
        for meeting in Meeting.objects.filter(
            Q(requester=own) | Q(recipient=own), state__in=MEETING_OPEN_STATES
        )
    }
    suggestions = [
        Suggestion(
            registration=registration,
            score=pairs[registration.organisation_id].score,
            band=pairs[registration.organisation_id].band,
            reasons=pairs[registration.organisation_id].reasons,
            complements=_complements(own_items, registration.cooperation_items.all()),
            open_meeting=meetings.get(registration.pk),
        )
        for registration in candidates
    ]
    suggestions.sort(
        key=lambda s: (-round(s.score, 9), -len(s.complements), s.registration.user.full_name)
    )
    return suggestions[:limit]
