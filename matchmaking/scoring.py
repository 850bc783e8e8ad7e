"""Score every ordered pair of organisations and keep each one's best partners.

Pure core over the arrays of `features.encode`: no Django, no ORM.

score(i, j) = sum_c w_c * component_c(i, j) - w_duplicate * duplicate(i, j)

Every component is bilinear (see `features.encode`), so the weighted sum over a chunk of rows is
one float32 matrix product ``(rows x d) @ (d x n)``; the near-duplicate penalty is a sparse
product in (region x sector) space. Top-k then runs in two passes so that exact float64
arithmetic decides the ranking:

1. A lower bound on each row's k-th best score from the maxima of groups of columns, minus a
   margin larger than any float32 rounding, keeps a few candidates per row (one max reduction
   instead of a partition over n columns).
2. The candidates are rescored exactly, per component, in float64; the contributions of the
   chosen partners are the ones stored, so an explanation always sums to its score.

Ties: scores are compared after rounding to `RANK_DECIMALS`, so that float noise never decides
between equal scores; equal scores go to the lower partner index.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from matchmaking.features import EncodedProfiles

COMPONENTS = (
    "cross_sector",
    "shared_focus",
    "value_chain",
    "s3_objectives",
    "text",
    "international",
    "partner_interest",
    "shared_markets",
    "strength",
)
PENALTY = "duplicate"
RANK_DECIMALS = 9
# A chunk holds at most this many pair scores (float32, 64 MB), whatever the number of
# organisations, and at most MAX_CHUNK_ROWS rows (more rows buy the product nothing).
CHUNK_PAIRS = 1 << 24
MAX_CHUNK_ROWS = 128
# Columns per group when bounding a row's k-th best score from below (see `_candidates`).
GROUP_COLUMNS = 64
# Components that depend only on the two countries and the target countries: the plan adds them
# per country instead of multiplying their 81 one-hot dimensions out (see `_Plan`).
COUNTRY_COMPONENTS = ("international", "partner_interest")


@dataclass(frozen=True)
class TopK:
    """For row i: `partners[i]` (row indices, best first, -1 when fewer than k are eligible),
    `scores[i]` and the signed weighted contribution of every component and the penalty."""

    partners: np.ndarray
    scores: np.ndarray
    contributions: dict[str, np.ndarray]


def validate_weights(weights):
    """Return weights for every component and the penalty (missing ones are 0)."""
    unknown = set(weights) - set(COMPONENTS) - {PENALTY}
    if unknown:
        raise ValueError(f"Unknown score components: {sorted(unknown)}")
    complete = {name: float(weights.get(name, 0.0)) for name in (*COMPONENTS, PENALTY)}
    negative = [name for name, weight in complete.items() if not weight >= 0]
    if negative:
        raise ValueError(f"Weights must be non-negative numbers: {negative}")
    return complete


def score_chunk(encoded: EncodedProfiles, rows, weights=None):
    """Unweighted components (and the penalty) of rows x all columns, in float64.

    The self-pair is included; `top_k` is what excludes it. `weights` is accepted for symmetry
    with `top_k` and validated, but the matrices returned are unweighted.
    """
    if weights is not None:
        validate_weights(weights)
    rows = np.asarray(rows, dtype=np.int64)
    components = {block.name: block.left[rows] @ block.right.T for block in encoded.blocks}
    components[PENALTY] = (encoded.duplicate[rows] @ encoded.duplicate.T).toarray()
    return components


def total_score(components, weights):
    weights = validate_weights(weights)
    total = sum(weights[name] * components[name] for name in COMPONENTS)
    return total - weights[PENALTY] * components[PENALTY]


def top_k(
    encoded: EncodedProfiles,
    weights,
    *,
    k=20,
    chunk_rows=None,
    workers=2,
    eligible=None,
    rows=None,
):
    """Each organisation's k best partners, itself excluded, only `eligible` columns allowed.

    `rows` (indices, all by default) limits whose lists are computed; the others stay -1/NaN.

    `eligible` is an optional boolean mask over organisations (e.g. verified ones); rows are
    scored for every organisation either way. Memory is bounded by `chunk_rows` x n float32 per
    worker; chunks run on `workers` threads (NumPy and SciPy release the GIL in their kernels).
    """
    weights = validate_weights(weights)
    n = encoded.size
    if k < 1:
        raise ValueError("k must be at least 1.")
    if chunk_rows is None:
        chunk_rows = max(8, min(MAX_CHUNK_ROWS, CHUNK_PAIRS // max(n, 1)))
    eligible = np.ones(n, dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
    if eligible.shape != (n,):
        raise ValueError("eligible must be a boolean mask with one entry per organisation.")

    plan = _Plan.build(encoded, weights, eligible)
    result = TopK(
        partners=np.full((n, k), -1, dtype=np.int64),
        scores=np.full((n, k), np.nan),
        contributions={name: np.zeros((n, k)) for name in (*COMPONENTS, PENALTY)},
    )
    rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
    chunks = _chunks_by_country(rows, plan.row_key, chunk_rows)

    def run(chunk):
        _top_k_chunk(plan, chunk, k, result)

    if workers > 1 and len(chunks) > 1:
        # One BLAS thread per worker: nested BLAS threads oversubscribe the cores, and the
        # selection work after each product is single-threaded anyway.
        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, chunks))
    else:
        for chunk in chunks:
            run(chunk)
    return result


def _chunks_by_country(rows, row_key, chunk_rows):
    """Rows cut into chunks of at most `chunk_rows`, each from one country (see `_Plan`)."""
    if row_key is None:
        return [rows[start : start + chunk_rows] for start in range(0, len(rows), chunk_rows)]
    rows = rows[np.argsort(row_key[rows], kind="stable")]
    keys = row_key[rows]
    cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    chunks = []
    for part in np.split(rows, cuts):
        chunks.extend(part[start : start + chunk_rows] for start in range(0, len(part), chunk_rows))
    return chunks


@dataclass(frozen=True)
class _Plan:
    """What every chunk needs, built once: the weighted product and the country terms.

    The international components depend only on countries: with T the targets (never the own
    country), international(i, j) = 0.5 [c_i != c_j] + 0.5 T_i[c_j] and partner_interest(i, j)
    = T_j[c_i]. Multiplied out they would take 81 of the product's dimensions. Instead, the
    columns are put in country order and every chunk holds rows of one country b, so
    w_int 0.5 [b != c_j] + w_pi T_j[b] is one vector added to the whole chunk, and
    w_int 0.5 T_i[c_j] is a constant added to the slice of each target country.
    """

    encoded: EncodedProfiles
    weights: dict
    left: np.ndarray  # n x d float32, every block's left side times its weight
    right_t: np.ndarray  # d x n float32, columns in `order`
    duplicate_t: object  # the sparse duplicate space, transposed, or None when unweighted
    eligible: np.ndarray
    eligible_index: np.ndarray
    margin: float
    # Country terms, or all None when they are multiplied out (or weigh nothing):
    order: np.ndarray | None = None  # column position -> organisation, by country
    position: np.ndarray | None = None  # organisation -> column position
    row_key: np.ndarray | None = None  # country index, unknown countries last
    country_vectors: np.ndarray | None = None  # (countries + 1) x n float32, in `order`
    segments: np.ndarray | None = None  # columns of country a: segments[a]:segments[a + 1]
    target_step: float = 0.0

    @classmethod
    def build(cls, encoded, weights, eligible):
        n = encoded.size
        by_country = encoded.targets is not None and any(
            weights[name] > 0 for name in COUNTRY_COMPONENTS
        )
        active = [
            block
            for block in encoded.blocks
            if weights[block.name] > 0 and not (by_country and block.name in COUNTRY_COMPONENTS)
        ]
        if active:
            left = np.hstack([weights[b.name] * b.left for b in active]).astype(np.float32)
            right_t = np.ascontiguousarray(np.hstack([b.right for b in active]).T, np.float32)
        else:
            left = np.zeros((n, 1), np.float32)
            right_t = np.zeros((1, n), np.float32)
        if not eligible.all():
            # One more column in the product sinks every ineligible partner far below any real
            # score: cheaper than masking each chunk, and exact, since eligible ones add 0.
            # Scores lie in [-w_duplicate, sum of the other weights], so this clears them all.
            depth = 4 * (sum(weights.values()) + 1)
            sink = np.where(eligible, 0.0, -depth).astype(np.float32)
            left = np.hstack([left, np.ones((n, 1), np.float32)])
            right_t = np.vstack([right_t, sink[None, :]])
        # Every component is in [0, 1], so a float32 sum of d products (and of the few country
        # terms) is off by far less than this; the margin only has to keep every pair whose
        # exact score could make the top k.
        scale = sum(weights.values()) + 1.0
        terms = left.shape[1] + (encoded.targets.shape[1] + 2 if by_country else 0)
        margin = 64 * float(np.finfo(np.float32).eps) * terms * scale
        country_terms = cls._country_terms(encoded, weights) if by_country else {}
        order = country_terms.get("order")
        if order is not None:
            right_t = np.ascontiguousarray(right_t[:, order])
        duplicate = encoded.duplicate if order is None else encoded.duplicate[order]
        duplicate_t = duplicate.T.tocsr() if weights[PENALTY] > 0 else None
        return cls(
            encoded=encoded,
            weights=weights,
            left=left,
            right_t=right_t,
            duplicate_t=duplicate_t,
            eligible=eligible,
            eligible_index=np.flatnonzero(eligible),
            margin=margin,
            **country_terms,
        )

    @staticmethod
    def _country_terms(encoded, weights):
        countries = encoded.targets.shape[1]
        key = np.where(encoded.country >= 0, encoded.country, countries)
        order = np.argsort(key, kind="stable")
        position = np.empty_like(order)
        position[order] = np.arange(len(order))
        half = 0.5 * weights["international"]
        # Row b: what a partner in column j gets from a source in country b (b = countries for
        # an unknown country, which is never the same as a partner's and never targeted).
        vectors = np.full((countries + 1, len(key)), half)
        vectors[:countries] -= half * (key[None, :] == np.arange(countries)[:, None])
        vectors[:countries] += weights["partner_interest"] * encoded.targets.T.toarray()
        return {
            "order": order,
            "position": position,
            "row_key": key,
            "country_vectors": np.ascontiguousarray(vectors[:, order], dtype=np.float32),
            "segments": np.searchsorted(key[order], np.arange(countries + 1)),
            "target_step": half,
        }


def _top_k_chunk(plan: _Plan, rows, k, result: TopK):
    block = plan.left[rows] @ plan.right_t
    columns_of_rows = rows
    if plan.order is not None:
        columns_of_rows = plan.position[rows]
        # Every row of the chunk is from one country (see `_chunks_by_country`).
        block += plan.country_vectors[plan.row_key[rows[0]]]
        targets = plan.encoded.targets[rows]
        step = np.float32(plan.target_step)
        for m in range(len(rows)):
            for country in targets.indices[targets.indptr[m] : targets.indptr[m + 1]]:
                block[m, plan.segments[country] : plan.segments[country + 1]] += step
    if plan.duplicate_t is not None:
        penalty = (plan.encoded.duplicate[rows] @ plan.duplicate_t).tocoo()
        block[penalty.row, penalty.col] -= np.float32(plan.weights[PENALTY]) * penalty.data
    block[np.arange(len(rows)), columns_of_rows] = -np.inf

    row_of, at = _candidates(block, k, plan.margin)
    values = block[row_of, at]
    column = at if plan.order is None else plan.order[at]
    if len(plan.eligible_index) < plan.encoded.size:
        # Sunk columns only reach the candidates when a row has fewer than k eligible ones.
        eligible = plan.eligible[column]
        row_of, column, values = row_of[eligible], column[eligible], values[eligible]
    row_of, column = _narrow(values, row_of, column, k, plan.margin)
    contributions = exact_contributions(plan.encoded, plan.weights, rows[row_of], column)
    scores = sum(contributions.values())

    order = np.lexsort((column, -np.round(scores, RANK_DECIMALS), row_of))
    row_of, column, scores = row_of[order], column[order], scores[order]
    rank = _rank_within_rows(row_of)
    keep = rank < k
    target_rows, target_ranks = rows[row_of[keep]], rank[keep]
    result.partners[target_rows, target_ranks] = column[keep]
    result.scores[target_rows, target_ranks] = scores[keep]
    for name, values in contributions.items():
        result.contributions[name][target_rows, target_ranks] = values[order][keep]


def _candidates(block, k, margin):
    """(row, column) of every finite entry at or above a lower bound on its row's k-th best.

    Columns are cut into groups of `GROUP_COLUMNS`; the k-th largest group maximum is a lower
    bound on the row's k-th best (k distinct entries reach it), and only groups whose maximum
    reaches the bound are searched, so the full block is read once, by the max reduction.
    """
    rows, n = block.shape
    groups = n // GROUP_COLUMNS
    if groups < k:
        bound = np.partition(block, -k, axis=1)[:, -k] if n >= k else np.full(rows, -np.inf)
        row_of, column = np.nonzero(block >= (bound - margin)[:, None])
    else:
        body = block[:, : groups * GROUP_COLUMNS].reshape(rows, groups, GROUP_COLUMNS)
        maxima = body.max(axis=2)
        bound = np.partition(maxima, -k, axis=1)[:, -k] - margin
        hit_row, hit_group = np.nonzero(maxima >= bound[:, None])
        segment_row, offset = np.nonzero(body[hit_row, hit_group] >= bound[hit_row][:, None])
        row_of = hit_row[segment_row]
        column = hit_group[segment_row] * GROUP_COLUMNS + offset
        tail_row, tail_column = np.nonzero(block[:, groups * GROUP_COLUMNS :] >= bound[:, None])
        row_of = np.concatenate([row_of, tail_row])
        column = np.concatenate([column, tail_column + groups * GROUP_COLUMNS])
    finite = np.isfinite(block[row_of, column])
    return row_of[finite], column[finite]


def _narrow(values, row_of, column, k, margin):
    """Keep, per row, the candidates within the margin of the row's k-th best float32 score."""
    order = np.lexsort((-values, row_of))
    row_of, column, values = row_of[order], column[order], values[order]
    rank = _rank_within_rows(row_of)
    kth = np.full(row_of.max() + 1 if len(row_of) else 0, -np.inf, dtype=np.float64)
    at_k = rank == k - 1
    kth[row_of[at_k]] = values[at_k]
    keep = values >= kth[row_of] - margin
    return row_of[keep], column[keep]


def _rank_within_rows(row_of):
    """0, 1, 2... within each run of equal values of a sorted `row_of`."""
    if len(row_of) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, row_of[1:] != row_of[:-1]])
    run_lengths = np.diff(np.r_[starts, len(row_of)])
    return np.arange(len(row_of)) - np.repeat(starts, run_lengths)


def exact_contributions(encoded: EncodedProfiles, weights, rows, columns):
    """Signed weighted contribution of each component for the pairs (rows[m], columns[m])."""
    weights = validate_weights(weights)
    contributions = {}
    for block in encoded.blocks:
        if weights[block.name] > 0:
            values = np.einsum("ij,ij->i", block.left[rows], block.right[columns])
        else:
            values = np.zeros(len(rows))
        contributions[block.name] = weights[block.name] * values
    if weights[PENALTY] > 0:
        region = encoded.region
        same_region = (region[rows] == region[columns]) & (region[rows] >= 0)
        cosine = encoded.sector_cosine
        overlap = same_region * np.einsum("ij,ij->i", cosine[rows], cosine[columns])
        contributions[PENALTY] = -weights[PENALTY] * overlap
    else:
        contributions[PENALTY] = np.zeros(len(rows))
    return contributions
