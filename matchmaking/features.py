"""Encode organisation profiles once into the matrices the scorer multiplies.

Pure core: plain dataclasses in, NumPy/SciPy arrays out, no Django and no ORM, so the encoder
can be tested and benchmarked alone. A service loads profiles from the database and calls
`encode`.

Every component of the match score is bilinear, ``component(i, j) = left[i] @ right[j]``, so a
chunk of rows is scored against all organisations with one matrix product. The one exception
is the near-duplicate penalty, which lives in a sparse (region x sector) space where the
product stays sparse and cheap.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from matchmaking.text import text_vectors

# Organisations with this many members count as full size; cluster sizes are log-normal with
# a median near 90, so a log scale keeps a 60-member cluster from looking negligible.
FULL_SIZE_MEMBERS = 500
MAX_LABEL_RANK = 3

# Value-chain positions one step apart complement each other fully, two steps apart half.
VALUE_CHAIN_STEP_WEIGHTS = {1: 1.0, 2: 0.5}
# A service provider fits beside any production step, so a pair of one service and one chain
# position says as much as two positions two steps apart, not as much as direct neighbours.
SERVICE_COMPLEMENT_WEIGHT = 0.5
# In the shared focus, a shared industrial ecosystem counts for a quarter of a shared emerging
# industry: the 14 ecosystems are broad (one holds a fifth of all clusters), the emerging
# industries are the specific cross-sectoral value chains partners build together.
ECOSYSTEM_FOCUS_WEIGHT = 0.25


@dataclass(frozen=True)
class OrganisationProfile:
    """What the scorer knows about one organisation: ids, slugs, codes and numbers only."""

    id: int
    country: str
    region: str
    sectors: frozenset[str] = frozenset()
    emerging: frozenset[str] = frozenset()
    ecosystems: frozenset[str] = frozenset()
    value_chain: frozenset[str] = frozenset()
    objectives: frozenset[str] = frozenset()
    target_countries: frozenset[str] = frozenset()
    members: int = 0
    # 0 when the organisation holds no current label, else 1 bronze, 2 silver, 3 gold.
    label_rank: int = 0
    text: str = ""
    # What the organisation says it seeks in partners, in the same vocabularies as above.
    seeking_sectors: frozenset[str] = frozenset()
    seeking_emerging: frozenset[str] = frozenset()
    seeking_ecosystems: frozenset[str] = frozenset()
    seeking_value_chain: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Taxonomy:
    """Column orders of every vocabulary, plus which sectors meet in which bridges.

    `sector_emerging` and `sector_ecosystems` map a sectoral-industry slug to the emerging
    industries (resp. industrial ecosystems) it belongs to. Two different sectors that share
    one of them are linked: that is the cross-sectoral linkage.
    """

    sectors: tuple[str, ...]
    emerging: tuple[str, ...]
    ecosystems: tuple[str, ...]
    value_chain: tuple[str, ...]  # in value-chain order, from research to after-sales
    objectives: tuple[str, ...]
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    sector_emerging: Mapping[str, frozenset[str]] = field(default_factory=dict)
    sector_ecosystems: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Value-chain slugs of service providers (digital, engineering, knowledge services): off
    # the linear chain, they complement every production position.
    service_positions: frozenset[str] = frozenset()

    def bridges(self, sector):
        """Emerging industries and ecosystems a sector belongs to, as (kind, slug) pairs."""
        return {("emerging", slug) for slug in self.sector_emerging.get(sector, ())} | {
            ("ecosystem", slug) for slug in self.sector_ecosystems.get(sector, ())
        }

    def sector_link_matrix(self):
        """M[s, t] = 1 when sectors s != t share an emerging industry or an ecosystem."""
        index = {slug: k for k, slug in enumerate(self.sectors)}
        bridges = sorted({bridge for sector in self.sectors for bridge in self.bridges(sector)})
        bridge_index = {bridge: k for k, bridge in enumerate(bridges)}
        membership = np.zeros((len(self.sectors), max(len(bridges), 1)))
        for sector, row in index.items():
            for bridge in self.bridges(sector):
                membership[row, bridge_index[bridge]] = 1.0
        linked = (membership @ membership.T > 0).astype(np.float64)
        np.fill_diagonal(linked, 0.0)
        return linked

    def value_chain_matrix(self):
        """C[p, q]: how well position q complements position p.

        Two chain positions by their distance on the chain, service positions left out of the
        count; a service position and a chain position SERVICE_COMPLEMENT_WEIGHT; two service
        positions nothing.
        """
        on_chain = np.array([slug not in self.service_positions for slug in self.value_chain])
        step = np.cumsum(on_chain) - 1
        steps = np.abs(np.subtract.outer(step, step))
        both = np.logical_and.outer(on_chain, on_chain)
        matrix = np.zeros((len(self.value_chain), len(self.value_chain)))
        for distance, weight in VALUE_CHAIN_STEP_WEIGHTS.items():
            matrix[both & (steps == distance)] = weight
        matrix[np.logical_xor.outer(on_chain, on_chain)] = SERVICE_COMPLEMENT_WEIGHT
        return matrix


@dataclass(frozen=True)
class Block:
    """One score component as a bilinear form: component(i, j) = left[i] @ right[j]."""

    name: str
    left: np.ndarray
    right: np.ndarray


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
    # One-hot target countries (own country left out), so the scorer can add the international
    # components by country instead of multiplying them out (see scoring._Plan).
    targets: sparse.csr_matrix | None = None

    @property
    def size(self):
        return len(self.ids)

    def block(self, name):
        return next(block for block in self.blocks if block.name == name)


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


def strength_of(profile: OrganisationProfile):
    """Half the current label (gold = 1), half the size on a log scale (500 members = 1)."""
    label = min(max(profile.label_rank, 0), MAX_LABEL_RANK) / MAX_LABEL_RANK
    size = min(1.0, math.log1p(max(profile.members, 0)) / math.log1p(FULL_SIZE_MEMBERS))
    return 0.5 * label + 0.5 * size


def encode(profiles: Sequence[OrganisationProfile], taxonomy: Taxonomy, *, text_dims=64):
    """Encode profiles into bilinear blocks, one per score component (see scoring.COMPONENTS).

    cross_sector   mean over sector pairs (s of i, t of j) of M[s, t]: different sectors that
                   meet in an emerging industry or ecosystem. left = S_i M / |S_i|,
                   right = S_j / |S_j|.
    shared_focus   cosine of the declared emerging industries and ecosystems, an ecosystem
                   weighted ECOSYSTEM_FOCUS_WEIGHT.
    value_chain    mean over position pairs (p of i, q of j) of C[p, q]: 1 one step apart,
                   0.5 two steps apart, 0 for the same position.
    s3_objectives  cosine of the S3 policy objectives.
    text           cosine of the text vectors of description and keywords (matchmaking.text:
                   taxonomy concepts found in any language, and lemmas hashed into
                   `text_dims` buckets).
    international  0.5 * [different country] + 0.5 * [j's country is one of i's targets other
                   than i's own]. left = [0.5, 0.5 (T_i - C_i)], right = [1, C_j].
    partner_interest
                   [i's country is one of j's targets]: the partner is looking for partners
                   where i is; with the above, interest both ways. Targets never hold the
                   organisation's own country, so left = C_i, right = T_j.
    shared_markets cosine of the target countries, each weighted by its inverse document
                   frequency among all organisations' targets: two clusters heading for the same
                   markets can go together, and a market few aim at says more than Germany.
    strength       the partner's strength (see `strength_of`): left = 1, right = strength_j.
    All lie in [0, 1].
    """
    n = len(profiles)
    sectors = one_hot([p.sectors for p in profiles], taxonomy.sectors)
    sectors_mean = scale_rows(sectors, 1.0)
    link = sparse.csr_matrix(taxonomy.sector_link_matrix())

    focus = sparse.hstack(
        [
            one_hot([p.emerging for p in profiles], taxonomy.emerging),
            ECOSYSTEM_FOCUS_WEIGHT * one_hot([p.ecosystems for p in profiles], taxonomy.ecosystems),
        ],
        format="csr",
    )
    focus_cosine = normalise_rows(focus)

    chain = scale_rows(one_hot([p.value_chain for p in profiles], taxonomy.value_chain), 1.0)
    chain_link = sparse.csr_matrix(taxonomy.value_chain_matrix())
    objectives = scale_rows(one_hot([p.objectives for p in profiles], taxonomy.objectives), 0.5)

    country_index = {code: k for k, code in enumerate(taxonomy.countries)}
    country = np.array([country_index.get(p.country, -1) for p in profiles], dtype=np.int64)
    country_hot = one_hot([{p.country} for p in profiles], taxonomy.countries)
    targets = one_hot([p.target_countries - {p.country} for p in profiles], taxonomy.countries)
    international_left = sparse.hstack(
        [sparse.csr_matrix(np.full((n, 1), 0.5)), 0.5 * (targets - country_hot)]
    )
    international_right = sparse.hstack([sparse.csr_matrix(np.ones((n, 1))), country_hot])
    markets = normalise_rows(targets @ sparse.diags(idf_weights(targets))).toarray()

    strength = np.array([strength_of(p) for p in profiles])

    region_index = {code: k for k, code in enumerate(taxonomy.regions)}
    region = np.array([region_index.get(p.region, -1) for p in profiles], dtype=np.int64)
    duplicate = duplicate_space(sectors, region, len(taxonomy.regions))

    text = text_vectors([p.text for p in profiles], lemma_dims=text_dims)
    blocks = (
        Block("cross_sector", (sectors_mean @ link).toarray(), sectors_mean.toarray()),
        Block("shared_focus", focus_cosine.toarray(), focus_cosine.toarray()),
        Block("value_chain", (chain @ chain_link).toarray(), chain.toarray()),
        Block("s3_objectives", objectives.toarray(), objectives.toarray()),
        Block("text", text, text),
        Block("international", international_left.toarray(), international_right.toarray()),
        Block("partner_interest", country_hot.toarray(), targets.toarray()),
        Block("shared_markets", markets, markets),
        Block("strength", np.ones((n, 1)), strength[:, None]),
    )
    return EncodedProfiles(
        ids=np.array([p.id for p in profiles], dtype=np.int64),
        blocks=blocks,
        duplicate=duplicate,
        sector_cosine=scale_rows(sectors, 0.5).toarray(),
        sectors=sectors,
        country=country,
        region=region,
        strength=strength,
        targets=targets,
    )


def duplicate_space(sectors: sparse.csr_matrix, region: np.ndarray, region_count: int):
    """Rows over (region, sector) columns whose products give [same region] * cos(sectors).

    An organisation with an unknown region gets an empty row and is never anyone's duplicate.
    """
    cosine = scale_rows(sectors, 0.5).tocoo()
    keep = region[cosine.row] >= 0
    rows = cosine.row[keep]
    columns = region[rows] * sectors.shape[1] + cosine.col[keep]
    return sparse.csr_matrix(
        (cosine.data[keep], (rows, columns)),
        shape=(sectors.shape[0], max(region_count, 1) * sectors.shape[1]),
    )
