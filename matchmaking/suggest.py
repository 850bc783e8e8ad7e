"""Suggest partners for a consortium: a small set that together covers what the call asks.

Pure core over the arrays of `features.encode`: no Django, no ORM. A shell (queries/) loads
the pool, picks the rows of the lead, the consortium and the eligible candidates, and turns
the picks into sentences.

The lead is scored against every organisation with the scoring core's own bilinear blocks
(one product per block), then partners are chosen greedily. Each step takes the candidate
with the largest gain:

    gain = score to the lead
         + COUNTRY_GAIN  if it adds a country while the consortium spans fewer than
                         min_countries
         + THEME_GAIN    for each of the call's themes that nobody in the consortium covers yet

A country is worth a whole relevance (at most 1, see scoring): it outweighs any difference
of relevance, and of scores short of partners that are both highly relevant and raised by
strong geography (a score reaches 1 + the modulators' weights only at a relevance of 1), so a
missing country is filled before a better-scored partner from a country already in. Picking
goes on until the consortium has `min_partners` partners; after that only a candidate that
still adds a missing country or theme is taken, and never more than `EXTRA_PARTNERS` beyond
the partners the call asks for. Equal gains (after rounding to `RANK_DECIMALS`) go to the
better score, then to the lower row (the lower id).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matchmaking.features import EncodedProfiles, OrganisationProfile, Taxonomy, encode, one_hot
from matchmaking.scoring import (
    COMPONENTS,
    PENALTY,
    RANK_DECIMALS,
    listable,
    score_chunk,
    weighted_contributions,
)

COUNTRY_GAIN = 1.0
THEME_GAIN = 0.5
# Suggestions beyond the partners the call still needs, taken only to cover what is missing.
EXTRA_PARTNERS = 3

# The kinds of call themes; matchmaking.enums.ThemeKind gives them their display names.
SECTOR, EMERGING, OBJECTIVE = "sector", "emerging", "objective"


@dataclass(frozen=True)
class Theme:
    """One theme of a call: a sectoral industry, an emerging industry or an S3 objective."""

    kind: str
    slug: str


@dataclass(frozen=True)
class Pick:
    """One chosen row, with what it adds: country and theme columns newly covered."""

    row: int
    score: float
    gain: float
    countries: tuple[int, ...]
    themes: tuple[int, ...]


@dataclass(frozen=True)
class Pool:
    """Every organisation as the suggester sees it; row k is `encoded.ids[k]`.

    `themes` maps each kind of theme to a CSR one-hot over its vocabulary (the taxonomy's
    column order); `types` holds organisation types, `label_rank` 0 (none) to 3 (gold),
    `verified` whether the profile is verified.
    """

    encoded: EncodedProfiles
    taxonomy: Taxonomy
    themes: dict
    types: np.ndarray
    label_rank: np.ndarray
    verified: np.ndarray

    @property
    def size(self):
        return self.encoded.size

    def rows_of(self, ids):
        """Row of each id (ids absent from the pool are left out), in the order given."""
        ids = np.asarray(list(ids), dtype=np.int64)
        if self.size == 0 or len(ids) == 0:
            return np.zeros(0, dtype=np.int64)
        rows = np.searchsorted(self.encoded.ids, ids).clip(max=self.size - 1)
        return rows[self.encoded.ids[rows] == ids]

    def theme_matrix(self, themes: Sequence[Theme]):
        """n x len(themes) booleans: does organisation i hold theme t."""
        vocabulary = {
            SECTOR: self.taxonomy.sectors,
            EMERGING: self.taxonomy.emerging,
            OBJECTIVE: self.taxonomy.objectives,
        }
        columns = []
        for theme in themes:
            try:
                column = vocabulary[theme.kind].index(theme.slug)
            except ValueError:
                columns.append(np.zeros(self.size, dtype=bool))
                continue
            columns.append(self.themes[theme.kind][:, column].toarray().ravel() > 0)
        if not columns:
            return np.zeros((self.size, 0), dtype=bool)
        return np.column_stack(columns)

    def eligible(self, *, types=(), label_required=False):
        """Who may join: verified, of one of `types` (any when empty), labelled if required."""
        mask = self.verified.copy()
        if types:
            mask &= np.isin(self.types, list(types))
        if label_required:
            mask &= self.label_rank > 0
        return mask


def build_pool(profiles: Sequence[OrganisationProfile], taxonomy: Taxonomy, *, types, verified):
    """Encode profiles (sorted by id) and keep the theme memberships the suggester needs."""
    order = sorted(range(len(profiles)), key=lambda k: profiles[k].id)
    profiles = [profiles[k] for k in order]
    encoded = encode(profiles, taxonomy)
    return Pool(
        encoded=encoded,
        taxonomy=taxonomy,
        themes={
            SECTOR: sparse.csc_matrix(encoded.sectors),
            EMERGING: sparse.csc_matrix(one_hot([p.emerging for p in profiles], taxonomy.emerging)),
            OBJECTIVE: sparse.csc_matrix(
                one_hot([p.objectives for p in profiles], taxonomy.objectives)
            ),
        },
        types=np.asarray([types[k] for k in order], dtype=object),
        label_rank=np.array([p.label_rank for p in profiles], dtype=np.int64),
        verified=np.asarray([verified[k] for k in order], dtype=bool),
    )


def choose_partners(
    scores,
    country,
    themes,
    *,
    eligible,
    consortium,
    min_partners,
    min_countries,
    max_partners=None,
):
    """Greedy picks (see the module docstring) as a list of `Pick`, in the order chosen.

    scores      (n,) each organisation's score as a partner of the lead
    country     (n,) country column of each organisation, -1 when unknown
    themes      (n, T) booleans, organisation i holds call theme t
    eligible    (n,) booleans, who may join (the consortium is excluded whatever it says)
    consortium  rows already in: the lead first, then the partners
    min_partners, min_countries  the call's rules (partners besides the lead)
    max_partners  at most this many picks; by default what the call still needs plus
                  EXTRA_PARTNERS
    """
    scores = np.asarray(scores, dtype=np.float64)
    country = np.asarray(country, dtype=np.int64)
    themes = np.asarray(themes, dtype=bool)
    n = len(scores)
    if themes.ndim != 2 or themes.shape[0] != n:
        raise ValueError("themes must have one row per organisation.")
    consortium = np.asarray(consortium, dtype=np.int64)
    needed = max(min_partners - (len(consortium) - 1), 0)
    limit = needed + EXTRA_PARTNERS if max_partners is None else max_partners

    available = np.asarray(eligible, dtype=bool).copy()
    available[consortium] = False
    available &= np.isfinite(scores)
    covered_countries = np.zeros(max(int(country.max(initial=-1)) + 1, 1), dtype=bool)
    known = country[consortium][country[consortium] >= 0]
    covered_countries[known] = True
    covered_themes = themes[consortium].any(axis=0)
    rounded_scores = np.round(scores, RANK_DECIMALS)

    picks = []
    while len(picks) < limit and available.any():
        missing_countries = min_countries - int(covered_countries.sum())
        adds_country = (country >= 0) & ~covered_countries[np.maximum(country, 0)]
        adds_country &= missing_countries > 0
        adds_themes = themes[:, ~covered_themes].sum(axis=1)
        candidates = (
            available if len(picks) < needed else available & (adds_country | (adds_themes > 0))
        )
        if not candidates.any():
            break
        gain = scores + COUNTRY_GAIN * adds_country + THEME_GAIN * adds_themes
        best = _best(np.round(gain, RANK_DECIMALS), rounded_scores, candidates)
        new_themes = tuple(int(t) for t in np.flatnonzero(themes[best] & ~covered_themes))
        new_country = (int(country[best]),) if adds_country[best] else ()
        picks.append(
            Pick(
                row=best,
                score=float(scores[best]),
                gain=float(gain[best]),
                countries=new_country,
                themes=new_themes,
            )
        )
        available[best] = False
        if country[best] >= 0:
            covered_countries[country[best]] = True
        covered_themes |= themes[best]
    return picks


def _best(gain, scores, candidates):
    """The candidate with the largest gain, then the largest score, then the lowest row: two
    max reductions instead of a sort, since only the first is needed."""
    tied = candidates & (gain == np.max(gain, where=candidates, initial=-np.inf))
    tied &= scores == np.max(scores, where=tied, initial=-np.inf)
    return int(np.argmax(tied))


@dataclass(frozen=True)
class Suggestion:
    """A suggested partner: its pool row and id, score, the signed weighted contribution of
    each score component (as in a stored recommendation) and what it adds to the consortium."""

    row: int
    id: int
    score: float
    contributions: dict
    countries: tuple[str, ...]
    themes: tuple[Theme, ...]


def lead_scores(encoded: EncodedProfiles, weights, lead):
    """The lead's score with every organisation as partner, and the weighted contributions.

    One product per block for all organisations at once (the scoring core's `score_chunk`);
    contributions are signed like `scoring.exact_contributions`, so they sum to the score. The
    score is -inf for a partner the scoring core would not list (`scoring.listable`).
    """
    components = {name: values[0] for name, values in score_chunk(encoded, [lead]).items()}
    contributions = weighted_contributions(components, weights)
    scores = sum(contributions.values())
    # A partner below the relevance floor is never suggested, whatever it would add.
    scores[~listable(contributions)] = -np.inf
    scores[lead] = -np.inf
    return scores, contributions


def suggest(
    pool: Pool,
    weights,
    *,
    lead,
    partners=(),
    themes: Sequence[Theme] = (),
    eligible=None,
    min_partners,
    min_countries,
    max_partners=None,
):
    """Suggested partners for a consortium, best first as chosen.

    `lead` is the lead's row, `partners` the rows already in the consortium, `eligible` a
    mask of who may join (everyone verified by default), `themes` the call's themes.
    """
    weights = {name: float(weights.get(name, 0.0)) for name in (*COMPONENTS, PENALTY)}
    scores, contributions = lead_scores(pool.encoded, weights, lead)
    matrix = pool.theme_matrix(themes)
    picks = choose_partners(
        scores,
        pool.encoded.country,
        matrix,
        eligible=pool.verified if eligible is None else eligible,
        consortium=[lead, *partners],
        min_partners=min_partners,
        min_countries=min_countries,
        max_partners=max_partners,
    )
    countries = pool.taxonomy.countries
    return [
        Suggestion(
            row=pick.row,
            id=int(pool.encoded.ids[pick.row]),
            score=pick.score,
            contributions={name: float(values[pick.row]) for name, values in contributions.items()},
            countries=tuple(countries[c] for c in pick.countries),
            themes=tuple(themes[t] for t in pick.themes),
        )
        for pick in picks
    ]
