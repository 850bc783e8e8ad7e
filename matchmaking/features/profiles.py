"""The encoder's inputs: organisation profiles, the taxonomy, and the weights it applies."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

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
