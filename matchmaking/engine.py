"""The matchmaking engine as the other apps call it: the scores of given pairs, and one
organisation's best partners among given ones, each with its reasons in words.

Apps above matchmaking import this module and no other part of the pipeline (profiles,
features, scoring, explanations), so that the engine can change inside without them. Reads
only: nothing here writes, not even the default weight profile when it is missing.
"""

from dataclasses import dataclass, field

from matchmaking.explain import explain, strongest
from matchmaking.features import encode
from matchmaking.queries import (
    current_recommendations,
    default_profile,
    scoring_profiles,
    taxonomy_from_db,
    vocabulary_names,
)
from matchmaking.scoring import RANK_DECIMALS, exact_contributions, listable, validate_weights
from matchmaking.sentences import band_label, sentence
from partnerships.models import Organisation


@dataclass(frozen=True)
class PairScore:
    """An organisation's score for one partner.

    `contributions` (component -> signed contribution) sum to `score`. `listable` says whether
    the engine would list the partner at all (relevance floor, positive score); only listable
    pairs carry a `band` and their strongest `reasons`, as sentences.
    """

    partner_id: int
    score: float
    contributions: dict
    listable: bool
    band: str = ""
    reasons: list = field(default_factory=list)


def score_pairs(organisation, partner_ids):
    """partner id -> `PairScore` of `organisation` (an `Organisation`) for each partner.

    A pair found in the organisation's shown list keeps its stored contributions, so that every
    page gives the same score and reasons, unless either profile changed since its run; the
    other pairs are scored with the default profile's weights and the core's exact arithmetic.
    """
    partner_ids = sorted({int(pk) for pk in partner_ids} - {organisation.pk})
    if not partner_ids:
        return {}
    contributions = _stored_contributions(organisation, partner_ids)
    ids = [organisation.pk, *partner_ids]
    profiles, _eligible = scoring_profiles(organisations=Organisation.objects.filter(pk__in=ids))
    taxonomy = taxonomy_from_db()
    by_id = {profile.id: profile for profile in profiles}
    missing = [pk for pk in partner_ids if pk not in contributions and pk in by_id]
    if missing and organisation.pk in by_id:
        encoded = encode(profiles, taxonomy)
        row = {int(pk): index for index, pk in enumerate(encoded.ids)}
        values = exact_contributions(
            encoded,
            validate_weights(default_profile().weights),
            rows=[row[organisation.pk]] * len(missing),
            columns=[row[pk] for pk in missing],
        )
        for index, pk in enumerate(missing):
            contributions[pk] = {name: float(column[index]) for name, column in values.items()}
    names = None
    scores = {}
    for pk, values in contributions.items():
        if not listable(values):
            scores[pk] = PairScore(pk, sum(values.values()), values, listable=False)
            continue
        names = names if names is not None else vocabulary_names()
        reasons = strongest(explain(by_id[organisation.pk], by_id[pk], values, taxonomy))
        scores[pk] = PairScore(
            partner_id=pk,
            score=sum(values.values()),
            contributions=values,
            listable=True,
            band=band_label(values),
            reasons=[sentence(reason, names) for reason in reasons],
        )
    return scores


def rank_partners(organisation, partner_ids, *, limit=None):
    """The listable partners among `partner_ids`, best score first (equal scores to the lower
    id), at most `limit` of them."""
    ranked = sorted(
        (pair for pair in score_pairs(organisation, partner_ids).values() if pair.listable),
        key=lambda pair: (-round(pair.score, RANK_DECIMALS), pair.partner_id),
    )
    return ranked if limit is None else ranked[:limit]


def _stored_contributions(organisation, partner_ids):
    # A stored score is only as fresh as both profiles: one changed since its run is rescored.
    if organisation.needs_rescoring:
        return {}
    return {
        rec.partner_id: rec.contributions
        for rec in current_recommendations(organisation).filter(
            partner_id__in=partner_ids, partner__needs_rescoring=False
        )
    }
