"""Reads behind the partner-search board: text search, facet counts and sorting.

The board lists open searches only (published, deadline not passed), whoever asks; an
author finds their drafts and closed searches on their own list (see
partnerships.queries.partner_search for what each person may open). On PostgreSQL the
text search runs on the stored vector the services keep (accents folded, as in the
directory); on SQLite it falls back to the folded columns.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Func, Q, Value
from django.utils import timezone

from partnerships.directory import FacetOption
from partnerships.enums import PartnerSearchState
from partnerships.models import PartnerSearch
from partnerships.textfold import fold_text

SEARCH_CONFIG = "portal_search"
PAGE_SIZE = 20
TEXT_FIELDS = ("title", "description")

# Facet name -> (relation on PartnerSearch, the value the URL carries, the label shown).
FACETS = {
    "country": ("countries", "code", "name"),
    "sector": ("seeking_sectors", "slug", "name"),
    "emerging_industry": ("seeking_emerging", "slug", "name"),
    "ecosystem": ("seeking_ecosystems", "slug", "name"),
    "value_chain": ("seeking_value_chain", "slug", "name"),
}


class BoardSort:
    NEWEST = "newest"
    DEADLINE = "deadline"
    RELEVANCE = "relevance"


def open_partner_searches(*, today=None):
    """What the board, its feed and the API list: published and still taking answers."""
    return PartnerSearch.objects.filter(
        state=PartnerSearchState.PUBLISHED, deadline__gte=today or timezone.localdate()
    )


def search(searches, text):
    """Searches matching `text`, annotated with a `rank` (0 where there is no ranking)."""
    text = text.strip()
    if not text:
        return searches
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return searches.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    searches = searches.annotate(
        **{f"folded_{name}": Func(F(name), function="fold_text") for name in TEXT_FIELDS},
        folded_author=Func(F("author__name"), function="fold_text"),
    )
    for word in text.split():
        folded = fold_text(word)
        searches = searches.filter(
            Q(folded_title__contains=folded)
            | Q(folded_description__contains=folded)
            | Q(folded_author__contains=folded)
        )
    return searches.annotate(rank=Value(0.0))


def ordered(searches, sort, *, searching):
    if sort == BoardSort.RELEVANCE and searching:
        return searches.order_by("-rank", "-published_at", "-id")
    if sort == BoardSort.DEADLINE:
        return searches.order_by("deadline", "-published_at", "-id")
    return searches.order_by("-published_at", "-id")


def with_board_relations(searches):
    """Everything a card on the board shows, in a fixed number of queries."""
    return (
        searches.select_related("author__country", "call")
        .prefetch_related(*(relation for relation, _value, _label in FACETS.values()))
        .annotate(interest_count=Count("interests", distinct=True))
    )


def facet_options(filters, selected):
    """For each facet, its values with the number of searches each would give, counted over
    the other facets' choices (so ticking a box in a group never empties the group)."""
    facets = {}
    for name, (relation, value_field, label_field) in FACETS.items():
        rows = (
            filters.without(name)
            .order_by()
            .values(f"{relation}__{value_field}", f"{relation}__{label_field}")
            .annotate(count=Count("pk", distinct=True))
            .filter(**{f"{relation}__isnull": False})
        )
        chosen = set(selected.get(name, ()))
        options = [
            FacetOption(
                str(row[f"{relation}__{value_field}"]),
                str(row[f"{relation}__{label_field}"]),
                row["count"],
                str(row[f"{relation}__{value_field}"]) in chosen,
            )
            for row in rows
        ]
        facets[name] = sorted(options, key=lambda option: option.label)
    return facets
