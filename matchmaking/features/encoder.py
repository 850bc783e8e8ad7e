"""`encode`: profiles into the bilinear blocks of every score component."""

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from matchmaking.text import text_vectors

from .blocks import Block, EncodedProfiles
from .linkage import cross_sector_block, seeking_block
from .matrices import (
    idf_weights,
    median_members,
    normalise_rows,
    one_hot,
    scale_rows,
    strength_of,
    target_weights,
)
from .profiles import ECOSYSTEM_FOCUS_WEIGHT, OrganisationProfile, Taxonomy


def encode(profiles: Sequence[OrganisationProfile], taxonomy: Taxonomy, *, text_dims=64):
    """Encode profiles into bilinear blocks, one per score component (see scoring.COMPONENTS).

    Thematic components (the relevance, see scoring):
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
