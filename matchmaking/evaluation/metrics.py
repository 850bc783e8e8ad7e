"""The yardstick's figures, over plain arrays: recall, lift, exposure and held-out grading.

Every function takes lists of partners as row indices (-1 where a list is shorter than k), so
the same figure is computed the same way for the engine and for every baseline.
"""

from collections.abc import Mapping, Sequence

import numpy as np


def recall(partners: np.ndarray, relevant: Sequence[Sequence[int]]):
    """Mean over lists of the share of that list's relevant partners it holds.

    `partners[m]` is list m; `relevant[m]` are the rows that should be in it. A list with no
    relevant partner is left out; no list at all gives 0.
    """
    shares = []
    for listed, wanted in zip(partners, relevant, strict=True):
        if len(wanted) == 0:
            continue
        found = set(np.asarray(listed).tolist())
        shares.append(sum(row in found for row in wanted) / len(wanted))
    return float(np.mean(shares)) if shares else 0.0


def lift(value, baselines: Mapping[str, float]):
    """`value` divided by the best baseline's, and that baseline's name.

    The lift is None when the best baseline scores 0 (any value would be an infinite lift)."""
    name = max(baselines, key=lambda key: baselines[key])
    best = baselines[name]
    return (value / best if best > 0 else None), name


def appearances(partners: np.ndarray, n: int):
    """How many lists each of the n organisations appears in."""
    listed = np.asarray(partners).ravel()
    return np.bincount(listed[listed >= 0], minlength=n)


def coverage(partners: np.ndarray, n: int):
    """Share of the n organisations that appear in at least one list."""
    return float(np.count_nonzero(appearances(partners, n)) / n) if n else 0.0


def gini(counts):
    """Gini coefficient of non-negative counts: 0 when all are equal, (n - 1) / n when one
    holds everything. All zeros count as equal."""
    values = np.sort(np.asarray(counts, dtype=np.float64))
    n = len(values)
    total = values.sum()
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * ranks - n - 1) @ values / (n * total))


def growth(before, after):
    """Total appearances after over before for a group of organisations (None when they
    appeared nowhere before): one sum, so that an organisation going from 1 to 2 lists does not
    dominate the figure."""
    before, after = int(np.sum(before)), int(np.sum(after))
    return after / before if before else None


def country_shares(partners: np.ndarray, country: np.ndarray):
    """For each non-empty list, the share of its places held by its most frequent country."""
    shares = []
    for listed in np.asarray(partners):
        listed = listed[listed >= 0]
        if len(listed) == 0:
            continue
        shares.append(np.bincount(country[listed] + 1).max() / len(listed))
    return np.asarray(shares, dtype=np.float64)


def case_passes(listed: Sequence[int], must_include: Sequence[int], must_rank_below: Sequence[int]):
    """A hand-graded case passes when every partner that must appear is in the list and ranks
    above every partner that must rank below (one missing from the list ranks below all).
    With no partner that must appear, those that must rank below must not be listed at all."""
    position = {row: rank for rank, row in enumerate(np.asarray(listed).tolist()) if row >= 0}
    if any(row not in position for row in must_include):
        return False
    if not must_include:
        return not any(row in position for row in must_rank_below)
    worst_wanted = max(position[row] for row in must_include)
    return all(position.get(row, len(position)) > worst_wanted for row in must_rank_below)


def unrelated_share(pairs_source, pairs_partner, related):
    """Share of listed (source, partner) pairs that `related(sources, partners)` says share no
    theme at all; 0 for no pairs."""
    if len(pairs_source) == 0:
        return 0.0
    return float(1.0 - np.mean(related(pairs_source, pairs_partner)))
