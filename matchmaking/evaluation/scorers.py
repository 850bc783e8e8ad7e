"""What is measured, and what it is measured against.

A scorer takes a `Population` and the rows whose lists are wanted, and returns those lists:
an array of shape (len(rows), k) of partner rows, best first, -1 where a list is shorter.

- `engine`: `scoring.top_k` with a weight profile, exactly as the portal scores.
- `random_lists`: k partners drawn at random.
- `popularity`: the biggest, best-labelled organisations, the same list for everyone.
- `components_only`: a plain weighted sum of some of the engine's components (the country
  ones, or the thematic ones), each bilinear block of `features.encode` multiplied out; no
  floor, gate, cap or penalty, so a baseline never inherits the engine's own safeguards.

Geography is `GEOGRAPHY_COMPONENTS`; the thematic components are every other entry of
`scoring.COMPONENTS` except `strength`, so a component the engine adds (e.g. what a partner
seeks) counts as thematic without this module changing.
"""

import math
from dataclasses import dataclass

import numpy as np

from matchmaking.features import EncodedProfiles, Taxonomy, encode
from matchmaking.scoring import COMPONENTS, top_k

GEOGRAPHY_COMPONENTS = ("international", "partner_interest", "shared_markets")
NOT_THEMATIC = (*GEOGRAPHY_COMPONENTS, "strength")
ROWS_PER_PRODUCT = 256
FULL_SIZE_MEMBERS = 500
MAX_LABEL_RANK = 3


def thematic_components():
    return tuple(name for name in COMPONENTS if name not in NOT_THEMATIC)


def geography_components():
    return tuple(name for name in COMPONENTS if name in GEOGRAPHY_COMPONENTS)


@dataclass(frozen=True)
class Population:
    """Profiles, encoded once, with the country index of every row."""

    profiles: tuple
    taxonomy: Taxonomy
    encoded: EncodedProfiles
    country: np.ndarray

    @classmethod
    def build(cls, profiles, taxonomy):
        index = {code: k for k, code in enumerate(taxonomy.countries)}
        return cls(
            profiles=tuple(profiles),
            taxonomy=taxonomy,
            encoded=encode(profiles, taxonomy),
            country=np.array([index.get(p.country, -1) for p in profiles], dtype=np.int64),
        )

    @property
    def size(self):
        return len(self.profiles)


def engine(weights):
    """The portal's scorer with these weights."""

    def score(population, rows, k):
        rows = np.asarray(rows, dtype=np.int64)
        return top_k(population.encoded, weights, k=k, rows=rows).partners[rows]

    return score


def random_lists(seed):
    def score(population, rows, k):
        rng = np.random.default_rng([seed, 4])
        n = population.size
        lists = np.full((len(rows), k), -1, dtype=np.int64)
        for m, row in enumerate(rows):
            count = min(k, n - 1)
            drawn = rng.choice(n - 1, size=count, replace=False)
            lists[m, :count] = drawn + (drawn >= row)
        return lists

    return score


def popularity_of(profile):
    """Half the size on a log scale (500 members = 1), half the current label (gold = 1)."""
    size = min(1.0, math.log1p(max(profile.members, 0)) / math.log1p(FULL_SIZE_MEMBERS))
    return 0.5 * size + 0.5 * min(max(profile.label_rank, 0), MAX_LABEL_RANK) / MAX_LABEL_RANK


def popularity(population, rows, k):
    values = np.array([popularity_of(p) for p in population.profiles])
    ranked = np.lexsort((np.arange(len(values)), -values))[: k + 1]
    lists = np.full((len(rows), k), -1, dtype=np.int64)
    for m, row in enumerate(rows):
        chosen = ranked[ranked != row][:k]
        lists[m, : len(chosen)] = chosen
    return lists


def components_only(weights, names):
    """A plain weighted sum of the named components; equal weights when the profile gives
    all of them 0 (a geography-only baseline must not vanish because a profile drops it)."""
    chosen = {name: float(weights.get(name, 0.0)) for name in names}
    if not any(chosen.values()):
        chosen = dict.fromkeys(names, 1.0)

    def score(population, rows, k):
        rows = np.asarray(rows, dtype=np.int64)
        blocks = [b for b in population.encoded.blocks if chosen.get(b.name, 0.0) > 0]
        lists = np.full((len(rows), k), -1, dtype=np.int64)
        for start in range(0, len(rows), ROWS_PER_PRODUCT):
            part = rows[start : start + ROWS_PER_PRODUCT]
            total = np.zeros((len(part), population.size))
            for block in blocks:
                total += chosen[block.name] * (block.left[part] @ block.right.T)
            total[np.arange(len(part)), part] = -np.inf
            count = min(k, population.size - 1)
            best = np.argpartition(-total, count - 1, axis=1)[:, :count]
            # Ties go to the lower row, as in the engine.
            for m in range(len(part)):
                order = np.lexsort((best[m], -total[m, best[m]]))
                lists[start + m, :count] = best[m][order]
        return lists

    return score


def baselines(weights, seed):
    """The four baselines, by name, in the order the tables show them."""
    return {
        "random": random_lists(seed),
        "popularity": popularity,
        "geography": components_only(weights, geography_components()),
        "themes": components_only(weights, thematic_components()),
    }
