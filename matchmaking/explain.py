"""Why a partner was recommended: short reasons as (code, params) a template can render.

Pure core, no Django: the template translates each code (e.g. "cross_sector" becomes "both in
Mobility Technologies, from different sectors") and fills in the names from the params.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from matchmaking.features import OrganisationProfile, Taxonomy
from matchmaking.scoring import PENALTY
from matchmaking.text import shared_terms

MAX_TERMS = 5


@dataclass(frozen=True)
class Reason:
    code: str
    contribution: float
    params: dict = field(default_factory=dict)


def explain(
    source: OrganisationProfile,
    partner: OrganisationProfile,
    contributions: Mapping[str, float],
    taxonomy: Taxonomy,
    *,
    idf: Mapping[str, float] | None = None,
):
    """Reasons for recommending `partner` to `source`, largest contribution first.

    Components that contributed nothing are left out; the near-duplicate penalty, when it
    applied, comes last with its negative contribution. The contributions of the reasons sum
    to the score. `idf` (text.term_idf over the texts being shown) ranks the shared terms the
    text reason quotes.
    """
    builders = {
        "cross_sector": _cross_sector,
        "shared_focus": _shared_focus,
        "value_chain": _value_chain,
        "s3_objectives": _s3_objectives,
        "text": lambda source, partner, taxonomy: _text(source, partner, taxonomy, idf=idf),
        "international": _international,
        "partner_interest": _partner_interest,
        "shared_markets": _shared_markets,
        "strength": _strength,
        PENALTY: _duplicate,
    }
    reasons = []
    for name, contribution in contributions.items():
        if contribution != 0:
            code, params = builders[name](source, partner, taxonomy)
            reasons.append(Reason(code=code, contribution=float(contribution), params=params))
    return sorted(reasons, key=lambda reason: (-reason.contribution, reason.code))


def _cross_sector(source, partner, taxonomy):
    links = sorted(
        (own, theirs, kind, bridge)
        for own in source.sectors
        for theirs in partner.sectors
        if own != theirs
        for kind, bridge in taxonomy.bridges(own) & taxonomy.bridges(theirs)
    )
    own, theirs, kind, bridge = links[0]
    return "cross_sector", {
        "own_sector": own,
        "partner_sector": theirs,
        "bridge_kind": kind,
        "bridge": bridge,
    }


def _shared_focus(source, partner, taxonomy):
    return "shared_focus", {
        "emerging": sorted(source.emerging & partner.emerging),
        "ecosystems": sorted(source.ecosystems & partner.ecosystems),
    }


def _value_chain(source, partner, taxonomy):
    order = {slug: k for k, slug in enumerate(taxonomy.value_chain)}
    # The scorer's own matrix, so a service position counts here exactly as it scores.
    complements = taxonomy.value_chain_matrix()
    complementing = sorted(
        (theirs for theirs in partner.value_chain if theirs in order),
        key=order.__getitem__,
    )
    complementing = [
        theirs
        for theirs in complementing
        if any(
            complements[order[own], order[theirs]] > 0 for own in source.value_chain if own in order
        )
    ]
    return "value_chain", {
        "own_positions": sorted(source.value_chain, key=lambda slug: order.get(slug, -1)),
        "partner_positions": complementing,
    }


def _s3_objectives(source, partner, taxonomy):
    return "s3_objectives", {"objectives": sorted(source.objectives & partner.objectives)}


def _text(source, partner, taxonomy, *, idf=None):
    """The most distinctive terms both descriptions use, in the source's words: concepts
    match across languages, stop words never count (see matchmaking.text)."""
    return "text", {"terms": shared_terms(source.text, partner.text, idf=idf, limit=MAX_TERMS)}


def _international(source, partner, taxonomy):
    if partner.country in source.target_countries and partner.country != source.country:
        return "target_country", {"country": partner.country}
    return "different_country", {"country": partner.country}


def _partner_interest(source, partner, taxonomy):
    return "partner_interest", {"country": partner.country, "own_country": source.country}


def _shared_markets(source, partner, taxonomy):
    shared = (source.target_countries - {source.country}) & (
        partner.target_countries - {partner.country}
    )
    return "shared_markets", {"countries": sorted(shared)}


def _strength(source, partner, taxonomy):
    return "strength", {"label_rank": partner.label_rank, "members": partner.members}


def _duplicate(source, partner, taxonomy):
    return "near_duplicate", {
        "region": partner.region,
        "sectors": sorted(source.sectors & partner.sectors),
    }
