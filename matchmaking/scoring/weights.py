"""The score's components, the weights' checks and the arithmetic that combines them.

Shared by the float32 chunk products (`plan`), the exact float64 rescoring (`exact`) and every
caller that explains a score: contributions are additive, so an explanation sums to its score.
"""

import math

import numpy as np

THEMATIC = (
    "cross_sector",
    "shared_focus",
    "value_chain",
    "s3_objectives",
    "seeking",
    "text",
)
MODULATORS = ("international", "partner_interest", "shared_markets", "strength")
COMPONENTS = (*THEMATIC, *MODULATORS)
PENALTY = "duplicate"
RANK_DECIMALS = 9
# Relevance (the weighted mean of the thematic components) a partner needs to be listed. On the
# synthetic population of the benchmark an organisation relates to a fifth of the others above
# it; a pair that only shares a broad ecosystem or a few common words stays below.
RELEVANCE_FLOOR = 0.12
# One country fills at most this share of a list (see `country_cap_for`).
COUNTRY_SHARE = 0.25


def validate_weights(weights):
    """Return weights for every component and the penalty (missing ones are 0)."""
    unknown = set(weights) - set(COMPONENTS) - {PENALTY}
    if unknown:
        raise ValueError(f"Unknown score components: {sorted(unknown)}")
    complete = {name: float(weights.get(name, 0.0)) for name in (*COMPONENTS, PENALTY)}
    negative = [name for name, weight in complete.items() if not weight >= 0]
    if negative:
        raise ValueError(f"Weights must be non-negative numbers: {negative}")
    if not math.isfinite(sum(complete.values())):
        raise ValueError("Weights must be finite numbers.")
    return complete


def country_cap_for(k):
    """Places of a k-list one country may fill while others are listable: a quarter, at least 2."""
    return max(2, math.ceil(COUNTRY_SHARE * k))


def weighted_contributions(components, weights):
    """The signed contribution of every component and the penalty, from unweighted ones (any
    shape): they sum to the score (see the module docstring)."""
    weights = validate_weights(weights)
    shares = sum(weights[name] for name in THEMATIC)
    zero = np.zeros_like(np.asarray(components[THEMATIC[0]], dtype=np.float64))
    contributions = {}
    for name in THEMATIC:
        share = weights[name] / shares if shares > 0 else 0.0
        contributions[name] = share * components[name] if share else zero.copy()
    relevance = sum(contributions[name] for name in THEMATIC)
    modulation = zero.copy()
    for name in MODULATORS:
        contributions[name] = relevance * weights[name] * components[name]
        modulation = modulation + weights[name] * components[name]
    contributions[PENALTY] = -relevance * (1 + modulation) * weights[PENALTY] * components[PENALTY]
    return contributions


def relevance_of(contributions):
    """The relevance (what the floor is compared with) from signed contributions."""
    return sum(contributions[name] for name in THEMATIC)


def listable(contributions, floor=RELEVANCE_FLOOR):
    """Which pairs may be listed: relevance at the floor or above, and a positive score."""
    score = sum(contributions.values())
    return (relevance_of(contributions) >= floor) & (score > 0)


def total_score(components, weights):
    return sum(weighted_contributions(components, weights).values())
