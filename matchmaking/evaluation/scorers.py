"""What is measured, and what it is measured against.

A scorer takes a `Population` and the rows whose lists are wanted, and returns those lists:
an array of shape (len(rows), k) of partner rows, best first, -1 where a list is shorter.

- `engine`: `scoring.top_k` with a weight profile, exactly as the portal scores.

Baselines are what a reader would build without the engine, to see whether the engine beats
the obvious; none of them shares any of the engine's parts, so a lift over them says what the
engine's design buys:

- `random_lists`: k partners drawn at random;
- `popularity`: the biggest, best-labelled organisations, the same list for everyone;
- `geography_only`: a plain sum of the engine's country components (abroad, in a target
  country, interested in ours, heading for the same markets): what the portal did before
  themes led, and what a directory sorted by "wants to work with your country" gives;
- `theme_jaccard`: Jaccard overlap of the declared sectors, emerging industries and
  ecosystems, the "same-sector copy" the brief warns against and the first thing a keyword
  match gives;
- `text_tfidf`: cosine of plain TF-IDF bag-of-words vectors of the descriptions (no stop
  words removed, no lemmas, no lexicon), as a search box ranks.

The lift is over the best of these. The engine's own thematic part alone is not a baseline:
it is the engine minus one factor, and a lift over it says how much that factor adds, not
whether the engine beats the obvious (it also made a lift of 2 unreachable by construction).
Such variants are `ablations`, reported in a table of their own: the engine with geography
and standing switched off, and the engine without each thematic component in turn.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matchmaking.features import (
    EncodedProfiles,
    Taxonomy,
    encode,
    idf_weights,
    normalise_rows,
    one_hot,
    tokens,
)
from matchmaking.scoring import COMPONENTS, MODULATORS, THEMATIC, top_k

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


def ranked(pair_scores):
    """A scorer from `pair_scores(population, part) -> (len(part) x n) float array`: the k
    best columns of each row, itself excluded, ties to the lower row (as in the engine);
    pairs scoring 0 or less are not listed, so a baseline that knows nothing of a pair does
    not pad its list with arbitrary partners."""

    def score(population, rows, k):
        rows = np.asarray(rows, dtype=np.int64)
        lists = np.full((len(rows), k), -1, dtype=np.int64)
        for start in range(0, len(rows), ROWS_PER_PRODUCT):
            part = rows[start : start + ROWS_PER_PRODUCT]
            total = np.asarray(pair_scores(population, part), dtype=np.float64)
            total[np.arange(len(part)), part] = -np.inf
            count = min(k, population.size - 1)
            best = np.argpartition(-total, count - 1, axis=1)[:, :count]
            for m in range(len(part)):
                order = np.lexsort((best[m], -total[m, best[m]]))
                chosen = best[m][order]
                chosen = chosen[total[m, chosen] > 0]
                lists[start + m, : len(chosen)] = chosen
        return lists

    return score


def components_only(weights, names):
    """A plain weighted sum of the named components; equal weights when the profile gives
    all of them 0 (a geography-only baseline must not vanish because a profile drops it)."""
    chosen = {name: float(weights.get(name, 0.0)) for name in names}
    if not any(chosen.values()):
        chosen = dict.fromkeys(names, 1.0)

    def pair_scores(population, part):
        total = np.zeros((len(part), population.size))
        for block in population.encoded.blocks:
            if chosen.get(block.name, 0.0) > 0:
                total += chosen[block.name] * block.table(part)
        return total

    return ranked(pair_scores)


def _theme_sets(population):
    taxonomy = population.taxonomy
    vocabulary = (
        *(("sector", s) for s in taxonomy.sectors),
        *(("emerging", e) for e in taxonomy.emerging),
        *(("ecosystem", e) for e in taxonomy.ecosystems),
    )
    return one_hot(
        [
            {("sector", s) for s in p.sectors}
            | {("emerging", e) for e in p.emerging}
            | {("ecosystem", e) for e in p.ecosystems}
            for p in population.profiles
        ],
        vocabulary,
    )


def theme_jaccard():
    """|A & B| / |A | B| over declared sectors, emerging industries and ecosystems."""
    cache = {}

    def pair_scores(population, part):
        key = id(population)
        if key not in cache:
            cache.clear()
            hot = _theme_sets(population).tocsr()
            cache[key] = (hot, np.asarray(hot.sum(axis=1)).ravel())
        hot, sizes = cache[key]
        shared = (hot[part] @ hot.T).toarray()
        union = sizes[part][:, None] + sizes[None, :] - shared
        return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)

    return ranked(pair_scores)


def tfidf_vectors(texts):
    """Row-normalised TF-IDF over every word of the texts (`features.tokens`), as a plain
    search index builds it: no stop words removed, no lemmas, no concepts."""
    index, rows, columns = {}, [], []
    for row, text in enumerate(texts):
        for word in tokens(text):
            rows.append(row)
            columns.append(index.setdefault(word, len(index)))
    counts = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(texts), max(len(index), 1))
    )
    counts.sum_duplicates()
    return normalise_rows(counts @ sparse.diags(idf_weights(counts))).tocsr()


def text_tfidf():
    cache = {}

    def pair_scores(population, part):
        key = id(population)
        if key not in cache:
            cache.clear()
            cache[key] = tfidf_vectors([p.text for p in population.profiles])
        vectors = cache[key]
        return (vectors[part] @ vectors.T).toarray()

    return ranked(pair_scores)


def baselines(weights, seed):
    """The baselines, by name, in the order the tables show them (see the module docstring)."""
    return {
        "random": random_lists(seed),
        "popularity": popularity,
        "geography": components_only(weights, geography_components()),
        "jaccard": theme_jaccard(),
        "tfidf": text_tfidf(),
    }


def ablations(weights):
    """The engine with one part switched off, by name: geography and standing (every
    modulator at 0), then each thematic component the profile weighs."""
    weights = dict(weights)
    variants = {"no geography": weights | dict.fromkeys(MODULATORS, 0.0)}
    for name in THEMATIC:
        if weights.get(name, 0.0) > 0:
            variants[f"no {name}"] = weights | {name: 0.0}
    return {name: engine(variant) for name, variant in variants.items()}
