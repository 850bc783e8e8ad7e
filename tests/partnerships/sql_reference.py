"""The directory's and hotspots' numbers computed in SQL, the slow obvious way.

The portal computes them from the in-memory index (partnerships/facets.py); tests compare
the two on random data, as the matchmaking tests compare the fast scorer with a slow one.
"""

from django.db.models import Case, Count, Exists, Max, OuterRef, Q, Sum, Value, When
from django.utils import timezone

from partnerships.directory import (
    MEMBERS_TOTAL,
    _options,
    current_labels,
    size_band_condition,
)
from partnerships.enums import (
    LABEL_RANK,
    HotspotMeasure,
    LabelLevel,
    OrganisationType,
    SizeBand,
    ValidationState,
)
from partnerships.models import Label, Organisation


def hotspot_organisations(
    *,
    country=None,
    organisation_type="",
    label_level="",
    current_label_only=False,
    sector=None,
    emerging=None,
    on=None,
):
    """Verified organisations narrowed by the directory's filters, for the hotspots map.

    Industry and label filters are EXISTS subqueries rather than joins, so an organisation
    is never counted twice and the grouped queries on top stay one row per organisation.
    """
    organisations = Organisation.objects.filter(validation_state=ValidationState.VERIFIED)
    if country is not None:
        organisations = organisations.filter(country=country)
    if organisation_type:
        organisations = organisations.filter(type=organisation_type)
    # As in the directory: a label level means a current label of that level.
    if label_level or current_label_only:
        labels = Label.objects.filter(
            organisation=OuterRef("pk"), valid_until__gte=on or timezone.localdate()
        )
        if label_level:
            labels = labels.filter(level=label_level)
        organisations = organisations.filter(Exists(labels))
    if sector is not None:
        through = Organisation.sectoral_industries.through
        organisations = organisations.filter(
            Exists(through.objects.filter(organisation=OuterRef("pk"), sectoralindustry=sector))
        )
    if emerging is not None:
        through = Organisation.emerging_industries.through
        organisations = organisations.filter(
            Exists(through.objects.filter(organisation=OuterRef("pk"), emergingindustry=emerging))
        )
    return organisations


def region_totals(organisations, *, measure):
    """{NUTS-2 code: value} in one grouped query; regions without any are left out."""
    value = Sum("member_employees") if measure == HotspotMeasure.EMPLOYEES else Count("pk")
    rows = organisations.order_by().values("region_id").annotate(value=value)
    return {row["region_id"]: row["value"] for row in rows if row["value"]}


def hotspot_charts(organisations, *, on=None):
    """Organisations per country, per best current label and per emerging industry.

    Three grouped queries whatever the data. An organisation counts once under its best
    current label; one whose labels have all run out counts as expired.
    """
    day = on or timezone.localdate()
    countries = (
        organisations.order_by()
        .values("country_id", "country__name")
        .annotate(value=Count("pk"))
        .order_by("-value", "country__name")
    )
    # Grouped over the labels of the chosen organisations rather than an EXISTS per level
    # and organisation: one pass over the label table, a tenth of the time at 100,000.
    rank = Case(
        *(When(level=level, then=Value(value)) for level, value in LABEL_RANK.items()),
        default=Value(0),
    )
    gold, silver, bronze = LabelLevel.GOLD, LabelLevel.SILVER, LabelLevel.BRONZE
    labels = (
        Label.objects.filter(organisation__in=organisations.order_by().values("pk"))
        .order_by()
        .values("organisation_id")
        .annotate(best=Max(Case(When(valid_until__gte=day, then=rank), default=Value(0))))
        .aggregate(
            **{
                level.value: Count("organisation_id", filter=Q(best=LABEL_RANK[level]))
                for level in (gold, silver, bronze)
            },
            expired=Count("organisation_id", filter=Q(best=0)),
        )
    )
    through = Organisation.emerging_industries.through
    emerging = (
        through.objects.filter(organisation__in=organisations.order_by().values("pk"))
        .values("emergingindustry__slug", "emergingindustry__name")
        .annotate(value=Count("organisation_id"))
        .order_by("-value", "emergingindustry__name")
    )
    return {
        "countries": [
            {
                "key": "",
                "code": row["country_id"],
                "label": row["country__name"],
                "value": row["value"],
            }
            for row in countries
        ],
        "current_labels": [
            {"key": level.value, "label": level.label, "value": labels[level.value]}
            for level in (gold, silver, bronze)
        ],
        "expired_labels": labels["expired"],
        "emerging_industries": [
            {
                "key": "",
                "code": row["emergingindustry__slug"],
                "label": row["emergingindustry__name"],
                "value": row["value"],
            }
            for row in emerging
        ],
    }


def _grouped(organisations, value_field, label_field):
    rows = (
        organisations.order_by()
        .values_list(value_field, label_field)
        .annotate(count=Count("pk"))
        .order_by(label_field)
    )
    return list(rows)


def _linked(organisations, relation):
    field = Organisation._meta.get_field(relation)
    through = field.remote_field.through
    target = field.m2m_reverse_field_name()
    rows = (
        through.objects.filter(organisation_id__in=organisations.order_by().values("pk"))
        .values_list(f"{target}__slug", f"{target}__name")
        .annotate(count=Count("organisation_id"))
        .order_by(f"{target}__name")
    )
    return list(rows)


def facet_counts(organisations_without, selected, *, on=None):
    """Counts for every facet group, one aggregate query per group.

    `organisations_without(name)` is the filtered set without facet `name`'s own filter (the
    usual faceting rule: choosing Germany must not hide the count of France), and `selected`
    maps each facet to the values chosen in it.
    """
    day = on or timezone.localdate()

    def chosen(name):
        return {str(value) for value in selected.get(name) or ()}

    types = dict(
        organisations_without("type").order_by().values_list("type").annotate(count=Count("pk"))
    )
    sizes = (
        organisations_without("size")
        .alias(members_count=MEMBERS_TOTAL)
        .aggregate(
            **{band.value: Count("pk", filter=size_band_condition(band)) for band in SizeBand}
        )
    )
    labelled = current_labels(on=day).filter(
        organisation_id__in=organisations_without("label_level").order_by().values("pk")
    )
    levels = dict(
        labelled.order_by()
        .values_list("level")
        .annotate(count=Count("organisation_id", distinct=True))
    )
    current = (
        current_labels(on=day)
        .filter(organisation_id__in=organisations_without("current_label").order_by().values("pk"))
        .aggregate(count=Count("organisation_id", distinct=True))["count"]
    )
    return {
        "country": _options(
            _grouped(organisations_without("country"), "country_id", "country__name"),
            chosen("country"),
        ),
        "region": _options(
            _grouped(organisations_without("region"), "region_id", "region__name"),
            chosen("region"),
        ),
        "sector": _options(
            _linked(organisations_without("sector"), "sectoral_industries"), chosen("sector")
        ),
        "emerging_industry": _options(
            _linked(organisations_without("emerging_industry"), "emerging_industries"),
            chosen("emerging_industry"),
        ),
        "ecosystem": _options(
            _linked(organisations_without("ecosystem"), "ecosystems"), chosen("ecosystem")
        ),
        "label_level": _options(
            [(level.value, level.label, levels.get(level.value, 0)) for level in LabelLevel],
            chosen("label_level"),
            keep_empty=True,
        ),
        "current_label": current,
        "type": _options(
            [(kind.value, kind.label, types.get(kind.value, 0)) for kind in OrganisationType],
            chosen("type"),
            keep_empty=True,
        ),
        "size": _options(
            [(band.value, band.label, sizes[band.value]) for band in SizeBand],
            chosen("size"),
            keep_empty=True,
        ),
    }
