"""Encode organisation profiles once into the matrices the scorer multiplies.

Pure core: plain dataclasses in, NumPy/SciPy arrays out, no Django and no ORM, so the encoder
can be tested and benchmarked alone. A service loads profiles from the database and calls
`encode`.

Every component of the match score is bilinear, ``component(i, j) = left[i] @ right[j]``, so a
chunk of rows is scored against all organisations with one matrix product per side of the score
(see scoring.py for how the thematic relevance and the geographic modulation combine). The left
side of a block is dense, or sparse where an organisation fills a handful of a few hundred
columns (the declared bridges of the cross-sectoral linkage, what it seeks): a sparse-by-dense
product then costs a few multiplications per pair instead of hundreds. The near-duplicate
penalty lives in a sparse (region x sector) space where the product stays sparse and cheap.
"""

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from matchmaking.text import text_vectors

# Organisations with this many members count as full size; cluster sizes are log-normal with
# a median near 90, so a log scale keeps a 60-member cluster from looking negligible.
TOKEN_RE = re.compile(r"\w\w+", re.UNICODE)
FULL_SIZE_MEMBERS = 500
MAX_LABEL_RANK = 3

# Value-chain positions one step apart complement each other fully, two steps apart half; a
# service position (off the linear chain) complements every production position fully.
VALUE_CHAIN_STEP_WEIGHTS = {1: 1.0, 2: 0.5}
SERVICE_COMPLEMENT = 1.0
# A target list counts fully up to this many countries; a longer one spreads the same total over
# its countries, so declaring every country a target buys no exposure.
TARGET_BUDGET = 3
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
    # What the organisation says it seeks in a partner: slugs of the same vocabularies.
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

    def bridge_members(self):
        """Every (kind, bridge, sector) with the sector in the bridge, in a fixed order: the
        columns of the cross-sectoral linkage."""
        return tuple(
            sorted(
                (kind, bridge, sector)
                for sector in self.sectors
                for kind, bridge in self.bridges(sector)
            )
        )

    def complement(self, own, theirs):
        """How well position `theirs` complements `own`: by their distance on the linear chain,
        SERVICE_COMPLEMENT between a service and a production position, else 0."""
        services = self.service_positions
        if (own in services) != (theirs in services):
            return SERVICE_COMPLEMENT
        if own in services:
            return 0.0
        linear = [slug for slug in self.value_chain if slug not in services]
        if own not in linear or theirs not in linear:
            return 0.0
        return VALUE_CHAIN_STEP_WEIGHTS.get(abs(linear.index(own) - linear.index(theirs)), 0.0)

    def value_chain_matrix(self):
        """C[p, q]: how well position q complements position p (see `complement`)."""
        return np.array(
            [
                [self.complement(own, theirs) for theirs in self.value_chain]
                for own in self.value_chain
            ]
        ).reshape(len(self.value_chain), len(self.value_chain))

    def seeking_vocabulary(self):
        """Columns of what organisations hold and seek: (vocabulary, slug) pairs."""
        return (
            *(("sectors", slug) for slug in self.sectors),
            *(("emerging", slug) for slug in self.emerging),
            *(("ecosystems", slug) for slug in self.ecosystems),
            *(("value_chain", slug) for slug in self.value_chain),
        )


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
    # scoring._Plan).
    targets: sparse.csr_matrix | None = None

    @property
    def size(self):
        return len(self.ids)

    def block(self, name):
        """The first term of component `name` (see `Block`)."""
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


def declared_bridges(profiles, taxonomy):
    """One-hot of the declared emerging industries, then of the declared ecosystems."""
    return sparse.hstack(
        [
            one_hot([p.emerging for p in profiles], taxonomy.emerging),
            one_hot([p.ecosystems for p in profiles], taxonomy.ecosystems),
        ],
        format="csr",
    )


def cross_sector_block(profiles, taxonomy, sectors):
    """Left and right sides of the cross-sectoral linkage (see `encode`)."""
    members = taxonomy.bridge_members()
    bridges = (
        *(("emerging", slug) for slug in taxonomy.emerging),
        *(("ecosystem", slug) for slug in taxonomy.ecosystems),
    )
    bridge_index = {bridge: k for k, bridge in enumerate(bridges)}
    sector_index = {slug: k for k, slug in enumerate(taxonomy.sectors)}
    columns = np.arange(len(members))
    column_bridge = np.array(
        [bridge_index[(kind, bridge)] for kind, bridge, _sector in members], dtype=np.int64
    )
    column_sector = np.array([sector_index[sector] for *_b, sector in members], dtype=np.int64)
    shape = (len(bridges), len(members))
    bridge_of = sparse.csr_matrix((np.ones(len(members)), (column_bridge, columns)), shape=shape)
    sector_of = sparse.csr_matrix(
        (np.ones(len(members)), (column_sector, columns)),
        shape=(len(taxonomy.sectors), len(members)),
    )
    bridge_weight = np.array(
        [1.0 if kind == "emerging" else ECOSYSTEM_FOCUS_WEIGHT for kind, _slug in bridges]
    )

    declared = declared_bridges(profiles, taxonomy)
    declared_at = (declared @ bridge_of).tocsr()  # D_i[b] at each (b, s) column
    holds = (sectors @ sector_of).tocsr()  # S_i[s] at each (b, s) column
    # |S_j and b| at each (b, s) column: j's sectors inside the column's bridge.
    inside = (sectors @ sector_of @ bridge_of.T @ bridge_of).tocsr()
    inside = inside.multiply(declared_at).tocsr()
    sector_counts = np.asarray(sectors.sum(axis=1)).ravel()
    declared_weight = np.asarray(declared @ bridge_weight).ravel()
    scale = np.zeros(len(profiles))
    np.divide(
        1.0,
        sector_counts * np.sqrt(declared_weight),
        out=scale,
        where=(sector_counts > 0) & (declared_weight > 0),
    )
    left = sparse.diags(scale) @ declared_at.multiply(holds).multiply(
        (bridge_weight @ bridge_of.toarray())[None, :]
    )
    right = sparse.diags(scale) @ (inside - declared_at.multiply(holds))
    return sparse.csr_matrix(left), right.toarray()


def seeking_block(profiles, taxonomy):
    """The two terms of what each seeks and the other holds (see `encode`)."""
    vocabulary = taxonomy.seeking_vocabulary()

    def columns(profile, prefix):
        return {
            (name, slug)
            for name in ("sectors", "emerging", "ecosystems", "value_chain")
            for slug in getattr(profile, prefix + name)
        }

    # |sought by i and held by j| / sqrt(|sought by i| |held by j|), a cosine: an organisation
    # that seeks several partners (a sector from one, a position from another) is fully met
    # by one that holds a part of the wish and little else. The plain share of the wish that
    # was used before gave such a partner a third and any broad organisation holding one
    # sought sector about as much, so the wish told the two apart hardly at all.
    holds = scale_rows(one_hot([columns(p, "") for p in profiles], vocabulary), 0.5)
    seeks = scale_rows(one_hot([columns(p, "seeking_") for p in profiles], vocabulary), 0.5)
    # Few organisations seek anything, and little: the sparse side is always the seeking one.
    half_seeks, dense_holds = sparse.csr_matrix(0.5 * seeks), holds.toarray()
    return (
        Block("seeking", half_seeks, dense_holds),
        Block("seeking", dense_holds, half_seeks),
    )


def encode(profiles: Sequence[OrganisationProfile], taxonomy: Taxonomy, *, text_dims=64):
    """Encode profiles into bilinear blocks, one per score component (see scoring.COMPONENTS).

    Thematic components (the relevance, see scoring.py):
    cross_sector   different sectors inside an emerging industry or ecosystem that both
                   declare: over the declared bridges b of both (an ecosystem weighted
                   ECOSYSTEM_FOCUS_WEIGHT), the share of sector pairs (s of i, t of j), s != t,
                   with s and t in b, divided by sqrt(W_i W_j), W the weight of all bridges an
                   organisation declares (so declaring everything dilutes, Cauchy-Schwarz keeps
                   it in [0, 1]). Columns are the (bridge, sector) memberships of the taxonomy.
    shared_focus   cosine of the declared emerging industries and ecosystems, an ecosystem
                   weighted ECOSYSTEM_FOCUS_WEIGHT.
    value_chain    mean over position pairs (p of i, q of j) of C[p, q] (1 one step apart,
                   0.5 two steps apart, 0 for the same position; a service position and a
                   production one SERVICE_COMPLEMENT), times the shared focus: positions only
                   complement each other in a value chain both work in, not across unrelated
                   industries (the block is gated by the shared-focus block).
    s3_objectives  cosine of the S3 policy objectives.
    seeking        half the cosine of what i seeks and what j holds, half that of what j seeks
                   and what i holds (sectors, emerging industries, ecosystems and value-chain
                   positions, declared ones; see `seeking_block`).
    text           cosine of the text vectors of description and keywords (matchmaking.text:
                   taxonomy concepts found in any language, and lemmas hashed into
                   `text_dims` buckets).
    Modulating components (geography and standing):
    international  0.5 * [different country] + 0.5 * t_i[j's country], t_i the target weights of
                   i (own country left out, see `target_weights`). left = [0.5, 0.5 (t_i - C_i)],
                   right = [1, C_j].
    partner_interest
                   t_j[i's country]: the partner is looking for partners where i is; with the
                   above, interest both ways. left = C_i, right = t_j.
    shared_markets cosine of the target countries, each weighted by its inverse document
                   frequency among all organisations' targets: two clusters heading for the same
                   markets can go together, and a market few aim at says more than Germany.
    strength       the partner's strength (see `strength_of`): left = 1, right = strength_j.
    All lie in [0, 1].
    """
    n = len(profiles)
    sectors = one_hot([p.sectors for p in profiles], taxonomy.sectors)
    cross_left, cross_right = cross_sector_block(profiles, taxonomy, sectors)

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
    seeking = seeking_block(profiles, taxonomy)

    country_index = {code: k for k, code in enumerate(taxonomy.countries)}
    country = np.array([country_index.get(p.country, -1) for p in profiles], dtype=np.int64)
    country_hot = one_hot([{p.country} for p in profiles], taxonomy.countries)
    declared_targets = one_hot(
        [p.target_countries - {p.country} for p in profiles], taxonomy.countries
    )
    targets = target_weights(declared_targets)
    international_left = sparse.hstack(
        [sparse.csr_matrix(np.full((n, 1), 0.5)), 0.5 * (targets - country_hot)]
    )
    international_right = sparse.hstack([sparse.csr_matrix(np.ones((n, 1))), country_hot])
    markets = normalise_rows(declared_targets @ sparse.diags(idf_weights(declared_targets)))

    median = median_members(profiles)
    strength = np.array([strength_of(p, median) for p in profiles])

    region_index = {code: k for k, code in enumerate(taxonomy.regions)}
    region = np.array([region_index.get(p.region, -1) for p in profiles], dtype=np.int64)
    duplicate = duplicate_space(sectors, region, len(taxonomy.regions))

    text = text_vectors([p.text for p in profiles], lemma_dims=text_dims)
    focus_block = Block("shared_focus", focus_cosine.toarray(), focus_cosine.toarray())
    blocks = (
        Block("cross_sector", cross_left, cross_right),
        focus_block,
        Block("value_chain", (chain @ chain_link).toarray(), chain.toarray(), gate=focus_block),
        Block("s3_objectives", objectives.toarray(), objectives.toarray()),
        *seeking,
        Block("text", text, text),
        # Sparse left rows (a country, a few targets): the exact pass gathers a handful of
        # entries per pair instead of a row of every country.
        Block(
            "international", sparse.csr_matrix(international_left), international_right.toarray()
        ),
        Block("partner_interest", sparse.csr_matrix(country_hot), targets.toarray()),
        Block("shared_markets", sparse.csr_matrix(markets), markets.toarray()),
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
        targets=sparse.csr_matrix(targets),
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
