"""Each organisation's k best partners: float32 candidates per chunk, then an exact pick."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from matchmaking.features import EncodedProfiles
from matchmaking.scoring.exact import exact_contributions
from matchmaking.scoring.plan import Plan
from matchmaking.scoring.weights import (
    COMPONENTS,
    PENALTY,
    RANK_DECIMALS,
    RELEVANCE_FLOOR,
    country_cap_for,
    listable,
    validate_weights,
)

# A chunk holds at most this many pair scores (float32, 64 MB), whatever the number of
# organisations, and at most MAX_CHUNK_ROWS rows (more rows buy the product nothing).
CHUNK_PAIRS = 1 << 24
MAX_CHUNK_ROWS = 128
# Columns per group when bounding a row's k-th best score from below (see `_candidates`).
GROUP_COLUMNS = 64
# Candidates per row of the second try when the country cap reaches below the first (a multiple
# of k); the third try takes every listable partner of the row.
DEEPER_CANDIDATES = 4


@dataclass(frozen=True)
class TopK:
    """For row i: `partners[i]` (row indices, best first, -1 where fewer than k pass the
    relevance floor or are eligible), `scores[i]` and the signed weighted contribution of every
    component and the penalty."""

    partners: np.ndarray
    scores: np.ndarray
    contributions: dict[str, np.ndarray]


def top_k(
    encoded: EncodedProfiles,
    weights,
    *,
    k=20,
    chunk_rows=None,
    workers=2,
    eligible=None,
    rows=None,
    floor=RELEVANCE_FLOOR,
    country_cap=None,
):
    """Each organisation's k best partners, itself excluded, only `eligible` columns allowed.

    `rows` (indices, all by default) limits whose lists are computed; the others stay -1/NaN.
    Only partners whose relevance reaches `floor` are listed (a list may be short), and one
    country fills at most `country_cap` places (`country_cap_for(k)` by default) unless no
    other listable partner is left.

    `eligible` is an optional boolean mask over organisations (e.g. verified ones); rows are
    scored for every organisation either way. Memory is bounded by `chunk_rows` x n float32 per
    worker; chunks run on `workers` threads (NumPy and SciPy release the GIL in their kernels).
    """
    weights = validate_weights(weights)
    n = encoded.size
    if k < 1:
        raise ValueError("k must be at least 1.")
    if not floor > 0:
        raise ValueError("The relevance floor must be positive.")
    cap = country_cap_for(k) if country_cap is None else int(country_cap)
    if cap < 1:
        raise ValueError("country_cap must be at least 1.")
    if chunk_rows is None:
        chunk_rows = max(8, min(MAX_CHUNK_ROWS, CHUNK_PAIRS // max(n, 1)))
    eligible = np.ones(n, dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
    if eligible.shape != (n,):
        raise ValueError("eligible must be a boolean mask with one entry per organisation.")

    plan = Plan.build(encoded, weights, eligible, floor)
    result = TopK(
        partners=np.full((n, k), -1, dtype=np.int64),
        scores=np.full((n, k), np.nan),
        contributions={name: np.zeros((n, k)) for name in (*COMPONENTS, PENALTY)},
    )
    rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
    chunks = _chunks_by_country(rows, plan.row_key, chunk_rows)

    def run(chunk):
        _top_k_chunk(plan, chunk, k, cap, result)

    # One BLAS thread, with one worker too: a chunk's products are small (128 rows), and
    # OpenBLAS threads on them cost more in hand-offs than they save (three times the time of
    # one thread on two cores), let alone on cores shared with other processes.
    with threadpool_limits(limits=1, user_api="blas"):
        if workers > 1 and len(chunks) > 1:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(run, chunks))
        else:
            for chunk in chunks:
                run(chunk)
    return result


def _chunks_by_country(rows, row_key, chunk_rows):
    """Rows cut into chunks of at most `chunk_rows`, each from one country (see `Plan`)."""
    if row_key is None:
        return [rows[start : start + chunk_rows] for start in range(0, len(rows), chunk_rows)]
    rows = rows[np.argsort(row_key[rows], kind="stable")]
    keys = row_key[rows]
    cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    chunks = []
    for part in np.split(rows, cuts):
        chunks.extend(part[start : start + chunk_rows] for start in range(0, len(part), chunk_rows))
    return chunks


def _top_k_chunk(plan: Plan, rows, k, cap, result: TopK):
    block = plan.block(rows)
    pending = np.arange(len(rows))
    for attempt in range(3):
        if attempt == 0:
            row_of, at, threshold = _candidates(block, k, plan.margin)
            row_of, at, threshold = _narrow(
                block[row_of, at], row_of, at, k, plan.margin, threshold
            )
        else:
            depth = DEEPER_CANDIDATES * k if attempt == 1 else block.shape[1]
            row_of, at, threshold = _deeper(block, pending, depth, plan.margin)
        column = at if plan.order is None else plan.order[at]
        # An exact score at or above `sure` has a float32 one at or above the threshold: every
        # such pair is among the candidates.
        sure = threshold + plan.margin / 2
        pending = _choose(plan, rows, row_of, column, sure, k, cap, result)
        if len(pending) == 0:
            return
    raise AssertionError("Every listable partner was a candidate on the last try.")


def _choose(plan, rows, row_of, column, sure, k, cap, result):
    """Exact pick of each chunk row from its candidates; returns the rows that need deeper ones.

    The pick is final when k partners within the country cap score at least the row's `sure`
    (every pair above it is a candidate), or when `sure` is not positive (every listable pair is
    a candidate).
    """
    contributions = exact_contributions(plan.encoded, plan.weights, rows[row_of], column)
    scores = sum(contributions.values())
    keep = listable(contributions, plan.floor)
    row_of, column, scores = row_of[keep], column[keep], scores[keep]
    contributions = {name: values[keep] for name, values in contributions.items()}

    order = np.lexsort((column, -np.round(scores, RANK_DECIMALS), row_of))
    row_of, column, scores = row_of[order], column[order], scores[order]
    contributions = {name: values[order] for name, values in contributions.items()}
    position = np.arange(len(row_of))
    country = plan.encoded.country[column]
    by_country = np.lexsort((position, country, row_of))
    group_start = np.r_[
        True,
        (row_of[by_country][1:] != row_of[by_country][:-1])
        | (country[by_country][1:] != country[by_country][:-1]),
    ]
    country_rank = np.empty(len(row_of), dtype=np.int64)
    country_rank[by_country] = _rank_within_groups(group_start)
    accepted = country_rank < cap

    counted = np.bincount(row_of[accepted & (scores >= sure[row_of])], minlength=len(rows))
    done = (counted >= k) | (sure <= 0)
    # Accepted partners first, then the capped ones, each in score order.
    final = np.lexsort((position, ~accepted, row_of))
    final = final[done[row_of[final]]]
    rank = _rank_within_rows(row_of[final])
    final, rank = final[rank < k], rank[rank < k]
    target_rows = rows[row_of[final]]
    result.partners[target_rows, rank] = column[final]
    result.scores[target_rows, rank] = scores[final]
    for name, values in contributions.items():
        result.contributions[name][target_rows, rank] = values[final]
    return np.flatnonzero(~done)


def _candidates(block, k, margin):
    """(row, column) of every finite entry at or above a lower bound on its row's k-th best,
    and each row's threshold.

    Columns are cut into groups of `GROUP_COLUMNS`; the k-th largest group maximum is a lower
    bound on the row's k-th best (k distinct entries reach it), and only groups whose maximum
    reaches the bound are searched, so the full block is read once, by the max reduction. The
    threshold is never below -margin: listed scores are positive, and a row with fewer than k
    of them searches only the groups that hold one.
    """
    rows, n = block.shape
    groups = n // GROUP_COLUMNS
    if groups < k:
        bound = np.partition(block, -k, axis=1)[:, -k] if n >= k else np.full(rows, -np.inf)
        bound = np.maximum(bound - margin, -margin)
        row_of, column = np.nonzero(block >= bound[:, None])
    else:
        body = block[:, : groups * GROUP_COLUMNS].reshape(rows, groups, GROUP_COLUMNS)
        maxima = body.max(axis=2)
        bound = np.maximum(np.partition(maxima, -k, axis=1)[:, -k] - margin, -margin)
        hit_row, hit_group = np.nonzero(maxima >= bound[:, None])
        segment_row, offset = np.nonzero(body[hit_row, hit_group] >= bound[hit_row][:, None])
        row_of = hit_row[segment_row]
        column = hit_group[segment_row] * GROUP_COLUMNS + offset
        tail_row, tail_column = np.nonzero(block[:, groups * GROUP_COLUMNS :] >= bound[:, None])
        row_of = np.concatenate([row_of, tail_row])
        column = np.concatenate([column, tail_column + groups * GROUP_COLUMNS])
    finite = np.isfinite(block[row_of, column])
    return row_of[finite], column[finite], bound.astype(np.float64)


def _narrow(values, row_of, column, k, margin, threshold):
    """Keep, per row, the candidates within the margin of the row's k-th best float32 score;
    the rows' thresholds rise accordingly."""
    order = np.lexsort((-values, row_of))
    row_of, column, values = row_of[order], column[order], values[order]
    rank = _rank_within_rows(row_of)
    kth = np.full(len(threshold), -np.inf, dtype=np.float64)
    at_k = rank == k - 1
    kth[row_of[at_k]] = values[at_k]
    threshold = np.maximum(threshold, kth - margin)
    keep = values >= threshold[row_of]
    return row_of[keep], column[keep], threshold


def _deeper(block, pending, depth, margin):
    """Candidates of the `pending` rows down to their `depth`-th best (all finite ones when
    depth reaches the row length), with the rows' thresholds (-inf for the others)."""
    n = block.shape[1]
    part = block[pending]
    if depth < n:
        bound = np.partition(part, -depth, axis=1)[:, -depth].astype(np.float64)
        bound = np.maximum(bound - margin, -margin)
    else:
        bound = np.full(len(pending), -margin)
    local, column = np.nonzero((part >= bound[:, None]) & np.isfinite(part))
    # Rows already picked get no candidates and a threshold that marks them done.
    threshold = np.full(block.shape[0], -np.inf)
    threshold[pending] = bound
    return pending[local], column, threshold


def _rank_within_rows(row_of):
    """0, 1, 2... within each run of equal values of a sorted `row_of`."""
    if len(row_of) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, row_of[1:] != row_of[:-1]])
    run_lengths = np.diff(np.r_[starts, len(row_of)])
    return np.arange(len(row_of)) - np.repeat(starts, run_lengths)


def _rank_within_groups(starts):
    """0, 1, 2... within each run that begins where `starts` is True."""
    if len(starts) == 0:
        return np.zeros(0, dtype=np.int64)
    begin = np.flatnonzero(starts)
    run_lengths = np.diff(np.r_[begin, len(starts)])
    return np.arange(len(starts)) - np.repeat(begin, run_lengths)
