"""What every chunk of a top-k run needs, built once, and the float32 scores of one chunk."""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matchmaking.features import EncodedProfiles
from matchmaking.scoring.weights import MODULATORS, PENALTY, THEMATIC

# Components that depend only on the two countries and the target countries: the plan adds them
# per country instead of multiplying their 43 one-hot dimensions out (see `Plan`).
COUNTRY_COMPONENTS = ("international", "partner_interest")
# What a chunk subtracts from the float32 score of a pair below the relevance floor (see
# `Plan.block`): far below any score, far from float32's overflow.
SINK = np.float32(1e30)


def _dense(side):
    return side.toarray() if sparse.issparse(side) else side


@dataclass(frozen=True)
class Plan:
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
