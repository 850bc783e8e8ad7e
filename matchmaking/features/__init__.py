"""Encode organisation profiles once into the matrices the scorer multiplies.

Pure core: plain dataclasses in, NumPy/SciPy arrays out, no Django and no ORM, so the encoder
can be tested and benchmarked alone. A service loads profiles from the database and calls
`encode`.

Every component of the match score is bilinear, ``component(i, j) = left[i] @ right[j]``, so a
chunk of rows is scored against all organisations with one matrix product per side of the score
(see scoring for how the thematic relevance and the geographic modulation combine). The left
side of a block is dense, or sparse where an organisation fills a handful of a few hundred
columns (the declared bridges of the cross-sectoral linkage, what it seeks): a sparse-by-dense
product then costs a few multiplications per pair instead of hundreds. The near-duplicate
penalty lives in a sparse (region x sector) space where the product stays sparse and cheap.
"""

from .blocks import Block, EncodedProfiles
from .encoder import duplicate_space, encode
from .linkage import cross_sector_block, declared_bridges, seeking_block
from .matrices import (
    idf_weights,
    median_members,
    normalise_rows,
    one_hot,
    scale_rows,
    strength_of,
    target_weights,
    tokens,
)
from .profiles import (
    ECOSYSTEM_FOCUS_WEIGHT,
    FULL_SIZE_MEMBERS,
    MAX_LABEL_RANK,
    SERVICE_COMPLEMENT,
    TARGET_BUDGET,
    TOKEN_RE,
    VALUE_CHAIN_STEP_WEIGHTS,
    OrganisationProfile,
    Taxonomy,
)

__all__ = [
    "Block",
    "ECOSYSTEM_FOCUS_WEIGHT",
    "EncodedProfiles",
    "FULL_SIZE_MEMBERS",
    "MAX_LABEL_RANK",
    "OrganisationProfile",
    "SERVICE_COMPLEMENT",
    "TARGET_BUDGET",
    "TOKEN_RE",
    "Taxonomy",
    "VALUE_CHAIN_STEP_WEIGHTS",
    "cross_sector_block",
    "declared_bridges",
    "duplicate_space",
    "encode",
    "idf_weights",
    "median_members",
    "normalise_rows",
    "one_hot",
    "scale_rows",
    "seeking_block",
    "strength_of",
    "target_weights",
    "tokens",
]
