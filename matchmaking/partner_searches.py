"""Partner searches scored by the engine: "partner searches for you" on the dashboard, and
why each interested organisation fits a search, on its author's list of answers.

A search is scored like its author's profile plus what it seeks: the author's profile with the
search's sought themes and value-chain roles added to what the author seeks, its countries to
the author's target countries and its words to the author's text. The search is the source and
the reader's organisation the partner, the direction of a recommendation made to the author.

`score_pairs` is the pure core (profiles in, contributions out, no ORM); the functions below
it load the profiles and turn contributions into sentences.
"""

from dataclasses import dataclass, replace

import numpy as np
from django.db.models import Q

from matchmaking.enums import DEFAULT_WEIGHT_PROFILES, WeightProfileName
from matchmaking.explain import explain
from matchmaking.features import OrganisationProfile, Taxonomy, encode
from matchmaking.queries import (
    scoring_profiles,
    taxonomy_from_db,
    vocabulary_names,
    weights_for_call,
)
from matchmaking.scoring import listable, score_chunk, weighted_contributions
from matchmaking.sentences import band_label, sentences
from matchmaking.text import term_idf
from partnerships.board import open_partner_searches
from partnerships.models import Organisation, PartnerSearchInterest
from partnerships.queries import organisations_of_member

# Searches on the dashboard; the board lists them all.
FOR_YOU = 5


@dataclass(frozen=True)
class Wants:
    """What one search adds to its author's profile: slugs, country codes and its words."""

    sectors: frozenset[str] = frozenset()
    emerging: frozenset[str] = frozenset()
    ecosystems: frozenset[str] = frozenset()
    value_chain: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    text: str = ""


def search_profile(author: OrganisationProfile, wants: Wants, *, row_id: int):
    """The author's profile seeking what the search seeks as well; `row_id` names the row
    (a search is not an organisation, so it gets an id of its own, negative by convention)."""
    return replace(
        author,
        id=row_id,
        seeking_sectors=author.seeking_sectors | wants.sectors,
        seeking_emerging=author.seeking_emerging | wants.emerging,
        seeking_ecosystems=author.seeking_ecosystems | wants.ecosystems,
        seeking_value_chain=author.seeking_value_chain | wants.value_chain,
        target_countries=author.target_countries | wants.countries,
        text=f"{wants.text} {author.text}",
    )


@dataclass(frozen=True)
class Pair:
    search: int  # index into the sources
    partner: int  # index into the partners
    score: float
    contributions: dict


def score_pairs(sources, partners, taxonomy: Taxonomy, weights_of_source):
    """Every listable (source, partner) pair with its score and signed contributions.

    `weights_of_source[i]` holds the weights of source i (a search for a call is scored with
    the call's profile). Pairs below the relevance floor or scoring nothing are left out, as
    on the recommendation lists; a source never pairs with its own author.
    """
    if not sources or not partners:
        return []
    encoded = encode([*sources, *partners], taxonomy)
    components = score_chunk(encoded, np.arange(len(sources)))
    columns = slice(len(sources), len(sources) + len(partners))
    pairs = []
    for i, source in enumerate(sources):
        row = {name: np.asarray(values)[i, columns] for name, values in components.items()}
        contributions = weighted_contributions(row, weights_of_source[i])
        keep = listable(contributions)
        scores = sum(contributions.values())
        for j in np.flatnonzero(keep):
            if partners[j].id == source.id:
                continue
            pairs.append(
                Pair(
                    search=i,
                    partner=int(j),
                    score=float(scores[j]),
                    contributions={name: float(value[j]) for name, value in contributions.items()},
                )
            )
    return pairs


def _slugs(relation):
    return frozenset(item.slug for item in relation.all())


def wants_of(search):
    return Wants(
        sectors=_slugs(search.seeking_sectors),
        emerging=_slugs(search.seeking_emerging),
        ecosystems=_slugs(search.seeking_ecosystems),
        value_chain=_slugs(search.seeking_value_chain),
        countries=frozenset(country.code for country in search.countries.all()),
        text=f"{search.title} {search.description}",
    )


def _weights(search):
    if search.call is not None:
        return weights_for_call(search.call)[0]
    return dict(DEFAULT_WEIGHT_PROFILES[WeightProfileName.DEFAULT])


def _with_wants(searches):
    return searches.select_related("author__country", "call").prefetch_related(
        "seeking_sectors",
        "seeking_emerging",
        "seeking_ecosystems",
        "seeking_value_chain",
        "countries",
    )


def _sources(searches):
    authors, _eligible = scoring_profiles(
        organisations=Organisation.objects.filter(pk__in={s.author_id for s in searches})
    )
    by_id = {profile.id: profile for profile in authors}
    return [search_profile(by_id[s.author_id], wants_of(s), row_id=-s.pk) for s in searches]


def searches_for(user, *, limit=FOR_YOU):
    """The open searches that fit `user`'s organisations best, each with the organisation it
    fits, how well (in words) and why. Searches of their own organisations, and those their
    organisations already answered, are left out."""
    own = list(organisations_of_member(user).values_list("pk", flat=True))
    if not own:
        return []
    searches = list(
        _with_wants(
            open_partner_searches()
            .exclude(author_id__in=own)
            .exclude(Q(interests__organisation_id__in=own))
            .distinct()
        )
    )
    if not searches:
        return []
    partners, _eligible = scoring_profiles(organisations=Organisation.objects.filter(pk__in=own))
    sources = _sources(searches)
    taxonomy = taxonomy_from_db()
    pairs = score_pairs(sources, partners, taxonomy, [_weights(s) for s in searches])
    best = {}
    for pair in pairs:
        if pair.search not in best or pair.score > best[pair.search].score:
            best[pair.search] = pair
    chosen = sorted(best.values(), key=lambda pair: (-pair.score, searches[pair.search].pk))[:limit]
    return _explained(chosen, searches, sources, partners, taxonomy)


def _explained(pairs, searches, sources, partners, taxonomy):
    if not pairs:
        return []
    names = vocabulary_names()
    idf = term_idf([profile.text for profile in (*sources, *partners)])
    organisations = Organisation.objects.in_bulk([partners[pair.partner].id for pair in pairs])
    rows = []
    for pair in pairs:
        reasons = explain(
            sources[pair.search], partners[pair.partner], pair.contributions, taxonomy, idf=idf
        )
        rows.append(
            {
                "search": searches[pair.search],
                "organisation": organisations[partners[pair.partner].id],
                "band": band_label(pair.contributions),
                "reasons": sentences(reasons, names),
            }
        )
    return rows


def interest_reasons(search):
    """organisation id -> {"band", "reasons"} for each organisation interested in `search`
    that the engine finds relevant; the others are missing from the mapping."""
    search = _with_wants(type(search).objects.filter(pk=search.pk)).get()
    interested = Organisation.objects.filter(
        pk__in=PartnerSearchInterest.objects.filter(search=search).values("organisation_id")
    )
    partners, _eligible = scoring_profiles(organisations=interested)
    sources = _sources([search])
    taxonomy = taxonomy_from_db()
    pairs = score_pairs(sources, partners, taxonomy, [_weights(search)])
    rows = _explained(pairs, [search], sources, partners, taxonomy)
    return {row["organisation"].pk: row for row in rows}
