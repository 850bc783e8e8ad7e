"""Who a participant should meet at an event: matchmaking scores among its participants.

The viewer's organisation is scored against the organisations of the other approved
participants. A pair found in the organisation's shown recommendations keeps its stored
contributions, so the event page and the profile page give the same score and reasons, unless
either profile changed since; the other pairs are scored here with the default weights and the
scoring core's exact arithmetic.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from events.enums import MEETING_OPEN_STATES, Preference, RegistrationState, WhoMayMeet
from events.models import CooperationItem, Meeting, Registration
from matchmaking.explain import explain, strongest
from matchmaking.features import encode
from matchmaking.queries import (
    current_recommendations,
    scoring_profiles,
    taxonomy_from_db,
    vocabulary_names,
)
from matchmaking.scoring import exact_contributions, listable, validate_weights
from matchmaking.sentences import band_label, sentence
from matchmaking.services import default_profile
from partnerships.models import Organisation

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


def _pair_contributions(own_org, partner_ids):
    """partner organisation id -> (contributions, profiles by id, taxonomy) for each pair."""
    stored = {}
    # A stored score is only as fresh as both profiles: one changed since its run is rescored.
    if not own_org.needs_rescoring:
        stored = {
            rec.partner_id: rec.contributions
            for rec in current_recommendations(own_org).filter(
                partner_id__in=partner_ids, partner__needs_rescoring=False
            )
        }
    ids = [own_org.pk, *partner_ids]
    profiles, _eligible = scoring_profiles(organisations=Organisation.objects.filter(pk__in=ids))
    taxonomy = taxonomy_from_db()
    by_id = {profile.id: profile for profile in profiles}
    missing = [pk for pk in partner_ids if pk not in stored]
    if missing:
        encoded = encode(profiles, taxonomy)
        row = {int(pk): index for index, pk in enumerate(encoded.ids)}
        weights = validate_weights(default_profile().weights)
        values = exact_contributions(
            encoded,
            weights,
            rows=[row[own_org.pk]] * len(missing),
            columns=[row[pk] for pk in missing],
        )
        for index, pk in enumerate(missing):
            stored[pk] = {name: float(column[index]) for name, column in values.items()}
    return stored, by_id, taxonomy


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
    partner_ids = sorted({registration.organisation_id for registration in candidates})
    contributions, profiles, taxonomy = _pair_contributions(own.organisation, partner_ids)
    partner_ids = [pk for pk in partner_ids if listable(contributions[pk])]
    candidates = [r for r in candidates if r.organisation_id in set(partner_ids)]
    names = vocabulary_names()
    source = profiles[own.organisation_id]
    reasons = {
        pk: [
            sentence(reason, names)
            for reason in strongest(explain(source, profiles[pk], contributions[pk], taxonomy))
        ]
        for pk in partner_ids
    }
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
            score=sum(contributions[registration.organisation_id].values()),
            band=band_label(contributions[registration.organisation_id]),
            reasons=reasons[registration.organisation_id],
            complements=_complements(own_items, registration.cooperation_items.all()),
            open_meeting=meetings.get(registration.pk),
        )
        for registration in candidates
    ]
    suggestions.sort(
        key=lambda s: (-round(s.score, 9), -len(s.complements), s.registration.user.full_name)
    )
    return suggestions[:limit]
