import io
import json
import shutil
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from partnerships.models import (
    Country,
    Ecosystem,
    EmergingIndustry,
    PolicyObjective,
    Region,
    S3Priority,
    SectoralIndustry,
    ValueChainPosition,
)
from partnerships.reference import (
    DATA_DIR,
    DATA_FILES,
    build_region_rows,
    load_reference_data,
    read_data_file,
)
from tests.factories import (
    CountryFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
)

EU_27 = {
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "EL",
    "ES",
    "FI",
    "FR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
}


def snapshot():
    """Every reference row and link, as plain values, to compare two loads."""
    return {
        "countries": list(Country.objects.order_by("code").values_list()),
        "regions": list(Region.objects.order_by("code").values_list()),
        "sectors": list(SectoralIndustry.objects.order_by("slug").values_list()),
        "emerging": list(
            EmergingIndustry.objects.order_by("slug", "sectoral_industries__slug").values_list(
                "slug", "name", "description", "sectoral_industries__slug"
            )
        ),
        "ecosystems": list(
            Ecosystem.objects.order_by("slug", "sectoral_industries__slug").values_list(
                "slug", "name", "description", "sectoral_industries__slug"
            )
        ),
        "positions": list(ValueChainPosition.objects.order_by("slug").values_list()),
        "priorities": list(
            S3Priority.objects.order_by("region_id", "title").values_list(
                "region_id", "title", "description", "policy_objective__slug"
            )
        ),
        "objectives": list(PolicyObjective.objects.order_by("slug").values_list()),
    }


@pytest.mark.django_db
def test_load_reference_data_creates_every_row_of_the_files():
    results = load_reference_data()

    region_levels = Counter(row["level"] for row in read_data_file("regions"))
    assert SectoralIndustry.objects.count() == 51
    assert EmergingIndustry.objects.count() == 10
    assert Ecosystem.objects.count() == 14
    assert Country.objects.count() == 43
    assert ValueChainPosition.objects.count() == 10
    assert PolicyObjective.objects.count() == 10
    assert S3Priority.objects.count() == 70
    assert dict(Counter(Region.objects.values_list("level", flat=True))) == dict(region_levels)
    assert {name: (r.in_file, r.created, r.updated) for name, r in results.items()} == {
        "countries": (43, 43, 0),
        "regions": (region_levels.total(), region_levels.total(), 0),
        "sectoral_industries": (51, 51, 0),
        "value_chain_positions": (10, 10, 0),
        "policy_objectives": (10, 10, 0),
        "emerging_industries": (10, 10, 0),
        "ecosystems": (14, 14, 0),
        "s3_priorities": (70, 70, 0),
    }


def test_region_file_holds_the_official_nuts_2024_counts_for_the_eu():
    eu_levels = Counter(
        row["level"] for row in read_data_file("regions") if row["country"] in EU_27
    )

    assert eu_levels == {1: 92, 2: 244, 3: 1165}


def test_country_file_marks_exactly_the_eu_27_as_members():
    countries = read_data_file("countries")

    assert {row["code"] for row in countries if row["eu_member"]} == EU_27
    # Partner countries outside Europe (trade-fair destinations) have no NUTS regions.
    assert {row["country"] for row in read_data_file("regions")} == {
        row["code"] for row in countries
    } - {"BR", "MX", "TW"}
    assert min(row["population"] for row in countries) > 0


@pytest.mark.django_db
def test_trade_fair_countries_outside_europe_load_without_regions():
    load_reference_data()

    outside = Country.objects.filter(code__in=["BR", "MX", "TW"]).order_by("code")

    assert [(c.code, c.iso_code, c.name, c.eu_member) for c in outside] == [
        ("BR", "BR", "Brazil", False),
        ("MX", "MX", "Mexico", False),
        ("TW", "TW", "Taiwan", False),
    ]
    assert Region.objects.filter(country__in=outside).count() == 0


@pytest.mark.django_db
def test_load_reference_data_uses_nuts_codes_not_iso_codes():
    load_reference_data()

    greece = Country.objects.get(code="EL")
    united_kingdom = Country.objects.get(code="UK")
    assert (greece.iso_code, greece.name, greece.eu_member) == ("GR", "Greece", True)
    assert (united_kingdom.iso_code, united_kingdom.eu_member) == ("GB", False)
    assert Region.objects.filter(country=greece, level=2).count() == 13


@pytest.mark.django_db
def test_every_emerging_industry_spans_at_least_three_sectors():
    load_reference_data()

    spans = dict(
        EmergingIndustry.objects.annotate(n=Count("sectoral_industries")).values_list("slug", "n")
    )
    assert len(spans) == 10
    assert {slug for slug, n in spans.items() if not 3 <= n <= 8} == set()
    mobility = EmergingIndustry.objects.get(slug="mobility-technologies")
    assert {"automotive", "aerospace-vehicles-defence", "transportation-logistics"} <= set(
        mobility.sectoral_industries.values_list("slug", flat=True)
    )


@pytest.mark.django_db
def test_every_sector_belongs_to_an_ecosystem_and_every_ecosystem_has_sectors():
    load_reference_data()

    assert list(SectoralIndustry.objects.filter(ecosystems=None)) == []
    assert list(Ecosystem.objects.filter(sectoral_industries=None)) == []


@pytest.mark.django_db
def test_value_chain_positions_are_ordered_from_research_to_after_sales():
    load_reference_data()

    assert list(ValueChainPosition.objects.values_list("slug", flat=True)) == [
        "research",
        "design-engineering",
        "components-materials",
        "production",
        "integration",
        "distribution",
        "services-after-sales",
        "digital-services",
        "engineering-services",
        "knowledge-services",
    ]
    assert set(
        ValueChainPosition.objects.filter(is_service=True).values_list("slug", flat=True)
    ) == {
        "digital-services",
        "engineering-services",
        "knowledge-services",
    }


@pytest.mark.django_db
def test_shipped_s3_priorities_name_their_strategy_and_source_and_load_per_region():
    rows = read_data_file("s3_priorities")["priorities"]

    load_reference_data()

    assert all(row["strategy"] and row["source"].startswith("https://") for row in rows)
    assert dict(
        S3Priority.objects.filter(region_id="ES21")
        .order_by("title")
        .values_list("title", "policy_objective__slug")
    ) == {
        "Cleaner energy": "energy",
        "Ecosystems and urban habitat": "green-transition",
        "Healthy food": "agri-food",
        "Personalised health": "health",
        "Smart industry": "advanced-manufacturing",
    }
    assert S3Priority.objects.values("region_id").distinct().count() == 15


@pytest.mark.django_db
def test_second_load_restores_an_edited_s3_priority_and_keeps_one_staff_added():
    load_reference_data()
    before = snapshot()
    S3Priority.objects.filter(region_id="ES21", title="Cleaner energy").update(
        policy_objective=PolicyObjective.objects.get(slug="tourism-culture")
    )
    added = S3Priority.objects.create(
        region_id="ES21",
        title="Added by staff",
        policy_objective=PolicyObjective.objects.get(slug="mobility"),
    )

    results = load_reference_data()

    assert S3Priority.objects.filter(pk=added.pk).exists()
    added.delete()
    assert snapshot() == before
    assert results["s3_priorities"].updated_keys == {("ES21", "Cleaner energy")}


@pytest.mark.django_db
def test_region_parents_exist_one_level_up_in_the_same_country():
    load_reference_data()

    assert Region.objects.filter(level=1, parent__isnull=False).count() == 0
    assert Region.objects.filter(level__gt=1, parent__isnull=True).count() == 0
    assert Region.objects.exclude(level=1).exclude(parent__level=F("level") - 1).count() == 0
    assert Region.objects.exclude(level=1).exclude(parent__country=F("country")).count() == 0
    assert Region.objects.get(code="UKN10").parent_id == "UKN0"


@pytest.mark.django_db
def test_second_load_changes_nothing():
    load_reference_data()
    before = snapshot()

    results = load_reference_data()

    assert snapshot() == before
    assert {(r.created, r.updated) for r in results.values()} == {(0, 0)}


@pytest.mark.django_db
def test_second_load_restores_edited_rows_and_links():
    load_reference_data()
    before = snapshot()
    SectoralIndustry.objects.filter(slug="automotive").update(name="Cars")
    Region.objects.filter(code="EL30").update(name="Somewhere else", parent_id="EL4")
    Country.objects.filter(code="DE").update(population=1)
    mobility = EmergingIndustry.objects.get(slug="mobility-technologies")
    mobility.sectoral_industries.remove(SectoralIndustry.objects.get(slug="automotive"))
    mobility.sectoral_industries.add(SectoralIndustry.objects.get(slug="tobacco"))

    results = load_reference_data()

    assert snapshot() == before
    assert {name: r.updated_keys for name, r in results.items() if r.updated} == {
        "countries": {"DE"},
        "regions": {"EL30"},
        "sectoral_industries": {"automotive"},
        "emerging_industries": {"mobility-technologies"},
    }


@pytest.mark.django_db
def test_load_keeps_rows_that_are_not_in_the_files():
    country = CountryFactory(code="QQ", iso_code="QQ", name="Testland")
    region = RegionFactory(code="QQ01", country=country)
    sector = SectoralIndustryFactory(slug="space-tourism", name="Space tourism")
    organisation = OrganisationFactory(region=region, sectoral_industries=[sector])

    load_reference_data()

    organisation.refresh_from_db()
    assert (organisation.country_id, organisation.region_id) == ("QQ", "QQ01")
    assert list(organisation.sectoral_industries.values_list("slug", flat=True)) == [
        "space-tourism"
    ]
    assert Country.objects.count() == 44
    assert SectoralIndustry.objects.count() == 52


@pytest.mark.django_db
def test_load_with_an_unknown_sector_link_fails_and_changes_nothing(tmp_path):
    for name in DATA_FILES:
        shutil.copy(DATA_DIR / f"{name}.json", tmp_path / f"{name}.json")
    ecosystems = read_data_file("ecosystems")
    ecosystems[0]["sectoral_industries"].append("no-such-sector")
    (tmp_path / "ecosystems.json").write_text(json.dumps(ecosystems), encoding="utf-8")

    with pytest.raises(ValueError, match="no-such-sector"):
        load_reference_data(data_dir=tmp_path)

    assert Country.objects.count() == 0
    assert Region.objects.count() == 0
    assert SectoralIndustry.objects.count() == 0


@pytest.mark.django_db
def test_load_reference_data_command_prints_a_summary_table():
    out = io.StringIO()

    call_command("load_reference_data", stdout=out)
    call_command("load_reference_data", stdout=out)

    lines = [line.split() for line in out.getvalue().splitlines()]
    assert ["Sectoral", "industries", "51", "51", "0"] in lines
    assert ["Sectoral", "industries", "51", "0", "0"] in lines
    assert ["Countries", "43", "43", "0"] in lines
    assert ["Industrial", "ecosystems", "14", "0", "0"] in lines
    assert Country.objects.count() == 43


def test_build_region_rows_finds_parents_and_drops_extra_regio():
    entries = [
        ("UKN06", "Belfast", 3, "UK"),
        ("UKN10", "Derry City and Strabane", 3, "UK"),
        ("UKN0", "Northern Ireland", 2, "UK"),
        ("UKN", "Northern Ireland", 1, "UK"),
        ("UKZ", "Extra-Regio NUTS 1", 1, "UK"),
        ("UKZZ", "Extra-Regio NUTS 2", 2, "UK"),
    ]

    rows = build_region_rows(entries)

    assert [(row["code"], row["parent"]) for row in rows] == [
        ("UKN", None),
        ("UKN0", "UKN"),
        ("UKN06", "UKN0"),
        ("UKN10", "UKN0"),
    ]


def test_build_region_rows_rejects_a_region_without_a_single_parent():
    entries = [
        ("DE1", "Baden-Württemberg", 1, "DE"),
        ("DE11", "Stuttgart", 2, "DE"),
        ("DE12", "Karlsruhe", 2, "DE"),
        ("DE191", "Nowhere", 3, "DE"),
    ]

    with pytest.raises(ValueError, match="DE191"):
        build_region_rows(entries)


def test_build_region_data_command_reproduces_the_shipped_file(tmp_path):
    output = tmp_path / "regions.json"

    call_command("build_region_data", output=str(output), stdout=io.StringIO())

    assert output.read_text(encoding="utf-8") == (DATA_DIR / "regions.json").read_text(
        encoding="utf-8"
    )
