"""Exact float64 scores of given pairs, rows or partner columns (no top-k, no threads)."""

import numpy as np

from matchmaking.features import EncodedProfiles
from matchmaking.scoring.weights import (
    COMPONENTS,
    PENALTY,
    RELEVANCE_FLOOR,
    listable,
    validate_weights,
    weighted_contributions,
)


def score_chunk(encoded: EncodedProfiles, rows, weights=None):
    """Unweighted components (and the penalty) of rows x all columns, in float64.

    The self-pair is included; `top_k` is what excludes it. `weights` is accepted for symmetry
    with `top_k` and validated, but the matrices returned are unweighted.
    """
    if weights is not None:
        validate_weights(weights)
    rows = np.asarray(rows, dtype=np.int64)
    components = dict.fromkeys(COMPONENTS, 0.0)
    for block in encoded.blocks:
        components[block.name] = components[block.name] + block.table(rows)
    components[PENALTY] = (encoded.duplicate[rows] @ encoded.duplicate.T).toarray()
    return components


def partner_scores(encoded: EncodedProfiles, weights, columns, *, floor=RELEVANCE_FLOOR):
    """Every organisation's score for each of `columns` as partner (n x c, float64), -inf where
    the pair is not listable or is an organisation with itself."""
    columns = np.asarray(columns, dtype=np.int64)
    every = np.arange(encoded.size)
    components = dict.fromkeys(COMPONENTS, 0.0)
    for block in encoded.blocks:
        components[block.name] = components[block.name] + block.table(every, columns)
    components[PENALTY] = (encoded.duplicate @ encoded.duplicate[columns].T).toarray()
    contributions = weighted_contributions(components, weights)
    scores = sum(contributions.values())
    scores[~listable(contributions, floor)] = -np.inf
    scores[columns, np.arange(len(columns))] = -np.inf
    return scores


def lists_entered(scores, lowest):
    """Rows whose list one of the changed organisations may enter as partner.

    `scores` are `partner_scores` of the changed ones (n x c, -inf where a pair cannot be
    listed, an ineligible partner included); `lowest[i]` is the lowest score of row i's current
    list when it is full, -inf when it is not. A list is not ordered by score alone (the
    country cap moves some partners to its end), so a changed partner can enter it when it
    scores at least the list's lowest entry; a list that is not full is taken whatever the
    scores.
    """
    return np.flatnonzero((scores >= np.asarray(lowest)[:, None] - 1e-9).any(axis=1))


def exact_contributions(encoded: EncodedProfiles, weights, rows, columns):
    """Signed weighted contribution of each component for the pairs (rows[m], columns[m])."""
    weights = validate_weights(weights)
    rows = np.asarray(rows, dtype=np.int64)
    columns = np.asarray(columns, dtype=np.int64)
    components = {name: np.zeros(len(rows)) for name in COMPONENTS}
    for block in encoded.blocks:
        if weights[block.name] > 0:
            components[block.name] += block.pairs(rows, columns)
    if weights[PENALTY] > 0:
        region = encoded.region
        same_region = (region[rows] == region[columns]) & (region[rows] >= 0)
        cosine = encoded.sector_cosine
        components[PENALTY] = same_region * np.einsum("ij,ij->i", cosine[rows], cosine[columns])
    else:
        components[PENALTY] = np.zeros(len(rows))
    return weighted_contributions(components, weights)
