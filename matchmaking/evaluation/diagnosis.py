"""Why planted partners are missed: for each planted pair outside its source's top k, which
components it had, what outranked it, and why it lost (below the relevance floor, outscored,
or held back by the country cap).

Pure, like the rest of the yardstick. It reads the weak-geography variant by default (planted
partners name each other's countries no more often than anyone else), since that is where the
themes must carry the recommendation alone. Meant for the tuning seed
(`populations.TUNING_SEED`): reading it on the seed `eval_matching` reports would be tuning on
the yardstick.
"""

from dataclasses import dataclass

import numpy as np

from matchmaking.evaluation.populations import base_population, plant
from matchmaking.evaluation.scorers import Population
from matchmaking.scoring import (
    COMPONENTS,
    PENALTY,
    RELEVANCE_FLOOR,
    THEMATIC,
    listable,
    score_chunk,
    top_k,
    weighted_contributions,
)
from matchmaking.synthetic import load_taxonomy

ROWS_PER_CHUNK = 64
# A component counts as a signal of a pair from this value up (all lie in [0, 1]).
SIGNAL = 0.05


@dataclass(frozen=True)
class Diagnosis:
    pairs: int
    found: int
    # component -> (mean found, mean missed, mean of the listed partners, share > SIGNAL
    # found, share > SIGNAL missed, share > SIGNAL listed)
    components: dict
    # why a missed pair lost -> count
    reasons: dict
    # thematic signals a pair has -> (pairs, found)
    by_signals: dict


def diagnose(weights, *, organisations, seed, k=20, presence=None, groups=None):
    taxonomy = load_taxonomy()
    presence = {"target_countries": 0.0} if presence is None else presence
    groups = groups or max(20, organisations // 100)
    base = base_population(organisations, seed=seed, taxonomy=taxonomy)
    planted = plant(base, taxonomy, groups=groups, seed=seed, presence=presence)
    population = Population.build(planted.profiles, taxonomy)
    encoded = population.encoded
    fellows = planted.fellows()
    rows = np.array(sorted(fellows), dtype=np.int64)
    result = top_k(encoded, weights, k=k, rows=rows)
    names = (*COMPONENTS, PENALTY)
    found, missed, listed = [], [], []
    reasons = {"below the relevance floor": 0, "outscored": 0, "country cap": 0}
    by_signals = {}
    for start in range(0, len(rows), ROWS_PER_CHUNK):
        part = rows[start : start + ROWS_PER_CHUNK]
        components = score_chunk(encoded, part)
        contributions = weighted_contributions(components, weights)
        score = sum(contributions.values())
        relevance = sum(contributions[name] for name in THEMATIC)
        allowed = listable(contributions)
        for m, row in enumerate(part):
            chosen = result.partners[row][result.partners[row] >= 0]
            listed.extend([components[name][m, c] for name in names] for c in chosen)
            kth = result.scores[row][len(chosen) - 1] if len(chosen) == k else 0.0
            for fellow in fellows[row]:
                values = [components[name][m, fellow] for name in names]
                signals = sum(components[name][m, fellow] > SIGNAL for name in THEMATIC)
                hit = fellow in set(chosen.tolist())
                total, got = by_signals.get(signals, (0, 0))
                by_signals[signals] = (total + 1, got + hit)
                if hit:
                    found.append(values)
                    continue
                missed.append(values)
                if not allowed[m, fellow] or relevance[m, fellow] < RELEVANCE_FLOOR:
                    reasons["below the relevance floor"] += 1
                elif score[m, fellow] < kth:
                    reasons["outscored"] += 1
                else:
                    reasons["country cap"] += 1

    def summary(values):
        values = np.asarray(values, dtype=np.float64).reshape(-1, len(names))
        if len(values) == 0:
            return np.full(len(names), np.nan), np.full(len(names), np.nan)
        return values.mean(axis=0), (values > SIGNAL).mean(axis=0)

    (found_mean, found_share), (missed_mean, missed_share), (listed_mean, listed_share) = (
        summary(found),
        summary(missed),
        summary(listed),
    )
    return Diagnosis(
        pairs=len(found) + len(missed),
        found=len(found),
        components={
            name: (
                found_mean[c],
                missed_mean[c],
                listed_mean[c],
                found_share[c],
                missed_share[c],
                listed_share[c],
            )
            for c, name in enumerate(names)
        },
        reasons=reasons,
        by_signals=dict(sorted(by_signals.items())),
    )
