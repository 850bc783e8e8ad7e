"""Row matrices from profile fields: one-hot sets, IDF, row scaling, size and targets."""

import math
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

from .profiles import (
    FULL_SIZE_MEMBERS,
    MAX_LABEL_RANK,
    TARGET_BUDGET,
    TOKEN_RE,
    OrganisationProfile,
)


def one_hot(sets: Sequence[Iterable[str]], vocabulary: Sequence[str]):
    """CSR matrix with a 1 where organisation i has item j; unknown items are ignored."""
    index = {slug: k for k, slug in enumerate(vocabulary)}
    lengths = np.zeros(len(sets) + 1, dtype=np.int64)
    indices = []
    for row, items in enumerate(sets):
        known = [index[item] for item in items if item in index]
        indices.extend(known)
        lengths[row + 1] = len(known)
    # Items come from sets, so no (row, column) repeats and every entry is exactly 1.
    return sparse.csr_matrix(
        (np.ones(len(indices)), np.asarray(indices, dtype=np.int64), np.cumsum(lengths)),
        shape=(len(sets), len(vocabulary)),
    )


def idf_weights(matrix: sparse.csr_matrix):
    """Smoothed inverse document frequency of each column: ln((1 + n) / (1 + df)) + 1."""
    document_frequency = np.asarray((matrix > 0).sum(axis=0)).ravel()
    return np.log((1 + matrix.shape[0]) / (1 + document_frequency)) + 1


def normalise_rows(matrix: sparse.csr_matrix):
    """Divide each row by its Euclidean norm, so that row products are cosines; empty rows stay
    zero."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    factors = np.zeros_like(norms)
    np.divide(1.0, norms, out=factors, where=norms > 0)
    return sparse.diags(factors) @ matrix


def scale_rows(matrix: sparse.csr_matrix, power: float):
    """Divide each row by (number of items) ** power; empty rows stay zero."""
    counts = np.asarray(matrix.sum(axis=1)).ravel()
    factors = np.zeros_like(counts)
    np.power(counts, -power, out=factors, where=counts > 0)
    return sparse.diags(factors) @ matrix


def tokens(text):
    """Lower-cased words of two letters or more (the planted texts of the evaluation)."""
    return TOKEN_RE.findall(text.lower())


def median_members(profiles: Sequence[OrganisationProfile]):
    """The median size of the organisations that state one (0 when none does)."""
    sizes = [p.members for p in profiles if p.members > 0]
    return float(np.median(sizes)) if sizes else 0.0


def strength_of(profile: OrganisationProfile, median: float = 0.0):
    """Half the current label (gold = 1), half the size above the population's median, on a
    log scale from the median (0) to FULL_SIZE_MEMBERS (1).

    An unlabelled organisation at or below the median size has no strength at all, so that
    "established" is only ever said of a labelled or a larger than usual one.
    """
    label = min(max(profile.label_rank, 0), MAX_LABEL_RANK) / MAX_LABEL_RANK
    low, high = math.log1p(max(median, 0.0)), math.log1p(FULL_SIZE_MEMBERS)
    members = max(profile.members, 0)
    size = 0.0
    if members > median and high > low:
        size = min(1.0, (math.log1p(members) - low) / (high - low))
    return 0.5 * label + 0.5 * size


def target_weights(targets: sparse.csr_matrix):
    """Each organisation's weight per target country: 1 up to TARGET_BUDGET countries, then
    TARGET_BUDGET / (number of targets), so a longer list spreads the same total."""
    counts = np.asarray(targets.sum(axis=1)).ravel()
    factors = np.ones_like(counts)
    np.divide(TARGET_BUDGET, counts, out=factors, where=counts > TARGET_BUDGET)
    return sparse.diags(factors) @ targets
