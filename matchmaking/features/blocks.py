"""The encoder's output: bilinear score blocks and the encoded profiles that hold them."""

from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class Block:
    """One term of a score component: term(i, j) = left[i] @ right[j], times gate(i, j) when
    the term is gated by another block.

    One side may be a CSR matrix, for a term whose rows hold a few entries each; the other is
    dense. A component may have several terms (several blocks of the same name): they add up.
    """

    name: str
    left: np.ndarray | sparse.csr_matrix
    right: np.ndarray | sparse.csr_matrix
    gate: "Block | None" = None

    @property
    def sparse_left(self):
        return sparse.issparse(self.left)

    @property
    def sparse_right(self):
        return sparse.issparse(self.right)

    def table(self, rows, columns=None):
        """term(rows x columns) as a dense float64 array (all columns by default)."""
        right = self.right if columns is None else self.right[columns]
        if self.sparse_right:
            values = (right @ np.asarray(self.left[rows]).T).T
        else:
            values = self.left[rows] @ np.asarray(right).T
        values = np.asarray(values, dtype=np.float64)
        return values if self.gate is None else values * self.gate.table(rows, columns)

    def pairs(self, rows, columns):
        """term(rows[m], columns[m]) for every m, in float64."""
        rows, columns = np.asarray(rows), np.asarray(columns)
        if self.sparse_left:
            values = _sparse_pairs(self.left, self.right, rows, columns)
        elif self.sparse_right:
            values = _sparse_pairs(self.right, self.left, columns, rows)
        else:
            values = np.einsum("ij,ij->i", self.left[rows], self.right[columns])
        return values if self.gate is None else values * self.gate.pairs(rows, columns)


def _sparse_pairs(compact, dense, compact_rows, dense_rows):
    """compact[compact_rows[m]] @ dense[dense_rows[m]] for every m.

    Only the few stored entries of each sparse row meet the dense row: gather those instead of
    reading hundreds of dense columns per pair.
    """
    starts = compact.indptr[compact_rows]
    counts = compact.indptr[compact_rows + 1] - starts
    pair = np.repeat(np.arange(len(compact_rows)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    at = np.repeat(starts, counts) + offsets
    values = compact.data[at] * dense[dense_rows[pair], compact.indices[at]]
    return np.bincount(pair, weights=values, minlength=len(compact_rows))


@dataclass(frozen=True)
class EncodedProfiles:
    """Every organisation encoded once; row k is `ids[k]`."""

    ids: np.ndarray
    blocks: tuple[Block, ...]
    # Near-duplicate space: one column per (region, sector), rows scaled so that the product of
    # two rows is [same region] * cosine(sectors).
    duplicate: sparse.csr_matrix
    # Rows of the sector one-hot divided by their norm: the penalty of a known pair is
    # [same region] * sector_cosine[i] @ sector_cosine[j], without a sparse lookup.
    sector_cosine: np.ndarray
    sectors: sparse.csr_matrix
    country: np.ndarray
    region: np.ndarray
    strength: np.ndarray
    # Target weights by country (own country left out, see `target_weights`), so the scorer can
    # add the international components by country instead of multiplying them out (see
    # scoring.plan.Plan).
    targets: sparse.csr_matrix | None = None

    @property
    def size(self):
        return len(self.ids)

    def block(self, name):
        """The first term of component `name` (see `Block`)."""
        return next(block for block in self.blocks if block.name == name)
