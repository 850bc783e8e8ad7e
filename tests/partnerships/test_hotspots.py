import datetime as dt
import io
import json
import random
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships import hotspots
from partnerships.directory import hotspot_figures
from partnerships.enums import HotspotMeasure, LabelLevel, OrganisationType, ValidationState
from partnerships.facet_loader import build_index, bump_directory_version
from partnerships.reference import DATA_DIR
from tests.factories import (
    CountryFactory,
    EmergingIndustryFactory,
    LabelFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
)
from tests.partnerships.sql_reference import hotspot_charts, hotspot_organisations, region_totals

URL = "/regions/hotspots/"
MAP_LINK = re.compile(
    r'<a class="hotspots__region" href="([^"]*)" data-region="(\w+)" data-value="(\d+)"'
)
TABLE_ROW = re.compile(r'<tr data-region="(\w+)">.*?data-value="(\d+)"', re.S)


def nuts2_codes():
    with open(DATA_DIR / "regions.json", encoding="utf-8") as handle:
        return [row["code"] for row in json.load(handle) if row["level"] == 2]


def map_values(content):
    return {code: int(value) for _, code, value in MAP_LINK.findall(content)}


def table_values(content):
    return {code: int(value) for code, value in TABLE_ROW.findall(content)}


@pytest.fixture
def places(db):
    germany = CountryFactory(code="DE", iso_code="DE", name="Germany")
    france = CountryFactory(code="FR", iso_code="FR", name="France")
    return {
        "DE": germany,
        "FR": france,
        "DE11": RegionFactory(code="DE11", name="Stuttgart", country=germany),
        "DE21": RegionFactory(code="DE21", name="Oberbayern", country=germany),
        "FR10": RegionFactory(code="FR10", name="Ile-de-France", country=france),
    }


@pytest.fixture
def landscape(places):
    """Verified organisations in three regions, and unverified ones that must never count."""
    sector = SectoralIndustryFactory(slug="automotive", name="Automotive")
    emerging = EmergingIndustryFactory(slug="mobility-technologies", name="Mobility Technologies")
    stuttgart_a = OrganisationFactory(
        region=places["DE11"], member_employees=100, sectoral_industries=[sector]
    )
    OrganisationFactory(region=places["DE11"], member_employees=50, emerging_industries=[emerging])
    munich = OrganisationFactory(
        region=places["DE21"],
        member_employees=7,
        type=OrganisationType.SCIENCE_PARK,
        sectoral_industries=[sector],
        emerging_industries=[emerging],
    )
    paris = OrganisationFactory(region=places["FR10"], member_employees=1_000)
    for state in (ValidationState.DRAFT, ValidationState.PENDING, ValidationState.REJECTED):
        OrganisationFactory(
            region=places["DE11"],
            member_employees=9_999,
            validation_state=state,
            sectoral_industries=[sector],
            emerging_industries=[emerging],
        )
    LabelFactory(organisation=munich, level=LabelLevel.GOLD)
    LabelFactory(organisation=stuttgart_a, level=LabelLevel.BRONZE)
    today = dt.date.today()
    LabelFactory(
        organisation=paris,
        level=LabelLevel.SILVER,
        assessed_on=today - dt.timedelta(days=900),
        valid_until=today - dt.timedelta(days=1),
    )
    return {"sector": sector, "emerging": emerging}


def test_grid_covers_every_nuts2_region_exactly_once():
    grid = hotspots.load_grid()

    assert sorted(grid.cells) == sorted(nuts2_codes())
    assert len(set(grid.cells.values())) == len(grid.cells)
    assert all(
        0 <= column < grid.columns and 0 <= row < grid.rows for column, row in grid.cells.values()
    )


def test_grid_file_is_what_the_command_generates(tmp_path):
    output = tmp_path / "grid.json"

    call_command("build_hotspot_grid", output=str(output), stdout=io.StringIO())

    assert output.read_text(encoding="utf-8") == hotspots.GRID_FILE.read_text(encoding="utf-8")


def test_layout_regions_fills_country_blocks_in_code_order():
    cells = hotspots.layout_regions(
        [("AT13", "AT"), ("AT11", "AT"), ("AT12", "AT"), ("MT00", "MT")],
        blocks={"AT": (4, 2, 2), "MT": (0, 0, 1)},
    )

    assert cells == {"AT11": (4, 2), "AT12": (5, 2), "AT13": (4, 3), "MT00": (0, 0)}


def test_layout_regions_overlapping_blocks_raise():
    with pytest.raises(hotspots.GridError, match="share the cell"):
        hotspots.layout_regions(
            [("AT11", "AT"), ("AT12", "AT"), ("MT00", "MT")],
            blocks={"AT": (0, 0, 2), "MT": (1, 0, 1)},
        )


def test_layout_regions_country_without_block_raises():
    with pytest.raises(hotspots.GridError, match="No block placed for countries: MT"):
        hotspots.layout_regions([("MT00", "MT")], blocks={"AT": (0, 0, 2)})


def test_class_breaks_skewed_values_make_seven_quantile_classes():
    classes = hotspots.class_breaks([0, *range(1, 14), 500])

    assert classes == [
        hotspots.ColourClass(step=1, low=1, high=2),
        hotspots.ColourClass(step=2, low=3, high=4),
        hotspots.ColourClass(step=3, low=5, high=6),
        hotspots.ColourClass(step=4, low=7, high=8),
        hotspots.ColourClass(step=5, low=9, high=10),
        hotspots.ColourClass(step=6, low=11, high=12),
        hotspots.ColourClass(step=7, low=13, high=500),
    ]
    assert [hotspots.step_for(value, classes) for value in (0, 1, 8, 13, 500)] == [0, 1, 4, 7, 7]


def test_class_breaks_few_distinct_values_spread_over_the_scale():
    classes = hotspots.class_breaks([3, 3, 3, 40])

    assert classes == [
        hotspots.ColourClass(step=1, low=3, high=3),
        hotspots.ColourClass(step=7, low=4, high=40),
    ]
    assert hotspots.class_breaks([0, 0]) == []


def test_region_totals_count_only_verified_organisations(landscape):
    totals = region_totals(hotspot_organisations(), measure=HotspotMeasure.ORGANISATIONS)

    assert totals == {"DE11": 2, "DE21": 1, "FR10": 1}


def test_region_totals_employees_measure_sums_member_employees(landscape):
    totals = region_totals(hotspot_organisations(), measure=HotspotMeasure.EMPLOYEES)

    assert totals == {"DE11": 150, "DE21": 7, "FR10": 1_000}


def test_region_totals_apply_every_filter(landscape, places):
    count = HotspotMeasure.ORGANISATIONS

    by_sector = region_totals(hotspot_organisations(sector=landscape["sector"]), measure=count)
    by_emerging = region_totals(
        hotspot_organisations(emerging=landscape["emerging"]), measure=count
    )
    by_country = region_totals(hotspot_organisations(country=places["FR"]), measure=count)
    by_gold = region_totals(hotspot_organisations(label_level=LabelLevel.GOLD), measure=count)
    by_silver = region_totals(hotspot_organisations(label_level=LabelLevel.SILVER), measure=count)
    current = region_totals(hotspot_organisations(current_label_only=True), measure=count)
    by_type = region_totals(
        hotspot_organisations(organisation_type=OrganisationType.SCIENCE_PARK), measure=count
    )

    assert by_sector == {"DE11": 1, "DE21": 1}
    assert by_emerging == {"DE11": 1, "DE21": 1}
    assert by_country == {"FR10": 1}
    assert by_gold == {"DE21": 1}
    assert by_silver == {}
    assert current == {"DE11": 1, "DE21": 1}
    assert by_type == {"DE21": 1}


def test_hotspot_charts_count_countries_labels_and_emerging_industries(landscape):
    charts = hotspot_charts(hotspot_organisations())

    assert [(row["code"], row["value"]) for row in charts["countries"]] == [("DE", 3), ("FR", 1)]
    assert [(row["key"], row["value"]) for row in charts["current_labels"]] == [
        ("gold", 1),
        ("silver", 0),
        ("bronze", 1),
    ]
    assert charts["expired_labels"] == 1
    assert [(row["code"], row["value"]) for row in charts["emerging_industries"]] == [
        ("mobility-technologies", 2)
    ]


def test_hotspots_page_plain_get_renders_the_whole_page(client, landscape):
    response = client.get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "partnerships/hotspots.html"
    assert '<form class="hotspots__controls" method="get"' in content
    assert (
        '<input type="radio" name="measure" value="organisations" id="id_measure_0" checked>'
        in (content)
    )
    assert '<input type="radio" name="dimension" value="sectoral" id="id_dimension_0" checked>' in (
        content
    )
    assert map_values(content)["DE11"] == 2
    assert len(MAP_LINK.findall(content)) == 3
    assert "<title>Stuttgart (DE11): 2 organisations</title>" in content
    assert response["Vary"].count("HX-Request") == 1


def test_hotspots_page_htmx_request_returns_the_partial(client, landscape):
    response = client.get(URL, {"measure": "employees"}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert response.templates[0].name == "partnerships/includes/_hotspots_results.html"
    assert "<html" not in content
    assert "<form" not in content
    assert map_values(content) == {"DE11": 150, "DE21": 7, "FR10": 1_000}


def test_hotspots_page_dimension_change_swaps_the_industry_select(client, landscape):
    response = client.get(
        URL,
        {"dimension": "emerging"},
        headers={"HX-Request": "true"},
    )

    content = response.content.decode()
    assert '<div id="hotspots-industry" class="form-row" hx-swap-oob="true">' in content
    assert 'name="emerging_industry"' in content
    assert 'name="sector"' not in content


def test_hotspots_page_measure_switch_changes_map_and_table(client, landscape):
    organisations = client.get(URL).content.decode()
    employees = client.get(URL, {"measure": "employees"}).content.decode()

    assert map_values(organisations) == {"DE11": 2, "DE21": 1, "FR10": 1}
    assert map_values(employees) == {"DE11": 150, "DE21": 7, "FR10": 1_000}
    assert table_values(employees) == {"DE11": 150, "DE21": 7, "FR10": 1_000}


def test_hotspots_page_table_numbers_equal_map_numbers(client, landscape):
    content = client.get(
        URL, {"dimension": "emerging", "emerging_industry": "mobility-technologies"}
    ).content.decode()

    shown = {code: value for code, value in map_values(content).items() if value}
    assert shown == {"DE11": 1, "DE21": 1}
    assert table_values(content) == shown


def test_hotspots_page_table_sorts_by_value_or_region(client, landscape):
    by_value = client.get(URL, {"measure": "employees"}).content.decode()
    by_region = client.get(URL, {"measure": "employees", "order": "region"}).content.decode()

    assert list(table_values(by_value)) == ["FR10", "DE11", "DE21"]
    assert list(table_values(by_region)) == ["DE11", "DE21", "FR10"]


def test_hotspots_page_region_links_open_the_directory_filtered(client, landscape):
    content = client.get(
        URL, {"country": "DE", "sector": "automotive", "current_label": "on"}
    ).content.decode()

    links = {code: href for href, code, _ in MAP_LINK.findall(content)}
    assert reverse("partnerships:hotspots") == URL
    assert links["DE21"] == (
        "/organisations/?country=DE&amp;sector=automotive&amp;current_label=on&amp;region=DE21"
    )
    assert client.get(URL).content.decode().count('href="/organisations/?region=FR10"') == 2


def test_hotspots_page_sector_ignored_when_dimension_is_emerging(client, landscape):
    content = client.get(URL, {"dimension": "emerging", "sector": "automotive"}).content.decode()

    assert map_values(content) == {"DE11": 2, "DE21": 1, "FR10": 1}


def test_hotspots_page_unknown_filter_value_shows_error_and_filters_nothing(client, landscape):
    response = client.get(URL, {"country": "ZZ"})

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["country"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert map_values(content) == {"DE11": 2, "DE21": 1, "FR10": 1}


def test_hotspots_page_query_count_does_not_grow_with_organisations(client, places):
    sector = SectoralIndustryFactory(slug="automotive")
    filters = {"sector": "automotive", "measure": "employees"}
    OrganisationFactory(region=places["DE11"], sectoral_industries=[sector])
    client.get(URL, filters)  # builds the in-memory index, once per process and data version
    with CaptureQueriesContext(connection) as one:
        client.get(URL, filters)
    for region in ("DE21", "FR10"):
        organisation = OrganisationFactory(region=places[region], sectoral_industries=[sector])
        LabelFactory(organisation=organisation)
    # Factories bypass the services, which announce a new data version after their commit.
    bump_directory_version()
    client.get(URL, filters)
    with CaptureQueriesContext(connection) as three:
        response = client.get(URL, filters)

    assert map_values(response.content.decode()) == {"DE11": 12_000, "DE21": 12_000, "FR10": 12_000}
    assert len(one) == len(three) == 4


@pytest.fixture
def thirty_regions(db):
    """Thirty German regions with one verified organisation each: more than a table page."""
    germany = CountryFactory(code="DE", iso_code="DE", name="Germany")
    codes = sorted(code for code in nuts2_codes() if code.startswith("DE"))[:30]
    for code in codes:
        OrganisationFactory(region=RegionFactory(code=code, name=f"Region {code}", country=germany))
    return codes


def test_hotspots_page_region_table_shows_one_page_of_regions(client, thirty_regions):
    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": "2"}).content.decode()

    assert list(table_values(first)) == thirty_regions[:25]
    assert list(table_values(second)) == thirty_regions[25:]
    assert len(map_values(second)) == len(MAP_LINK.findall(first))
    assert "Regions 26 to 30 of 30" in second
    assert 'hx-get="?page=2" hx-target="#hotspots-regions" hx-push-url="true"' in first


def test_hotspots_page_region_table_page_link_swaps_the_table_alone(client, thirty_regions):
    response = client.get(
        URL,
        {"measure": "employees", "page": "2"},
        headers={"HX-Request": "true", "HX-Target": "hotspots-regions"},
    )

    content = response.content.decode()
    assert response.templates[0].name == "partnerships/includes/_hotspots_table.html"
    assert content.startswith('<section id="hotspots-regions"')
    assert list(table_values(content)) == thirty_regions[25:]
    assert MAP_LINK.findall(content) == []
    assert 'hx-get="?measure=employees&amp;page=1"' in content


@pytest.mark.parametrize(("page", "first"), [("x", 0), ("", 0), ("0", 25), ("-1", 25), ("99", 25)])
def test_hotspots_page_region_table_bad_page_shows_a_real_page(client, thirty_regions, page, first):
    response = client.get(URL, {"page": page})

    expected = thirty_regions[first : first + 25]
    assert response.status_code == 200
    assert list(table_values(response.content.decode())) == expected


def test_hotspots_page_sort_links_start_from_the_first_page(client, thirty_regions):
    content = client.get(URL, {"page": "2"}).content.decode()

    assert 'href="?order=region#hotspots-table"' in content
    assert "page=2&amp;order" not in content


def random_landscape(rng, places):
    sectors = [SectoralIndustryFactory() for _ in range(3)]
    emerging = [EmergingIndustryFactory() for _ in range(3)]
    regions = [places[code] for code in ("DE11", "DE21", "FR10")]
    today = dt.date.today()
    for _number in range(40):
        organisation = OrganisationFactory(
            region=rng.choice(regions),
            member_employees=rng.randrange(0, 3000),
            type=rng.choice(OrganisationType.values),
            validation_state=rng.choice(
                [ValidationState.VERIFIED] * 3 + [ValidationState.DRAFT, ValidationState.REJECTED]
            ),
            sectoral_industries=rng.sample(sectors, rng.randrange(3)),
            emerging_industries=rng.sample(emerging, rng.randrange(3)),
        )
        for level in rng.sample(LabelLevel.values, rng.randrange(3)):
            until = today + dt.timedelta(days=rng.choice([-400, -1, 0, 1, 300]))
            LabelFactory(
                organisation=organisation,
                level=level,
                assessed_on=until - dt.timedelta(days=730),
                valid_until=until,
            )
    return sectors, emerging


def test_hotspot_figures_from_the_index_equal_the_sql_on_random_data(places):
    rng = random.Random(20261124)
    sectors, emerging = random_landscape(rng, places)
    index, names = build_index()
    today = dt.date.today()
    choices = [
        {},
        {"country": places["FR"]},
        {"type": OrganisationType.CLUSTER},
        {"label_level": LabelLevel.GOLD},
        {"label_level": LabelLevel.BRONZE, "current_label": True},
        {"current_label": True},
        {"sector": sectors[0]},
        {"emerging": emerging[1], "country": places["DE"]},
    ]
    for extra in choices:
        for measure in HotspotMeasure.values:
            chosen = {
                "country": None,
                "type": "",
                "label_level": "",
                "current_label": False,
                "sector": None,
                "emerging": None,
                "measure": measure,
            } | extra
            organisations = hotspot_organisations(
                country=chosen["country"],
                organisation_type=chosen["type"],
                label_level=chosen["label_level"],
                current_label_only=chosen["current_label"],
                sector=chosen["sector"],
                emerging=chosen["emerging"],
            )

            values, charts = hotspot_figures(index, names, chosen, today=today)

            assert values == region_totals(organisations, measure=measure), extra
            assert charts == hotspot_charts(organisations), extra


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hotspots_map_updates_in_place_and_region_opens_directory(page):
    germany = CountryFactory(code="DE", iso_code="DE", name="Germany")
    stuttgart = RegionFactory(code="DE11", name="Stuttgart", country=germany)
    OrganisationFactory(region=stuttgart, member_employees=321)
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto(URL)
    # Survives only if the page is updated in place, not reloaded.
    page.evaluate("window.notReloaded = true")
    region = page.locator('a[data-region="DE11"]')
    assert region.get_attribute("data-value") == "1"
    page.get_by_label("Employees in member firms").check()
    page.wait_for_selector('a[data-region="DE11"][data-value="321"]')
    page.get_by_label("Emerging industry", exact=True).check()
    page.wait_for_selector('select[name="emerging_industry"]')

    assert page.evaluate("window.notReloaded") is True
    assert "measure=employees" in page.url
    assert "dimension=emerging" in page.url
    assert page.locator('td[data-value="321"]').count() == 1
    assert region.get_attribute("href") == "/organisations/?region=DE11"
    assert failed == []
