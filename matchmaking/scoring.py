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

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

from matchmaking.features import EncodedProfiles

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
# A chunk holds at most this many pair scores (float32, 64 MB), whatever the number of
# organisations, and at most MAX_CHUNK_ROWS rows (more rows buy the product nothing).
CHUNK_PAIRS = 1 << 24
MAX_CHUNK_ROWS = 128
# Columns per group when bounding a row's k-th best score from below (see `_candidates`).
GROUP_COLUMNS = 64
# Components that depend only on the two countries and the target countries: the plan adds them
# per country instead of multiplying their 43 one-hot dimensions out (see `_Plan`).
COUNTRY_COMPONENTS = ("international", "partner_interest")
# Candidates per row of the second try when the country cap reaches below the first (a multiple
# of k); the third try takes every listable partner of the row.
DEEPER_CANDIDATES = 4
# What a chunk subtracts from the float32 score of a pair below the relevance floor (see
# `_Plan.block`): far below any score, far from float32's overflow.
SINK = np.float32(1e30)


@dataclass(frozen=True)
class TopK:
    """For row i: `partners[i]` (row indices, best first, -1 where fewer than k pass the
    relevance floor or are eligible), `scores[i]` and the signed weighted contribution of every
    component and the penalty."""

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
    if not math.isfinite(sum(complete.values())):
        raise ValueError("Weights must be finite numbers.")
    return complete


def country_cap_for(k):
    """Places of a k-list one country may fill while others are listable: a quarter, at least 2."""
    return max(2, math.ceil(COUNTRY_SHARE * k))


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

    plan = _Plan.build(encoded, weights, eligible, floor)
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


def _dense_side(blocks, weights, scale, n):
    """Weighted left sides and transposed right sides of dense blocks, float32."""
    if not blocks:
        return None, None
    left = np.hstack([scale * weights[b.name] * b.left for b in blocks]).astype(np.float32)
    right_t = np.ascontiguousarray(np.hstack([b.right for b in blocks]).T, np.float32)
    return left, right_t


def _dense(side):
    return side.toarray() if sparse.issparse(side) else side


@dataclass(frozen=True)
class _Plan:
    """What every chunk needs, built once: the weighted products and the country terms.

    The relevance of a chunk is one dense product of the plain thematic terms (those with
    sparse right rows densified), one sparse-by-dense product of the terms with sparse left
    rows, and the gated terms (value chain times shared focus) elementwise.

    The international components depend only on countries: with t the target weights (never
    the own country), international(i, j) = 0.5 [c_i != c_j] + 0.5 t_i[c_j] and
    partner_interest(i, j) = t_j[c_i]. Multiplied out they would take 86 of the product's
    dimensions. Instead, the columns are put in country order and every chunk holds rows of one
    country b, so w_int 0.5 [b != c_j] + w_pi t_j[b] is one vector added to the whole chunk's
    modulation, and w_int 0.5 t_i[c_j] is a constant added to the slice of each target country.
    """

    encoded: EncodedProfiles
    weights: dict
    floor: float
    relevance_left: np.ndarray  # n x d float32, plain dense thematic terms times their shares
    relevance_right_t: np.ndarray  # d x n float32, columns in `order`
    sparse_left: object  # CSR n x e float32 (terms with sparse left rows), or None
    sparse_right_t: object  # e x n float32, columns in `order`, or None
    gated: tuple  # (left, right_t, gate index) of each gated term, see `build`
    gates: tuple  # (left, right_t) of each gate
    modulation_left: object  # n x d' float32, or None when no modulator is multiplied out
    modulation_right_t: object
    duplicate_t: object  # the sparse duplicate space, transposed, or None when unweighted
    margin: float
    relevance_margin: float
    # Country terms, or all None when they are multiplied out (or weigh nothing):
    order: np.ndarray | None = None  # column position -> organisation, by country
    position: np.ndarray | None = None  # organisation -> column position
    row_key: np.ndarray | None = None  # country index, unknown countries last
    country_vectors: np.ndarray | None = None  # (countries + 1) x n float32, in `order`
    segments: np.ndarray | None = None  # columns of country a: segments[a]:segments[a + 1]
    target_step: float = 0.0

    @classmethod
    def build(cls, encoded, weights, eligible, floor):
        n = encoded.size
        by_country = encoded.targets is not None and any(
            weights[name] > 0 for name in COUNTRY_COMPONENTS
        )
        # Without a thematic weight every relevance is 0: nobody passes the floor, every list
        # is empty (staff cannot save such a profile, see WeightProfile.clean).
        shares = sum(weights[name] for name in THEMATIC) or 1.0
        thematic = [b for b in encoded.blocks if b.name in THEMATIC and weights[b.name] > 0]
        country_terms = cls._country_terms(encoded, weights) if by_country else {}
        order = country_terms.get("order")
        columns = np.arange(n) if order is None else order

        def share(block):
            return weights[block.name] / shares

        gate_blocks = []
        for block in thematic:
            if block.gate is not None and all(block.gate is not g for g in gate_blocks):
                gate_blocks.append(block.gate)
        # Each gated term carries, as one more column, the share of its gate when the gate
        # is a weighted component itself (once per gate): the chunk then computes
        # (share_t * term + share_g) * gate in two passes.
        gates = tuple(
            (gate.left.astype(np.float32), np.ascontiguousarray(gate.right[columns].T, np.float32))
            for gate in gate_blocks
        )
        gated, folded = [], set()
        for block in thematic:
            if block.gate is None:
                continue
            index = next(k for k, gate in enumerate(gate_blocks) if gate is block.gate)
            constant = 0.0
            if index not in folded and any(block.gate is b for b in thematic):
                constant = share(block.gate)
            folded.add(index)
            gated.append(
                (
                    np.hstack([share(block) * block.left, np.full((n, 1), constant)]).astype(
                        np.float32
                    ),
                    np.ascontiguousarray(
                        np.vstack([block.right[columns].T, np.ones((1, n))]), np.float32
                    ),
                    index,
                )
            )
        gated = tuple(gated)
        # Terms with sparse right rows join the dense product: a sparse-by-dense product
        # computed transposed costs little, but adding its transpose to the chunk reads the
        # chunk across its rows, slower than the 85 more dimensions of the product.
        plain = [
            b
            for b in thematic
            if b.gate is None and not b.sparse_left and all(b is not gate for gate in gate_blocks)
        ]
        if plain:
            left = np.hstack([share(b) * _dense(b.left) for b in plain]).astype(np.float32)
            right_t = np.hstack([_dense(b.right[columns]) for b in plain]).T
        else:
            left, right_t = np.zeros((n, 1), np.float32), np.zeros((1, n))
        if not eligible.all():
            # One more column sinks the relevance of every ineligible partner far below the
            # floor (relevance lies in [0, 1]): cheaper than masking each chunk, and exact,
            # since eligible ones add 0.
            sink = np.where(eligible[columns], 0.0, -4.0)
            left = np.hstack([left, np.ones((n, 1), np.float32)])
            right_t = np.vstack([right_t, sink[None, :]])
        right_t = np.ascontiguousarray(right_t, np.float32)

        left_sparse = [b for b in thematic if b.gate is None and b.sparse_left]
        sparse_left = sparse_right_t = None
        if left_sparse:
            sparse_left = sparse.hstack(
                [share(b) * b.left for b in left_sparse], format="csr", dtype=np.float32
            )
            sparse_right_t = np.ascontiguousarray(
                np.hstack([b.right[columns] for b in left_sparse]).T, np.float32
            )
        modulators = [
            b
            for b in encoded.blocks
            if b.name in MODULATORS
            and weights[b.name] > 0
            and not (by_country and b.name in COUNTRY_COMPONENTS)
        ]
        mod_left = mod_right_t = None
        if modulators:
            mod_left = np.hstack([weights[b.name] * _dense(b.left) for b in modulators]).astype(
                np.float32
            )
            mod_right_t = np.ascontiguousarray(
                np.hstack([b.right[columns] for b in modulators]).T, np.float32
            )
        # Every component is in [0, 1] and the relevance a weighted mean of them. A float32
        # sum of d non-negative terms whose exact sum is at most V is off by at most
        # d * eps * V; the factor 16 covers the rounding of the inputs and of the combination.
        # The margins only have to keep every pair whose exact score could make the top k,
        # and every pair whose exact relevance reaches the floor.
        modulation = sum(weights[name] for name in MODULATORS)
        terms = (
            left.shape[1] + sum(g[0].shape[1] for g in gates) + sum(g[0].shape[1] for g in gated)
        )
        terms += 0 if sparse_left is None else sparse_left.shape[1]
        terms += (0 if mod_left is None else mod_left.shape[1]) + (
            encoded.targets.shape[1] + 2 if by_country else 0
        )
        eps = float(np.finfo(np.float32).eps)
        relevance_margin = 16 * eps * terms
        margin = 16 * eps * terms * (1.0 + modulation) * (1.0 + weights[PENALTY])
        duplicate = encoded.duplicate if order is None else encoded.duplicate[order]
        duplicate_t = duplicate.T.tocsr() if weights[PENALTY] > 0 else None
        return cls(
            encoded=encoded,
            weights=weights,
            floor=floor,
            relevance_left=left,
            relevance_right_t=right_t,
            sparse_left=sparse_left,
            sparse_right_t=sparse_right_t,
            gated=gated,
            gates=gates,
            modulation_left=mod_left,
            modulation_right_t=mod_right_t,
            duplicate_t=duplicate_t,
            margin=margin,
            relevance_margin=relevance_margin,
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
        # The 1 of (1 + modulation) rides along.
        vectors = np.full((countries + 1, len(key)), 1.0 + half)
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

    def block(self, rows):
        """float32 scores of rows x all columns (in `order`), below any candidate bound (-inf
        or about -SINK) where not listable."""
        relevance = self.relevance_left[rows] @ self.relevance_right_t
        if self.sparse_left is not None:
            relevance += self.sparse_left[rows] @ self.sparse_right_t
        gate_values = [left[rows] @ right_t for left, right_t in self.gates]
        for left, right_t, gate in self.gated:
            term = left[rows] @ right_t
            term *= gate_values[gate]
            relevance += term
        if self.modulation_left is not None:
            block = self.modulation_left[rows] @ self.modulation_right_t
        else:
            block = np.zeros_like(relevance)
        columns_of_rows = rows
        if self.order is not None:
            columns_of_rows = self.position[rows]
            # Every row of the chunk is from one country (see `_chunks_by_country`).
            block += self.country_vectors[self.row_key[rows[0]]]
            # One slice per targeted country for the whole chunk, rather than one per target
            # of each row: a row adds 0 to the countries it does not target.
            steps = (self.target_step * self.encoded.targets[rows].toarray()).astype(np.float32)
            for country in np.flatnonzero(steps.any(axis=0)):
                segment = slice(self.segments[country], self.segments[country + 1])
                block[:, segment] += steps[:, country, None]
        else:
            block += 1.0
        block *= relevance
        if self.duplicate_t is not None:
            penalty = (self.encoded.duplicate[rows] @ self.duplicate_t).tocoo()
            factor = 1.0 - np.float32(self.weights[PENALTY]) * penalty.data.astype(np.float32)
            block[penalty.row, penalty.col] *= factor
            # Only a penalised pair can fall to zero or below; such pairs are never listed.
            low = block[penalty.row, penalty.col] < -self.margin
            block[penalty.row[low], penalty.col[low]] = -np.inf
        # Below the floor a pair sinks by SINK rather than being set to -inf: a masked write
        # branches on every entry and costs four times the arithmetic. Sunk entries stay below
        # -SINK / 2, under every candidate bound (those are at least -margin).
        below = np.less(relevance, self.floor - self.relevance_margin).view(np.uint8)
        block -= np.multiply(below, SINK, dtype=np.float32)
        block[np.arange(len(rows)), columns_of_rows] = -np.inf
        return block


def _top_k_chunk(plan: _Plan, rows, k, cap, result: TopK):
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
