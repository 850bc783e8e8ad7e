"""Partner suggestions for a call expression's consortium, and the call's themes."""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Lower

from matchmaking.enums import (
    DEFAULT_WEIGHT_PROFILES,
    ThemeKind,
    WeightProfileName,
    profile_name_for_call,
)
from matchmaking.explain import explain
from matchmaking.models import (
    WeightProfile,
)
from matchmaking.sentences import band_label, gain_sentences, sentences
from matchmaking.suggest import EMERGING, OBJECTIVE, SECTOR, Theme, suggest
from matchmaking.text import term_idf
from partnerships.directory import public_organisations
from partnerships.enums import PartnerState
from partnerships.models import (
    Organisation,
)

from .profiles import scoring_profiles
from .recommendations import vocabulary_names

# Partner suggestions for a consortium ----------------------------------------------------------


def weights_for_call(call):
    """The weights that score partners for `call`: its type's profile as staff last saved it,
    or the shipped weights when the profile was never stored."""
    name = profile_name_for_call(call.type)
    profile = WeightProfile.objects.filter(slug=name).first()
    return (profile.weights if profile else dict(DEFAULT_WEIGHT_PROFILES[name])), name


def call_themes(call, expression=None):
    """The call's themes; when the call names none, the expression's own thematic focus."""
    relations = (
        (SECTOR, "sectoral_industries"),
        (EMERGING, "emerging_industries"),
        (OBJECTIVE, "policy_objectives"),
    )
    themes = [
        Theme(kind, slug)
        for kind, relation in relations
        for slug in getattr(call, relation).order_by("slug").values_list("slug", flat=True)
    ]
    if themes or expression is None:
        return themes
    return [
        Theme(kind, item.slug)
        for kind, relation in relations
        for item in sorted(getattr(expression, relation).all(), key=lambda item: item.slug)
    ]


def consortium_ids(expression):
    """(lead and live partners, every organisation ever invited): ids of the consortium, and
    the organisations the suggestions leave out (the lead, and partners also when declined)."""
    partners = list(expression.partners.all())
    live = [p.organisation_id for p in partners if p.state != PartnerState.DECLINED]
    return [expression.lead_id, *live], {expression.lead_id, *(p.organisation_id for p in partners)}


@dataclass
class ConsortiumSuggestions:
    """What the suggestions page shows: the picks with their reasons, and the coverage of
    countries and themes before and after them."""

    profile: str
    rows: list
    min_partners: int
    min_countries: int
    partners_now: int
    countries_now: list
    countries_after: list
    themes: list  # (name, kind label, covered now, covered after)

    @property
    def partners_after(self):
        return self.partners_now + len(self.rows)

    @property
    def complete(self):
        """Whether the consortium already meets the call's partner, country and theme needs."""
        return (
            self.partners_now >= self.min_partners
            and len(self.countries_now) >= self.min_countries
            and all(now for _name, _kind, now, _after in self.themes)
        )


THEME_NAMES = {
    SECTOR: "sectoralindustry",
    EMERGING: "emergingindustry",
    OBJECTIVE: "policyobjective",
}


def partner_suggestions(expression, *, pool):
    """Suggested partners for an expression's consortium, from an up-to-date `pool` that holds
    the lead and its partners (feature_loader.suggestion_pool)."""
    call = expression.call
    weights, profile = weights_for_call(call)
    themes = call_themes(call, expression)
    members, excluded = consortium_ids(expression)
    member_rows = pool.rows_of(members)
    eligible = pool.eligible(types=call.eligible_types, label_required=call.label_required)
    eligible[pool.rows_of(excluded)] = False
    picks = suggest(
        pool,
        weights,
        lead=int(member_rows[0]),
        partners=member_rows[1:],
        themes=themes,
        eligible=eligible,
        min_partners=call.min_partners,
        min_countries=call.min_countries,
    )

    names = vocabulary_names()
    picked = Organisation.objects.select_related("country", "region").in_bulk(
        [pick.id for pick in picks]
    )
    # A pool being refreshed may still hold an organisation deleted since.
    picks = [pick for pick in picks if pick.id in picked]
    profiles, _eligible = scoring_profiles(
        organisations=Organisation.objects.filter(pk__in=[expression.lead_id, *picked])
    )
    by_id = {item.id: item for item in profiles}
    idf = term_idf([item.text for item in profiles])
    invite_names = _invite_names(picked.values())
    rows = []
    for pick in picks:
        reasons = explain(
            by_id[expression.lead_id], by_id[pick.id], pick.contributions, pool.taxonomy, idf=idf
        )
        rows.append(
            {
                "organisation": picked[pick.id],
                "score": pick.score,
                "band": band_label(pick.contributions),
                "reasons": sentences(reasons, names),
                "adds": gain_sentences(pick, names),
                "invite_name": invite_names[pick.id],
            }
        )

    countries = pool.taxonomy.countries
    country_rows = pool.encoded.country[member_rows]
    now = sorted({countries[c] for c in country_rows if c >= 0})
    after = sorted(set(now) | {code for pick in picks for code in pick.countries})
    held = pool.theme_matrix(themes)[member_rows].any(axis=0)
    added = {theme for pick in picks for theme in pick.themes}
    country_names = names["country"]
    return ConsortiumSuggestions(
        profile=WeightProfileName(profile).label,
        rows=rows,
        min_partners=call.min_partners,
        min_countries=call.min_countries,
        partners_now=len(members) - 1,
        countries_now=sorted(country_names.get(code, code) for code in now),
        countries_after=sorted(country_names.get(code, code) for code in after),
        themes=[
            (
                names[THEME_NAMES[theme.kind]].get(theme.slug, theme.slug),
                ThemeKind(theme.kind).label,
                bool(held[k]),
                bool(held[k]) or theme in added,
            )
            for k, theme in enumerate(themes)
        ],
    )


def _invite_names(organisations):
    """organisation id -> what to type in the invite form to name it and nobody else: its name,
    or its acronym when another verified organisation bears the same name."""
    organisations = list(organisations)
    shared = set(
        public_organisations()
        .annotate(lowered=Lower("name"))
        .filter(lowered__in={o.name.lower() for o in organisations})
        .values("lowered")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .values_list("lowered", flat=True)
    )
    return {
        o.pk: o.acronym if o.name.lower() in shared and o.acronym else o.name for o in organisations
    }
