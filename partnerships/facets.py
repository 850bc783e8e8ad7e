"""The directory's facets as bitsets in memory: filter masks, facet counts, sorts and pages.

A pure core over NumPy arrays, with no ORM inside: `partnerships.facet_loader` fills it from
the database. One row per verified organisation, rows in ascending id order. Within a facet
group the chosen values combine with OR, across groups with AND; the counts of a group are
taken without that group's own choice, so choosing Germany keeps France's count visible.

Label currency is never stored: each level keeps the latest `valid_until` as a day ordinal,
and a request compares it with its own day, so a label that expires at midnight leaves the
"current" facets without a rebuild.
"""

from dataclasses import dataclass, field

import numpy as np

# The label level of no label: earlier than any day.
NO_LABEL = np.iinfo(np.int32).min

SINGLE_GROUPS = ("country", "region", "type")
MULTI_GROUPS = ("sector", "emerging_industry", "ecosystem")
SORTS = ("name", "size", "newest")


@dataclass(frozen=True, eq=False)
class Links:
    """A many-to-many facet in CSR form: row i holds indices[indptr[i]:indptr[i + 1]]."""

    indptr: np.ndarray
    indices: np.ndarray

    @classmethod
    def from_pairs(cls, rows, codes, *, size):
        """From parallel arrays of (row, code) pairs in any order, duplicates allowed."""
        rows, codes = np.asarray(rows, dtype=np.int64), np.asarray(codes, dtype=np.int32)
        if len(rows):
            base = int(codes.max()) + 1
            unique = np.unique(rows * base + codes)
            rows, codes = unique // base, unique % base
        indptr = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=size), out=indptr[1:])
        return cls(indptr=indptr, indices=codes.astype(np.int32))

    @property
    def owners(self):
        return np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))


@dataclass(frozen=True, eq=False)
class FacetIndex:
    """Every verified organisation as columns; `vocab[group]` lists a group's values by code.

    `label_until[level]` is the latest valid_until ordinal of each level (NO_LABEL when none),
    `size_bands` the (low, high or None) member bounds of each size value, `name_rank` the
    position of each row in (name, id) order as the database collates it.
    """

    ids: np.ndarray
    country: np.ndarray
    region: np.ndarray
    type: np.ndarray
    members: np.ndarray
    member_employees: np.ndarray
    created: np.ndarray
    name_rank: np.ndarray
    label_until: dict
    links: dict
    vocab: dict
    size_bands: dict
    _orders: dict = field(default_factory=dict, init=False, repr=False)
    _owners: dict = field(default_factory=dict, init=False, repr=False)
    _positions: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        by_name = np.argsort(self.name_rank, kind="stable")
        self._orders["name"] = by_name
        # Most members first, then name and id: a stable sort of the name order keeps ties.
        self._orders["size"] = by_name[np.argsort(-self.members[by_name], kind="stable")]
        self._orders["newest"] = np.lexsort((-self.ids, -self.created))
        for group, links in self.links.items():
            self._owners[group] = links.owners
        for group, values in self.vocab.items():
            self._positions[group] = {value: code for code, value in enumerate(values)}

    def __len__(self):
        return len(self.ids)

    def _codes(self, group, values):
        positions = self._positions[group]
        return np.array([positions[v] for v in values if v in positions], dtype=np.int32)

    def current_until(self, levels=None):
        """The latest valid_until over `levels` (all when None), per row."""
        chosen = [self.label_until[level] for level in (levels or self.label_until)]
        if not chosen:
            return np.full(len(self), NO_LABEL, dtype=np.int32)
        return np.max(chosen, axis=0)

    def _group_mask(self, group, values, today):
        if group in SINGLE_GROUPS:
            return np.isin(getattr(self, group), self._codes(group, values))
        if group in MULTI_GROUPS:
            links = self.links[group]
            hit = np.isin(links.indices, self._codes(group, values))
            mask = np.zeros(len(self), dtype=bool)
            mask[self._owners[group][hit]] = True
            return mask
        if group == "label_level":
            known = [level for level in values if level in self.label_until]
            if not known:
                return np.zeros(len(self), dtype=bool)
            return self.current_until(known) >= today
        if group == "current_label":
            return self.current_until() >= today
        if group == "size":
            mask = np.zeros(len(self), dtype=bool)
            for band in values:
                if band in self.size_bands:
                    mask |= self._in_band(band)
            return mask
        raise KeyError(group)

    def _in_band(self, band):
        low, high = self.size_bands[band]
        inside = self.members >= low
        if high is not None:
            inside &= self.members <= high
        return inside

    def _masks(self, selection, today):
        return {
            group: self._group_mask(group, values, today)
            for group, values in selection.items()
            if values
        }

    @staticmethod
    def _combine(masks, within, size, *, skip=None):
        mask = np.ones(size, dtype=bool) if within is None else within.copy()
        for group, group_mask in masks.items():
            if group != skip:
                mask &= group_mask
        return mask

    def mask(self, selection, *, today, within=None):
        """Rows matching every chosen group (and `within`, a row mask such as a search)."""
        return self._combine(self._masks(selection, today), within, len(self))

    def counts(self, selection, *, today, within=None):
        """Per group, the counts of its values (by code) among rows matching the other groups.

        `label_level` counts organisations holding a current label of each level (one may
        hold two), `current_label` is a single number, `size` counts per band in vocab order.
        """
        masks = self._masks(selection, today)

        def others(group):
            return self._combine(masks, within, len(self), skip=group)

        result = {}
        for group in SINGLE_GROUPS:
            rows = others(group)
            result[group] = np.bincount(
                getattr(self, group)[rows], minlength=len(self.vocab[group])
            )
        for group in MULTI_GROUPS:
            rows = others(group)
            links = self.links[group]
            # Repeat the row mask over each row's links, then count the linked codes.
            linked = np.repeat(rows, np.diff(links.indptr))
            result[group] = np.bincount(links.indices[linked], minlength=len(self.vocab[group]))
        rows = others("label_level")
        result["label_level"] = np.array(
            [np.count_nonzero(rows & (self.label_until[lv] >= today)) for lv in self.label_until]
        )
        result["current_label"] = int(
            np.count_nonzero(others("current_label") & (self.current_until() >= today))
        )
        rows = others("size")
        result["size"] = np.array(
            [np.count_nonzero(rows & self._in_band(band)) for band in self.vocab["size"]]
        )
        return result

    def ordered(self, mask, sort):
        """Row positions matching `mask`, in a `SORTS` order."""
        order = self._orders[sort]
        return order[mask[order]]

    def by_relevance(self, rows, ranks):
        """`rows` by descending search rank, then name and id, as the database orders them."""
        rows, ranks = np.asarray(rows, dtype=np.int64), np.asarray(ranks, dtype=np.float64)
        return rows[np.lexsort((self.name_rank[rows], -ranks))]

    def locate(self, ids):
        """Row positions of `ids` and which of `ids` the index holds (a newer row may not be)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(self):
            return np.zeros(0, dtype=np.int64), np.zeros(len(ids), dtype=bool)
        positions = np.minimum(np.searchsorted(self.ids, ids), len(self) - 1)
        found = self.ids[positions] == ids
        return positions[found], found

    def totals(self, group, mask, *, weights=None):
        """Per value of the single-valued `group`, the rows of `mask` (or their `weights`)."""
        codes = getattr(self, group)[mask]
        if weights is None:
            return np.bincount(codes, minlength=len(self.vocab[group]))
        # Float sums are exact below 2**53, far beyond any employee total.
        sums = np.bincount(codes, weights=weights[mask], minlength=len(self.vocab[group]))
        return sums.astype(np.int64)

    def linked_totals(self, group, mask):
        """Per value of the many-to-many `group`, the rows of `mask` linked to it."""
        links = self.links[group]
        linked = np.repeat(mask, np.diff(links.indptr))
        return np.bincount(links.indices[linked], minlength=len(self.vocab[group]))

    def best_labels(self, mask, *, today, levels):
        """Rows of `mask` by their best current label, and those whose labels all ran out.

        `levels` runs from the lowest level to the highest. Returns ({level: count}, expired):
        a row counts once, under the highest level it holds on `today`; a row with labels but
        none current counts as expired.
        """
        best = np.full(len(self), -1, dtype=np.int8)
        for rank, level in enumerate(levels):
            best[self.label_until[level] >= today] = rank
        chosen = best[mask]
        counts = {level: int(np.count_nonzero(chosen == rank)) for rank, level in enumerate(levels)}
        labelled = self.current_until() != NO_LABEL
        expired = int(np.count_nonzero(mask & labelled & (best < 0)))
        return counts, expired
