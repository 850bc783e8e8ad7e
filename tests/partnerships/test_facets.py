import datetime as dt
import random

import numpy as np
import pytest
from django.utils import timezone

from partnerships import directory
from partnerships.enums import LabelLevel, OrganisationType, SizeBand, ValidationState
from partnerships.facet_loader import build_index, directory_index
from partnerships.facets import NO_LABEL, FacetIndex, Links
from partnerships.filters import DirectoryFilter
from tests.factories import (
    CountryFactory,
    EcosystemFactory,
    EmergingIndustryFactory,
    LabelFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
)
from tests.partnerships import sql_reference

TODAY = 740_000
BANDS = {"small": (0, 50), "medium": (51, 150), "large": (151, 300), "very_large": (301, None)}
LEVELS = ("bronze", "silver", "gold")
MULTI = ("sector", "emerging_industry", "ecosystem")


def random_index(rng, size):
    vocab = {
        "country": [f"C{code}" for code in range(6)],
        "region": [f"R{code}" for code in range(15)],
        "type": list(OrganisationType.values),
        "size": list(BANDS),
        "label_level": list(LEVELS),
        "sector": [f"s{code}" for code in range(9)],
        "emerging_industry": [f"e{code}" for code in range(5)],
        "ecosystem": [f"y{code}" for code in range(7)],
    }
    linked = {group: [] for group in MULTI}
    for group in MULTI:
        for row in range(size):
            for code in rng.sample(range(len(vocab[group])), rng.randint(0, 3)):
                linked[group].append((row, code))
    label_until = {
        level: np.array(
            [
                rng.choice([NO_LABEL, TODAY - rng.randint(1, 400), TODAY, TODAY + 1])
                for _row in range(size)
            ],
            dtype=np.int32,
        )
        for level in LEVELS
    }
    index = FacetIndex(
        ids=np.array(sorted(rng.sample(range(1, 10 * size), size)), dtype=np.int64),
        country=np.array([rng.randrange(6) for _row in range(size)], dtype=np.int32),
        region=np.array([rng.randrange(15) for _row in range(size)], dtype=np.int32),
        type=np.array([rng.randrange(5) for _row in range(size)], dtype=np.int32),
        members=np.array([rng.choice([0, 50, 51, 150, 151, 300, 301, 999]) for _ in range(size)]),
        member_employees=np.array([rng.randrange(5000) for _row in range(size)], dtype=np.int64),
        # Few distinct values, so the sorts must break ties.
        created=np.array([rng.randrange(4) for _row in range(size)], dtype=np.int64),
        name_rank=np.array(rng.sample(range(size), size), dtype=np.int64),
        label_until=label_until,
        links={
            group: Links.from_pairs(
                [row for row, _code in pairs], [code for _row, code in pairs], size=size
            )
            for group, pairs in linked.items()
        },
        vocab=vocab,
        size_bands=BANDS,
    )
    return index, linked


def reference_matches(index, linked, row, group, values):
    """The filter rules written out for one row, the way the SQL states them."""
    if group in ("country", "region", "type"):
        return index.vocab[group][getattr(index, group)[row]] in values
    if group in MULTI:
        return any(index.vocab[group][code] in values for r, code in linked[group] if r == row)
    if group == "label_level":
        return any(index.label_until[level][row] >= TODAY for level in values)
    if group == "current_label":
        return any(index.label_until[level][row] >= TODAY for level in LEVELS)
    low, high = zip(*(BANDS[band] for band in values), strict=True)
    members = index.members[row]
    return any(
        members >= lo and (hi is None or members <= hi) for lo, hi in zip(low, high, strict=True)
    )


def random_selection(rng, index):
    selection = {}
    for group in ("country", "region", "type", "size", "label_level", *MULTI):
        if rng.random() < 0.35:
            selection[group] = rng.sample(index.vocab[group], rng.randint(1, 2))
    if rng.random() < 0.3:
        selection["current_label"] = ["on"]
    return selection


@pytest.mark.parametrize("seed", range(25))
def test_facet_index_masks_counts_and_orders_equal_a_row_by_row_reference(seed):
    rng = random.Random(seed)
    size = 300
    index, linked = random_index(rng, size)
    selection = random_selection(rng, index)
    within = np.array([rng.random() < 0.7 for _row in range(size)])

    def rows_matching(skip=None):
        return [
            row
            for row in range(size)
            if within[row]
            and all(
                reference_matches(index, linked, row, group, values)
                for group, values in selection.items()
                if group != skip
            )
        ]

    mask = index.mask(selection, today=TODAY, within=within)
    counts = index.counts(selection, today=TODAY, within=within)

    matching = rows_matching()
    assert np.flatnonzero(mask).tolist() == matching
    for group in ("country", "region", "type"):
        rows = rows_matching(skip=group)
        expected = [
            sum(getattr(index, group)[r] == code for r in rows)
            for code in range(len(index.vocab[group]))
        ]
        assert counts[group].tolist() == expected
        assert int(counts[group].sum()) == len(rows)
    for group in MULTI:
        rows = set(rows_matching(skip=group))
        expected = [
            sum(1 for r, c in linked[group] if c == code and r in rows)
            for code in range(len(index.vocab[group]))
        ]
        assert counts[group].tolist() == expected
    rows = rows_matching(skip="label_level")
    assert counts["label_level"].tolist() == [
        sum(index.label_until[level][r] >= TODAY for r in rows) for level in LEVELS
    ]
    assert counts["current_label"] == sum(
        reference_matches(index, linked, r, "current_label", ["on"])
        for r in rows_matching(skip="current_label")
    )
    rows = rows_matching(skip="size")
    assert counts["size"].tolist() == [
        sum(reference_matches(index, linked, r, "size", [band]) for r in rows) for band in BANDS
    ]
    assert index.ordered(mask, "name").tolist() == sorted(
        matching, key=lambda r: index.name_rank[r]
    )
    assert index.ordered(mask, "size").tolist() == sorted(
        matching, key=lambda r: (-index.members[r], index.name_rank[r])
    )
    assert index.ordered(mask, "newest").tolist() == sorted(
        matching, key=lambda r: (-index.created[r], -index.ids[r])
    )
    ranks = np.array([rng.choice([0.1, 0.2, 0.3]) for _row in matching])
    assert index.by_relevance(matching, ranks).tolist() == [
        row
        for _rank, _name, row in sorted(
            zip(-ranks, (index.name_rank[r] for r in matching), matching, strict=True)
        )
    ]


def test_facet_index_locate_skips_ids_it_does_not_hold():
    index, _linked = random_index(random.Random(1), 10)
    wanted = [int(index.ids[3]), -5, int(index.ids[0]), int(index.ids[-1]) + 1]

    rows, found = index.locate(wanted)

    assert rows.tolist() == [3, 0]
    assert found.tolist() == [True, False, True, False]


@pytest.mark.django_db
def test_directory_index_equals_the_sql_filters_on_random_organisations():
    rng = random.Random(7)
    today = timezone.localdate()
    countries = [CountryFactory(code=code) for code in ("DE", "FR", "IT")]
    regions = [RegionFactory(country=country) for country in countries for _n in range(2)]
    sectors = [SectoralIndustryFactory() for _n in range(4)]
    emerging = [EmergingIndustryFactory() for _n in range(3)]
    ecosystems = [EcosystemFactory() for _n in range(3)]
    states = [ValidationState.VERIFIED] * 5 + [ValidationState.DRAFT, ValidationState.PENDING]
    for _number in range(45):
        organisation = OrganisationFactory(
            # Repeated names make the name sort fall back on the id.
            name=f"Org {rng.randrange(20):02d}",
            region=rng.choice(regions),
            type=rng.choice(OrganisationType.values),
            validation_state=rng.choice(states),
            members_smes=rng.choice([0, 20, 51, 149, 160, 301]),
            members_large=rng.choice([0, 1]),
            members_research=0,
            members_public=0,
            sectoral_industries=rng.sample(sectors, rng.randint(0, 2)),
            emerging_industries=rng.sample(emerging, rng.randint(0, 2)),
            ecosystems=rng.sample(ecosystems, rng.randint(0, 2)),
        )
        for _label in range(rng.randint(0, 2)):
            until = today + dt.timedelta(days=rng.choice([-30, -1, 0, 1, 400]))
            LabelFactory(
                organisation=organisation,
                level=rng.choice(LabelLevel.values),
                assessed_on=until - dt.timedelta(days=700),
                valid_until=until,
            )
    index, names = build_index()
    choices = {
        "country": ["DE", "FR", "IT"],
        "region": [region.code for region in regions],
        "sector": [item.slug for item in sectors],
        "emerging_industry": [item.slug for item in emerging],
        "ecosystem": [item.slug for item in ecosystems],
        "label_level": LabelLevel.values,
        "type": OrganisationType.values,
        "size": SizeBand.values,
    }

    for _query in range(30):
        data = {
            group: rng.sample(values, rng.randint(1, 2))
            for group, values in choices.items()
            if rng.random() < 0.3
        }
        if rng.random() < 0.3:
            data["current_label"] = "on"
        data["q"] = rng.choice(["", "", "org", "org 05", "cluster"])
        data["sort"] = rng.choice(["relevance", "name", "size", "newest"])
        filters = DirectoryFilter(data)
        selected = filters.selected()

        ids, counts = directory.find(
            index, selected=selected, text=data["q"], sort=data["sort"], today=today
        )

        expected = directory.ordered(filters.qs, data["sort"], searching=bool(data["q"]))
        assert ids.tolist() == list(expected.values_list("pk", flat=True))
        assert directory.facet_options(index, names, counts, selected) == (
            sql_reference.facet_counts(filters.without, selected, on=today)
        )


@pytest.mark.django_db
def test_directory_label_expiring_tonight_leaves_current_tomorrow_without_a_rebuild():
    today = timezone.localdate()
    region = RegionFactory()
    expiring = OrganisationFactory(name="Expiring", region=region)
    LabelFactory(
        organisation=expiring,
        level=LabelLevel.GOLD,
        assessed_on=today - dt.timedelta(days=700),
        valid_until=today,
    )
    OrganisationFactory(name="Unlabelled", region=region)
    index, names = directory_index()
    chosen = {"current_label": ["on"]}

    ids_today, counts_today = directory.find(
        index, selected=chosen, text="", sort="name", today=today
    )
    ids_tomorrow, counts_tomorrow = directory.find(
        index, selected=chosen, text="", sort="name", today=today + dt.timedelta(days=1)
    )

    assert directory_index()[0] is index
    assert ids_today.tolist() == [expiring.pk]
    assert ids_tomorrow.tolist() == []
    assert counts_today["current_label"] == 1
    assert counts_tomorrow["current_label"] == 0
    assert counts_today["label_level"].tolist() == [0, 0, 1]
    assert counts_tomorrow["label_level"].tolist() == [0, 0, 0]
