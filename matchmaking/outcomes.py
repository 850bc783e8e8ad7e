"""Reads of what came of pairs of organisations: the outcome log the weight fit learns from.

Verdicts on suggested partners are this app's own; consortia formed on calls are read from
the app below; outcomes of the apps above (meetings, agreements) come through the
`signals.pair_outcomes` signal, so that this app never imports them.
"""

from dataclasses import dataclass
from datetime import datetime

from matchmaking.enums import NEGATIVE_OUTCOMES, OUTCOME_WEIGHTS, VERDICT_OUTCOMES
from matchmaking.models import RecommendationFeedback
from matchmaking.signals import pair_outcomes
from partnerships.queries import confirmed_consortium_pairs


@dataclass(frozen=True)
class Outcome:
    """Something that came of `organisation_id` looking at `partner_id`, at time `at`."""

    organisation_id: int
    partner_id: int
    kind: str  # enums.PairOutcome
    at: datetime

    @property
    def positive(self):
        return self.kind not in NEGATIVE_OUTCOMES


@dataclass(frozen=True)
class PairRecord:
    """One pair's outcomes folded into one labelled row of the log."""

    organisation_id: int
    partner_id: int
    positive: bool
    at: datetime
    weight: float
    kinds: tuple


def raw_outcomes():
    """Every outcome the portal holds, in no particular order."""
    found = [
        Outcome(organisation_id, partner_id, VERDICT_OUTCOMES[verdict], at)
        for organisation_id, partner_id, verdict, at in RecommendationFeedback.objects.values_list(
            "organisation_id", "partner_id", "verdict", "created_at"
        )
    ]
    found += [
        Outcome(lead_id, partner_id, "consortium", at)
        for lead_id, partner_id, at in confirmed_consortium_pairs()
    ]
    for _receiver, answer in pair_outcomes.send(sender=Outcome):
        found.extend(answer)
    return found


def fold_outcomes(outcomes):
    """One record per ordered pair, so that no pair is on both sides of a time split.

    A pair with any positive outcome is positive, dated by its first positive outcome and
    weighted by its strongest; a pair with only negative ones is negative, dated by the first.
    """
    by_pair = {}
    for outcome in outcomes:
        if outcome.organisation_id != outcome.partner_id:
            by_pair.setdefault((outcome.organisation_id, outcome.partner_id), []).append(outcome)
    records = []
    for (organisation_id, partner_id), items in sorted(by_pair.items()):
        positives = [item for item in items if item.positive]
        counted = positives or items
        records.append(
            PairRecord(
                organisation_id=organisation_id,
                partner_id=partner_id,
                positive=bool(positives),
                at=min(item.at for item in counted),
                weight=max(OUTCOME_WEIGHTS[item.kind] for item in counted),
                kinds=tuple(sorted({item.kind for item in items})),
            )
        )
    return records


def outcome_log():
    """The portal's outcomes as one labelled record per pair (see `fold_outcomes`)."""
    return fold_outcomes(raw_outcomes())
