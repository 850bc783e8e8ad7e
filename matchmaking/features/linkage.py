"""The cross-sectoral linkage and the seeking blocks, from declared bridges."""

import numpy as np
from scipy import sparse

from .blocks import Block
from .matrices import one_hot, scale_rows
from .profiles import ECOSYSTEM_FOCUS_WEIGHT


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
