"""Reads behind the public organisation directory: search, facet filters, facet counts, sorting.

The directory lists verified organisations only, whoever asks: a manager finds their own
drafts on the dashboard, never here. On PostgreSQL the search runs on the stored, indexed
`search_vector` that a trigger keeps up to date (the page's search on a narrow copy of the
verified organisations' vectors); on SQLite it falls back to icontains.

A page is served from the in-memory `FacetIndex` (filters, counts, sorts, paging); only the
text search and the twenty rows of the page come from the database. The queryset filters
below are the SQL statement of the same rules: the CSV export's tests and the index's
equality test hold the two to each other.
"""

from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Func, Prefetch, Q, Value
from django.utils import timezone

from partnerships.enums import (
    SIZE_BAND_BOUNDS,
    HotspotMeasure,
    LabelLevel,
    MemberType,
    OrganisationType,
    SizeBand,
    ValidationState,
)
from partnerships.models import Label, Organisation
from partnerships.models.localised import active_language
from partnerships.queries import current_label
from partnerships.textfold import fold_text

# Must match the configuration the search trigger uses (migration 0008: English, unaccented).
SEARCH_CONFIG = "portal_search"
SEARCH_FIELDS = ("name", "acronym", "keywords", "description")
# Verified organisations' search vectors only, kept by the triggers of migration 0005.
SEARCH_TABLE = "partnerships_organisation_search"
PAGE_SIZE = 20

LISTING_DEFERRED = ("description", "keywords", "search_vector", "rejection_reason")


class DirectorySort:
    RELEVANCE = "relevance"
    NAME = "name"
    SIZE = "size"
    NEWEST = "newest"


# The same expression as the size index of migration 0003, so PostgreSQL can use that index.
MEMBERS_TOTAL = sum((F(member_type) for member_type in MemberType.values[1:]), F(MemberType.SMES))


def public_organisations():
    """Everything the directory may list: verified organisations, for every visitor."""
    return Organisation.objects.filter(validation_state=ValidationState.VERIFIED)


def uses_full_text():
    return connection.vendor == "postgresql"


def search(organisations, text):
    """Organisations matching `text`, annotated with a `rank` (0 where there is no ranking)."""
    text = text.strip()
    if not text:
        return organisations
    if uses_full_text():
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return organisations.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    # Every word must appear somewhere, as with the full-text search, accents and case
    # folded on both sides (fold_text is registered on each SQLite connection).
    organisations = organisations.annotate(
        **{f"folded_{field}": Func(F(field), function="fold_text") for field in SEARCH_FIELDS}
    )
    for word in text.split():
        matches = Q()
        for field in SEARCH_FIELDS:
            matches |= Q(**{f"folded_{field}__contains": fold_text(word)})
        organisations = organisations.filter(matches)
    return organisations.annotate(rank=Value(0.0))


def in_countries(organisations, codes):
    return organisations.filter(country_id__in=codes)


def in_regions(organisations, codes):
    return organisations.filter(region_id__in=codes)


def of_types(organisations, types):
    return organisations.filter(type__in=types)


def with_taxonomy(organisations, relation, ids):
    """Organisations linked through the many-to-many `relation` to any of `ids`.

    A semi-join on the link table rather than a join, so no row comes back twice and the
    query needs no DISTINCT.
    """
    field = Organisation._meta.get_field(relation)
    through = field.remote_field.through
    target = field.m2m_reverse_field_name()
    links = through.objects.filter(**{f"{target}__in": ids}).values("organisation_id")
    return organisations.filter(pk__in=links)


def current_labels(*, on=None):
    return Label.objects.filter(valid_until__gte=on or timezone.localdate())


def holding_current_label(organisations, *, levels=None, on=None):
    """Organisations with a label valid on `on`, of one of `levels` when given."""
    labels = current_labels(on=on)
    if levels:
        labels = labels.filter(level__in=levels)
    return organisations.filter(pk__in=labels.values("organisation_id"))


def size_band_condition(band):
    low, high = SIZE_BAND_BOUNDS[band]
    condition = Q(members_count__gte=low)
    if high is not None:
        condition &= Q(members_count__lte=high)
    return condition


def in_size_bands(organisations, bands):
    condition = Q()
    for band in bands:
        condition |= size_band_condition(band)
    return organisations.alias(members_count=MEMBERS_TOTAL).filter(condition)


def ordered(organisations, sort, *, searching):
    """Apply a `DirectorySort`; relevance only means something while searching."""
    if sort == DirectorySort.RELEVANCE and not searching:
        sort = DirectorySort.NAME
    if sort == DirectorySort.RELEVANCE:
        return organisations.order_by("-rank", "name", "id")
    if sort == DirectorySort.SIZE:
        return organisations.annotate(members_count=MEMBERS_TOTAL).order_by(
            F("members_count").desc(), "name", "id"
        )
    if sort == DirectorySort.NEWEST:
        return organisations.order_by("-created_at", "-id")
    return organisations.order_by("name", "id")


def default_sort(*, searching):
    return DirectorySort.RELEVANCE if searching else DirectorySort.NAME


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


def listing(organisations):
    """The rows a result page or the CSV export shows, prefetched in a fixed number of queries.

    Long texts and the search vector stay in the database: neither the page nor the export
    shows them, and they make up most of a row's bytes.
    """
    return (
        organisations.select_related("country", "region")
        .defer(*LISTING_DEFERRED)
        .prefetch_related(
            "sectoral_industries",
            "emerging_industries",
            Prefetch("labels", queryset=Label.objects.order_by("-valid_until", "-id")),
        )
    )


def with_current_labels(organisations, *, on=None):
    """Pairs of (organisation, its best current label or None) from prefetched labels."""
    return [(organisation, current_label(organisation, on=on)) for organisation in organisations]


def search_ids(text, *, ranked):
    """Ids of the public organisations matching `text`, and their ranks when `ranked`.

    Only the ids travel: the other filters, the counts and the sort run on the index.
    """
    text = text.strip()
    if uses_full_text() and text:
        return _full_text_ids(text, ranked=ranked)
    matches = search(public_organisations(), text).order_by()
    columns = ("id", "rank") if ranked else ("id",)
    # Thousands of plain number pairs: straight from the cursor, without a model layer per row.
    sql, params = matches.values_list(*columns).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, len(columns))
    ranks = rows[:, 1] if ranked else np.zeros(len(rows), dtype=np.float64)
    return rows[:, 0].astype(np.int64), ranks


def _full_text_ids(text, *, ranked):
    # The narrow side table of migration 0005 holds the verified organisations only, and the
    # same ts_rank over the same vector as `search` keeps the order. Both lists come back as
    # one text each: for a common word that is 13,000 rows the driver need not build.
    rank = "string_agg(ts_rank(vector, query)::text, ',')" if ranked else "NULL"
    sql = (
        f"SELECT string_agg(organisation_id::text, ','), {rank} "
        f"FROM {SEARCH_TABLE}, websearch_to_tsquery(%s::regconfig, %s) AS query "
        "WHERE vector @@ query"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (SEARCH_CONFIG, text))
        ids, ranks = cursor.fetchone()
    if ids is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    ids = np.array(ids.split(","), dtype=np.int64)
    # float4 prints its shortest exact digits, so these are the values the driver would give.
    ranks = np.array(ranks.split(","), dtype=np.float64) if ranked else np.zeros(len(ids))
    return ids, ranks


def find(index, *, selected, text, sort, today):
    """Search, filter and sort on `index`: the ordered ids and the raw facet counts."""
    searching = bool(text.strip())
    if sort == DirectorySort.RELEVANCE and not searching:
        sort = DirectorySort.NAME
    ordinal = today.toordinal()
    within = ranks = rows = None
    if searching:
        ids, ranks = search_ids(text, ranked=sort == DirectorySort.RELEVANCE)
        rows, found = index.locate(ids)
        ranks = ranks[found]
        within = np.zeros(len(index), dtype=bool)
        within[rows] = True
    mask = index.mask(selected, today=ordinal, within=within)
    if sort == DirectorySort.RELEVANCE:
        keep = mask[rows]
        order = index.by_relevance(rows[keep], ranks[keep])
    else:
        order = index.ordered(mask, sort)
    counts = index.counts(selected, today=ordinal, within=within)
    return index.ids[order], counts


def _options(rows, selected, *, keep_empty=False):
    return [
        FacetOption(str(value), str(label), count, str(value) in selected)
        for value, label, count in rows
        if keep_empty or count or str(value) in selected
    ]


def facet_options(index, names, counts, selected):
    """The index's raw counts as the page's `FacetOption` lists, one list per facet group."""

    def chosen(name):
        return {str(value) for value in selected.get(name) or ()}

    facets = {}
    # The vocabularies are in the order of the English names; translated ones are sorted again.
    resort = active_language() != settings.LANGUAGE_CODE
    for group in ("country", "region", "sector", "emerging_industry", "ecosystem"):
        values = index.vocab[group]
        options = _options(
            [
                (values[code], names[group][values[code]], int(counts[group][code]))
                for code in np.flatnonzero(counts[group])
            ],
            chosen(group),
        )
        if resort and group != "region":
            options.sort(key=lambda option: fold_text(option.label))
        facets[group] = options
    for group, choices in (
        ("label_level", LabelLevel),
        ("type", OrganisationType),
        ("size", SizeBand),
    ):
        positions = {value: code for code, value in enumerate(index.vocab[group])}
        facets[group] = _options(
            [
                (choice.value, choice.label, int(counts[group][positions[choice.value]]))
                for choice in choices
            ],
            chosen(group),
            keep_empty=True,
        )
    facets["current_label"] = counts["current_label"]
    return facets


def page_rows(ids):
    """The public organisations of `ids` in that order, with everything a row shows."""
    ids = [int(pk) for pk in ids]
    found = listing(public_organisations().filter(pk__in=ids)).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def hotspot_selection(chosen):
    """The hotspots form's choices as a `FacetIndex` selection: the directory's own filters."""
    selection = {}
    if chosen["country"] is not None:
        selection["country"] = [chosen["country"].code]
    if chosen["type"]:
        selection["type"] = [chosen["type"]]
    if chosen["label_level"]:
        selection["label_level"] = [chosen["label_level"]]
    if chosen["current_label"]:
        selection["current_label"] = [True]
    if chosen["sector"] is not None:
        selection["sector"] = [chosen["sector"].slug]
    if chosen["emerging"] is not None:
        selection["emerging_industry"] = [chosen["emerging"].slug]
    return selection


def _chart_rows(vocab, names, counts):
    # Vocabularies are in name order, so a stable sort by count keeps ties alphabetical.
    codes = np.flatnonzero(counts)
    codes = codes[np.argsort(-counts[codes], kind="stable")]
    return [
        {"key": "", "code": vocab[code], "label": names[vocab[code]], "value": int(counts[code])}
        for code in codes
    ]


def hotspot_figures(index, names, chosen, *, today):
    """The hotspots map's {region code: value} and its charts, from the in-memory index.

    The same numbers as the SQL in tests/partnerships/sql_reference.py over
    the organisations, without a pass over the organisation table.
    """
    mask = index.mask(hotspot_selection(chosen), today=today.toordinal())
    weights = index.member_employees if chosen["measure"] == HotspotMeasure.EMPLOYEES else None
    totals = index.totals("region", mask, weights=weights)
    regions = index.vocab["region"]
    values = {regions[code]: int(totals[code]) for code in np.flatnonzero(totals)}
    levels, expired = index.best_labels(
        mask, today=today.toordinal(), levels=[str(level) for level in LabelLevel]
    )
    charts = {
        "countries": _chart_rows(
            index.vocab["country"], names["country"], index.totals("country", mask)
        ),
        "current_labels": [
            {"key": level.value, "label": level.label, "value": levels[level.value]}
            for level in reversed(LabelLevel)
        ],
        "expired_labels": expired,
        "emerging_industries": _chart_rows(
            index.vocab["emerging_industry"],
            names["emerging_industry"],
            index.linked_totals("emerging_industry", mask),
        ),
    }
    return values, charts
