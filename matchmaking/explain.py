"""Why a partner was recommended: short reasons as (code, params) a template can render.

Pure core, no Django: the template translates each code (e.g. "cross_sector" becomes "both in
Mobility Technologies, from different sectors") and fills in the names from the params.

Every reason is true for both sides: "both in X" names only a theme both declared, a
complementary value chain only positions one side holds and the other does not that meet in the
chain (a service position meets every production one), "established" only a labelled partner or
one above the median size (the strength component is zero otherwise, see
features.strength_of).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from matchmaking.features import OrganisationProfile, Taxonomy
from matchmaking.scoring import PENALTY, THEMATIC
from matchmaking.text import shared_terms

MAX_TERMS = 5
# Reasons a page shows for one partner, strongest first (the API returns them all).
SHOWN_REASONS = 3
# Bands of the relevance (the weighted mean of the thematic components, see scoring) as a
# person reads it. Over the listed partners of a demo run at 10,000 organisations (seed 2016) the
# relevance has quartiles 0.45 / 0.52 / 0.58: about four in ten listed partners read "strong",
# half "good", one in ten "fair".
BANDS = (("strong", 0.55), ("good", 0.40), ("fair", 0.0))


@dataclass(frozen=True)
class Reason:
    code: str
    contribution: float
    params: dict = field(default_factory=dict)
    # The score component the reason stands for ("" where none is known).
    component: str = ""


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
        "seeking": _seeking,
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
            reasons.append(
                Reason(code=code, contribution=float(contribution), params=params, component=name)
            )
    return sorted(reasons, key=lambda reason: (-reason.contribution, reason.code))


def strongest(reasons, count=SHOWN_REASONS):
    """The `count` strongest reasons, what the two do together before where the partner is,
    then the near-duplicate penalty if it applied.

    Geography and standing only raise a relevant partner (see scoring), so a page never
    opens a partner's reasons with its country while a thematic reason is there to say why.
    """
    positive = [reason for reason in reasons if reason.contribution > 0]
    thematic = [reason for reason in positive if reason.component in THEMATIC]
    others = [reason for reason in positive if reason.component not in THEMATIC]
    return (thematic + others)[:count] + [r for r in reasons if r.contribution < 0]


def band(contributions: Mapping[str, float]):
    """ "strong", "good" or "fair": the relevance of a listed partner as a person reads it."""
    relevance = sum(contributions.get(name, 0.0) for name in THEMATIC)
    return next(name for name, low in BANDS if relevance >= low)


def declared(profile):
    """The emerging industries and ecosystems a profile declares, as (kind, slug) pairs."""
    return {("emerging", slug) for slug in profile.emerging} | {
        ("ecosystem", slug) for slug in profile.ecosystems
    }


def _cross_sector(source, partner, taxonomy):
    shared = declared(source) & declared(partner)
    links = sorted(
        (own, theirs, kind, bridge)
        for own in source.sectors
        for theirs in partner.sectors
        if own != theirs
        for kind, bridge in taxonomy.bridges(own) & taxonomy.bridges(theirs) & shared
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

    def ordered(slugs):
        return sorted(slugs, key=lambda slug: order.get(slug, len(order)))

    # Different positions that meet in the chain, one of them held by one side only: two
    # organisations at the very same positions do not complement each other.
    meeting = [
        (own, theirs)
        for own in source.value_chain
        for theirs in partner.value_chain
        if own != theirs
        and (own not in partner.value_chain or theirs not in source.value_chain)
        and taxonomy.complement(own, theirs) > 0
    ]
    if not meeting:
        # Neighbouring positions both hold: the same stretch of the chain, not complementary.
        return "same_chain", {"positions": ordered(source.value_chain & partner.value_chain)}
    return "value_chain", {
        "own_positions": ordered({own for own, _theirs in meeting}),
        "partner_positions": ordered({theirs for _own, theirs in meeting}),
    }


def _s3_objectives(source, partner, taxonomy):
    return "s3_objectives", {"objectives": sorted(source.objectives & partner.objectives)}


def _seeking(source, partner, taxonomy):
    def found(seeker, holder):
        return {
            "sectors": sorted(seeker.seeking_sectors & holder.sectors),
            "emerging": sorted(seeker.seeking_emerging & holder.emerging),
            "ecosystems": sorted(seeker.seeking_ecosystems & holder.ecosystems),
            "value_chain": sorted(seeker.seeking_value_chain & holder.value_chain),
        }

    return "seeking", {"sought": found(source, partner), "offered": found(partner, source)}


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
