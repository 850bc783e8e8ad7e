"""Score every ordered pair of organisations and keep each one's best partners.

Pure core over the arrays of `features.encode`: no Django, no ORM.

Themes lead, geography modulates::

    relevance(i, j) = sum_t w_t * x_t(i, j) / sum_t w_t        t in THEMATIC
    modulation(i, j) = sum_m w_m * x_m(i, j)                   m in MODULATORS
    score(i, j) = relevance * (1 + modulation) * (1 - w_duplicate * duplicate(i, j))

and a partner is listed only when relevance >= `floor` and score > 0.

Why this form. A partner is recommended for what it does with the organisation: cross-sectoral
linkage in a declared emerging industry or ecosystem, complementary value-chain positions,
shared S3 objectives, what each seeks, similar activities. Those are the relevance, a weighted
mean of components in [0, 1], so the thematic weights are shares (only their ratios matter) and
the floor means the same whatever scale staff type them in. Geography (a partner abroad, in a
target country, interested in ours, heading for the same markets) and standing (label, size)
are multipliers of that relevance, never addends:

- an unrelated partner (relevance 0) scores 0 however international it is, and one below the
  floor is not listed at all: a short list beats one padded with foreign strangers;
- among listed partners geography reorders only those whose relevance is within a factor
  (1 + sum of the modulator weights) of each other, 1.6 with the shipped default: a partner
  in a target country beats an equally relevant domestic one, never a far more relevant one;
- target lists count through `features.target_weights` (a long list spreads the same total),
  so declaring every country a target buys no exposure;
- the near-duplicate penalty scales the score down (same region and sector), so with a weight
  of at most 1 no score is negative, and none that is is ever listed.
An additive form (the previous one) lets 0.71 of the weight sit on countries and lists
partners that share nothing; a hard gate (relevance above the floor, then geography alone)
would throw the themes' order away. The multiplicative form keeps both orders and bounds how
far one can move the other.

Contributions stay additive, so an explanation still sums to its score: a thematic component
contributes w_t x_t / sum_t w_t, a modulator relevance * w_m x_m, and the penalty
-relevance * (1 + modulation) * w_duplicate * duplicate.

Every component is bilinear (see `features.encode`), so over a chunk of rows the relevance and
the modulation are each one float32 matrix product ``(rows x d) @ (d x n)`` (plus a sparse one
for the blocks with sparse rows), combined elementwise; the near-duplicate penalty is a sparse
product in (region x sector) space. Top-k then runs in two passes so that exact float64
arithmetic decides the ranking:

1. A lower bound on each row's k-th best score from the maxima of groups of columns, minus a
   margin larger than any float32 rounding, keeps a few candidates per row (one max reduction
   instead of a partition over n columns).
2. The candidates are rescored exactly, per component, in float64; the floor is applied to the
   exact relevance, and no country fills more than `country_cap` places while partners from
   other countries are listable (the capped ones follow them, for a list that would otherwise
   be short). A row whose exact pick might reach below its candidates is picked again from
   deeper candidates, down to every listable partner. The contributions of the chosen partners
   are the ones stored, so an explanation always sums to its score.

Ties: scores are compared after rounding to `RANK_DECIMALS`, so that float noise never decides
between equal scores; equal scores go to the lower partner index.
"""

from matchmaking.scoring.exact import (
    exact_contributions,
    lists_entered,
    partner_scores,
    score_chunk,
)
from matchmaking.scoring.topk import TopK, top_k
from matchmaking.scoring.weights import (
    COMPONENTS,
    COUNTRY_SHARE,
    MODULATORS,
    PENALTY,
    RANK_DECIMALS,
    RELEVANCE_FLOOR,
    THEMATIC,
    country_cap_for,
    listable,
    relevance_of,
    total_score,
    validate_weights,
    weighted_contributions,
)

__all__ = [
    "COMPONENTS",
    "COUNTRY_SHARE",
    "MODULATORS",
    "PENALTY",
    "RANK_DECIMALS",
    "RELEVANCE_FLOOR",
    "THEMATIC",
    "TopK",
    "country_cap_for",
    "exact_contributions",
    "listable",
    "lists_entered",
    "partner_scores",
    "relevance_of",
    "score_chunk",
    "top_k",
    "total_score",
    "validate_weights",
    "weighted_contributions",
]
