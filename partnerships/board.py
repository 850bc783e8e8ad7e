"""Reads behind the partner-search board: what a person may see, text search, facet counts.

The board lists open searches only (published, deadline not passed), whoever asks; an
author finds their drafts and closed searches on their own list. A closed or expired search
stays readable at its address, so links in e-mails and feeds keep working. On PostgreSQL the
text search runs on the stored vector the services keep (accents folded, as in the
directory); on SQLite it falls back to the folded columns.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, Exists, F, Func, OuterRef, Prefetch, Q, Value
from django.utils import timezone

from partnerships.directory import FacetOption
from partnerships.enums import PartnerSearchState
from partnerships.models import (
    OrganisationMembership,
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchInterest,
)
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


def partner_searches_for_user(user):
    """Every search `user` may open: published once, their organisations' own, all for staff."""
    searches = PartnerSearch.objects.all()
    if user is not None and user.is_authenticated and user.is_active and user.is_staff:
        return searches
    public = Q(published_at__isnull=False)
    if user is None or not user.is_authenticated or not user.is_active:
        return searches.filter(public)
    own = OrganisationMembership.objects.filter(organisation=OuterRef("author_id"), user=user)
    return searches.filter(public | Exists(own))


def partner_searches_of_member(user):
    """The searches of the organisations `user` manages, newest first, drafts included."""
    if not user.is_authenticated:
        return PartnerSearch.objects.none()
    return (
        PartnerSearch.objects.filter(author__memberships__user=user)
        .select_related("author", "call")
        .annotate(interest_count=Count("interests", distinct=True))
        .order_by("-updated_at", "-id")
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


def with_detail_relations(searches):
    return searches.select_related("author__country", "author__region", "call").prefetch_related(
        *(relation for relation, _value, _label in FACETS.values()),
        Prefetch(
            "comments",
            queryset=PartnerSearchComment.objects.select_related("author").order_by(
                "created_at", "id"
            ),
        ),
    )


def interests_of(search):
    """The organisations interested in `search`, side by side, with what they bring."""
    return list(
        PartnerSearchInterest.objects.filter(search=search)
        .select_related("organisation__country", "organisation__region", "created_by")
        .prefetch_related(
            "value_chain",
            "organisation__sectoral_industries",
            "organisation__labels",
        )
        .order_by("created_at", "id")
    )


def is_following(search, user):
    return user.is_authenticated and search.follows.filter(user=user).exists()


def interested_organisations_of(user, search):
    """Which of `user`'s organisations have already answered `search`."""
    if not user.is_authenticated:
        return set()
    return set(
        search.interests.filter(organisation__memberships__user=user).values_list(
            "organisation_id", flat=True
        )
    )
