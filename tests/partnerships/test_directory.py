import csv
import datetime as dt
import io
import sqlite3
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from partnerships.directory import public_organisations, search, search_ids
from partnerships.enums import LabelLevel, OrganisationType, ValidationState
from partnerships.services.organisation import change_validation_state, update_organisation
from partnerships.textfold import register_on_sqlite
from tests.factories import (
    CountryFactory,
    EmergingIndustryFactory,
    LabelFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
    UserFactory,
)

URL = reverse("partnerships:organisation-list")
EXPORT_URL = reverse("partnerships:organisation-export")

pytestmark = pytest.mark.django_db


def names(response):
    return [organisation.name for organisation, _label in response.context["rows"]]


def facet(response, group):
    return {option.value: option.count for option in response.context["facets"][group]}


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def places():
    germany, france = CountryFactory(code="DE"), CountryFactory(code="FR")
    return {
        "DE": germany,
        "FR": france,
        "DE21": RegionFactory(code="DE21", country=germany),
        "FR10": RegionFactory(code="FR10", country=france),
    }


def test_directory_search_finds_by_name_and_keyword(client, places):
    OrganisationFactory(name="Photonics Valley", region=places["DE21"])
    OrganisationFactory(name="Blue Harbour", keywords="shipping, photonics", region=places["FR10"])
    OrganisationFactory(name="Food Alliance", keywords="dairy", region=places["FR10"])

    response = client.get(URL, {"q": "photonics"})

    assert sorted(names(response)) == ["Blue Harbour", "Photonics Valley"]


@pytest.mark.parametrize("typed", ["wroclaw", "Wrocław", "WROCŁAW", "wrocław"])
def test_directory_search_ignores_accents(client, places, typed):
    OrganisationFactory(name="Wrocław Technology Park", region=places["DE21"])
    OrganisationFactory(name="Kraków Cluster", region=places["FR10"])

    response = client.get(URL, {"q": typed})

    assert names(response) == ["Wrocław Technology Park"]


def test_fold_text_runs_in_sqlite_as_the_portal_registers_it():
    database = sqlite3.connect(":memory:")
    register_on_sqlite(None, SimpleNamespace(vendor="sqlite", connection=database))

    folded = database.execute("SELECT fold_text('Wrocław Zürich Øresund Straße')").fetchone()

    assert folded == ("wroclaw zurich oresund strasse",)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranks with PostgreSQL full text")
def test_directory_search_ranks_name_above_keyword_and_follows_updates(client, places):
    keyword = OrganisationFactory(name="Blue Harbour", keywords="photonics", region=places["FR10"])
    OrganisationFactory(name="Photonics Valley", region=places["DE21"])

    ranked = client.get(URL, {"q": "photonics"})
    keyword.name = "Harbour Lasers"
    keyword.keywords = "shipping"
    keyword.save()
    after_update = client.get(URL, {"q": "photonics"})

    assert names(ranked) == ["Photonics Valley", "Blue Harbour"]
    assert names(after_update) == ["Photonics Valley"]


def test_directory_facets_narrow_and_count_without_their_own_filter(client, places):
    automotive = SectoralIndustryFactory(slug="automotive", name="Automotive")
    food = SectoralIndustryFactory(slug="food", name="Food")
    mobility = EmergingIndustryFactory(slug="mobility", name="Mobility")
    OrganisationFactory(
        name="A",
        region=places["DE21"],
        sectoral_industries=[automotive],
        emerging_industries=[mobility],
    )
    OrganisationFactory(name="B", region=places["DE21"], sectoral_industries=[automotive, food])
    OrganisationFactory(name="C", region=places["FR10"], sectoral_industries=[food])
    OrganisationFactory(name="D", region=places["FR10"], type=OrganisationType.SCIENCE_PARK)

    response = client.get(URL, {"country": "DE", "sector": "food"})

    assert names(response) == ["B"]
    assert response.context["page"].paginator.count == 1
    # Countries are counted within the food sector, sectors within Germany.
    assert facet(response, "country") == {"DE": 1, "FR": 1}
    assert facet(response, "sector") == {"automotive": 2, "food": 1}
    assert facet(response, "emerging_industry") == {}
    assert facet(response, "type") == {
        "cluster": 1,
        "business_network": 0,
        "technology_centre": 0,
        "science_park": 0,
        "other": 0,
    }


def test_directory_facet_values_within_a_group_combine_with_or(client, places):
    OrganisationFactory(name="A", region=places["DE21"])
    OrganisationFactory(name="B", region=places["FR10"])
    OrganisationFactory(name="C", region=places["FR10"], type=OrganisationType.SCIENCE_PARK)

    response = client.get(URL, {"country": ["DE", "FR"], "type": "cluster"})

    assert names(response) == ["A", "B"]
    assert facet(response, "type")["science_park"] == 1


def test_directory_size_band_uses_the_sum_of_members(client, places):
    OrganisationFactory(
        name="Small", region=places["DE21"], members_smes=20, members_large=5, members_research=5
    )
    OrganisationFactory(name="Edge", region=places["DE21"], members_smes=150, members_large=1)
    OrganisationFactory(name="Big", region=places["DE21"], members_smes=400)

    large = client.get(URL, {"size": "large"})
    everything = client.get(URL)

    assert names(large) == ["Edge"]
    assert facet(everything, "size") == {"small": 1, "medium": 0, "large": 1, "very_large": 1}


def test_directory_current_label_only_and_label_level_ignore_expired_labels(client, places):
    gold = OrganisationFactory(name="Gold", region=places["DE21"])
    expired = OrganisationFactory(name="Expired", region=places["DE21"])
    OrganisationFactory(name="Unlabelled", region=places["DE21"])
    LabelFactory(organisation=gold, level=LabelLevel.GOLD)
    LabelFactory(
        organisation=expired,
        level=LabelLevel.GOLD,
        assessed_on=dt.date.today() - dt.timedelta(days=900),
        valid_until=dt.date.today() - dt.timedelta(days=1),
    )

    current = client.get(URL, {"current_label": "on"})
    level = client.get(URL, {"label_level": "gold"})

    assert names(current) == ["Gold"]
    assert names(level) == ["Gold"]
    assert current.context["facets"]["current_label"] == 1
    assert facet(current, "label_level") == {"bronze": 0, "silver": 0, "gold": 1}


def test_directory_sorts_by_name_size_and_newest(client, places):
    OrganisationFactory(name="Beta", region=places["DE21"], members_smes=300)
    OrganisationFactory(name="Alpha", region=places["DE21"], members_smes=10)
    OrganisationFactory(name="Gamma", region=places["DE21"], members_smes=100)

    assert names(client.get(URL)) == ["Alpha", "Beta", "Gamma"]
    assert names(client.get(URL, {"sort": "size"})) == ["Beta", "Gamma", "Alpha"]
    assert names(client.get(URL, {"sort": "newest"})) == ["Gamma", "Alpha", "Beta"]


def test_directory_pagination_keeps_the_filters(client, places):
    for number in range(23):
        OrganisationFactory(name=f"German {number:02d}", region=places["DE21"])
    OrganisationFactory(name="French", region=places["FR10"])

    first = client.get(URL, {"country": "DE", "sort": "name"})
    second = client.get(URL, {"country": "DE", "sort": "name", "page": "2"})

    assert first.context["page"].paginator.count == 23
    assert 'href="?country=DE&amp;sort=name&amp;page=2"' in first.content.decode()
    assert names(second) == ["German 20", "German 21", "German 22"]


def test_directory_htmx_request_gets_the_partial_only(client, places):
    OrganisationFactory(name="Alpha", region=places["DE21"])

    partial = client.get(URL, {"q": "alpha"}, headers={"HX-Request": "true"})
    full = client.get(URL, {"q": "alpha"})

    assert [t.name for t in partial.templates][0] == "partnerships/includes/_directory_results.html"
    assert "<html" not in partial.content.decode()
    assert 'hx-swap-oob="innerHTML"' in partial.content.decode()
    assert full.templates[0].name == "partnerships/organisation_list.html"
    assert '<html lang="en">' in full.content.decode()
    assert 'hx-push-url="true"' in full.content.decode()


def test_directory_filters_summary_counts_every_chosen_value(client, places):
    OrganisationFactory(name="Alpha", region=places["DE21"])

    none = client.get(URL).content.decode()
    three = client.get(
        URL,
        {"country": ["DE", "FR"], "current_label": "on", "q": "alpha", "size": "huge"},
        headers={"HX-Request": "true"},
    ).content.decode()

    summary = '<summary class="directory__filters-summary"><h2 id="facets-title">Filters</h2>'
    assert f"{summary}</summary>" in none
    assert f'{summary} <span class="directory__filters-count">(3 active)</span></summary>' in three
    assert '<details id="directory-filters" class="directory__filters" open>' in three


def test_directory_invalid_filters_show_form_errors_not_a_server_error(client, places):
    OrganisationFactory(name="Alpha", region=places["DE21"])

    response = client.get(
        URL, {"size": "huge", "country": "ZZ", "label_level": "platinum", "page": "abc"}
    )

    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == ["country", "label_level", "size"]
    assert names(response) == ["Alpha"]
    assert 'role="alert"' in response.content.decode()


def test_directory_lists_verified_organisations_only_for_anyone(client, places):
    manager = UserFactory()
    OrganisationFactory(name="Verified", region=places["DE21"])
    OrganisationFactory(
        name="Own draft",
        region=places["DE21"],
        validation_state=ValidationState.DRAFT,
        owner=manager,
    )
    OrganisationFactory(
        name="Other draft",
        region=places["DE21"],
        validation_state=ValidationState.DRAFT,
        owner=UserFactory(),
    )
    OrganisationFactory(
        name="Pending", region=places["DE21"], validation_state=ValidationState.PENDING
    )
    OrganisationFactory(
        name="Rejected", region=places["DE21"], validation_state=ValidationState.REJECTED
    )
    client.force_login(manager)

    response = client.get(URL, {"q": "draft"})
    everything = client.get(URL)
    export = client.get(EXPORT_URL)

    assert names(response) == []
    assert names(everything) == ["Verified"]
    assert facet(everything, "country") == {"DE": 1}
    assert [row[0] for row in csv_rows(export)[1:]] == ["Verified"]


def test_directory_export_matches_the_results_and_escapes_formulas(client, places):
    automotive = SectoralIndustryFactory(slug="automotive", name="Automotive")
    formula = OrganisationFactory(
        name='=HYPERLINK("http://evil.example")',
        acronym="@SUM",
        city="-1+2",
        region=places["DE21"],
        sectoral_industries=[automotive],
    )
    LabelFactory(organisation=formula, level=LabelLevel.SILVER)
    OrganisationFactory(name="Plain", acronym="PL", region=places["DE21"])
    OrganisationFactory(name="Elsewhere", region=places["FR10"])

    response = client.get(EXPORT_URL, {"country": "DE"})
    rows = csv_rows(response)

    assert response["Content-Disposition"] == 'attachment; filename="organisations.csv"'
    assert rows[0][0] == "Name"
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("http://evil.example")',
        "Plain",
    ]
    assert rows[1][1:3] == ["'@SUM", "Cluster organisation"]
    assert rows[1][5] == "'-1+2"
    assert rows[1][7:11] == ["80", "12000", "Silver", "Automotive"]


@pytest.mark.parametrize("count", [1, 3])
def test_directory_query_count_does_not_grow_with_results(
    client, places, django_assert_num_queries, count
):
    sector = SectoralIndustryFactory()
    for number in range(count):
        organisation = OrganisationFactory(
            name=f"Org {number}", region=places["DE21"], sectoral_industries=[sector]
        )
        LabelFactory(organisation=organisation)

    client.get(URL)  # builds the in-memory facet index, once per process and data version

    # The page and three prefetches (sectors, emerging industries, labels) and the search ids;
    # facets, total and order come from memory.
    with django_assert_num_queries(5):
        response = client.get(URL, {"q": "org"})

    assert len(names(response)) == count


def test_directory_sees_a_service_write_after_its_commit(
    client, places, django_capture_on_commit_callbacks
):
    staff = UserFactory(is_staff=True)
    moving = OrganisationFactory(name="Moving", region=places["DE21"])
    OrganisationFactory(name="Staying", region=places["DE21"])
    before = client.get(URL, {"country": "DE"})

    with django_capture_on_commit_callbacks(execute=True):
        update_organisation(moving, by=staff, country=places["FR"], region=places["FR10"])
    after = client.get(URL, {"country": "DE"})

    assert names(before) == ["Moving", "Staying"]
    assert names(after) == ["Staying"]
    assert facet(after, "country") == {"DE": 1, "FR": 1}


def test_directory_sees_a_newly_verified_organisation_after_its_commit(
    client, places, django_capture_on_commit_callbacks
):
    staff = UserFactory(is_staff=True)
    pending = OrganisationFactory(
        name="Pending", region=places["DE21"], validation_state=ValidationState.PENDING
    )
    before = client.get(URL)

    with django_capture_on_commit_callbacks(execute=True):
        change_validation_state(pending, to=ValidationState.VERIFIED, by=staff)
    after = client.get(URL)

    assert names(before) == []
    assert names(after) == ["Pending"]
    assert after.context["page"].paginator.count == 1


def found_ids(text, *, ranked=False):
    ids, ranks = search_ids(text, ranked=ranked)
    return sorted(zip(ids.tolist(), ranks.tolist(), strict=True))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the side table is PostgreSQL only")
def test_search_ids_follow_validation_text_changes_and_deletion(places):
    staff = UserFactory(is_staff=True)
    verified = OrganisationFactory(name="Hydrogen Valley", region=places["DE21"])
    pending = OrganisationFactory(
        name="Hydrogen Port", region=places["FR10"], validation_state=ValidationState.PENDING
    )
    before = found_ids("hydrogen")

    change_validation_state(pending, to=ValidationState.VERIFIED, by=staff)
    both = found_ids("hydrogen")
    update_organisation(verified, by=staff, name="Solar Valley")
    renamed = found_ids("hydrogen")
    change_validation_state(pending, to=ValidationState.REJECTED, by=staff, reason="No members.")
    rejected = found_ids("hydrogen")
    solar = found_ids("solar")
    verified_pk = verified.pk
    verified.delete()

    assert before == [(verified_pk, 0.0)]
    assert both == [(verified_pk, 0.0), (pending.pk, 0.0)]
    assert renamed == [(pending.pk, 0.0)]
    assert rejected == []
    assert solar == [(verified_pk, 0.0)]
    assert found_ids("solar") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranks with PostgreSQL full text")
def test_search_ids_ranks_equal_the_organisation_table_search(places):
    texts = [
        ("Digital Bridge", "digital, robotics", "Digital services for digital firms."),
        ("Harbour Cluster", "digital", "Shipping."),
        ("Food Alliance", "dairy", "Digital farming and digital food chains, digital twins."),
        ("Robotics Hub", "robotics", "Nothing of the kind."),
    ]
    for name, keywords, description in texts:
        OrganisationFactory(
            name=name, keywords=keywords, description=description, region=places["DE21"]
        )
    OrganisationFactory(
        name="Digital Draft", region=places["DE21"], validation_state=ValidationState.DRAFT
    )

    for query in ("digital", "digital robotics", '"digital services"', "digital -dairy"):
        expected = sorted(
            search(public_organisations(), query).values_list("id", "rank").order_by()
        )

        ranked = found_ids(query, ranked=True)

        assert len(ranked) == len(expected) > 0, query
        assert [pk for pk, _rank in ranked] == [pk for pk, _rank in expected], query
        assert [rank for _pk, rank in ranked] == pytest.approx(
            [rank for _pk, rank in expected], abs=1e-6
        ), query


@pytest.mark.parametrize(
    ("language", "members", "label"),
    [("en", "1,230 members", "Gold label"), ("fr", "1\xa0230 membres", "Label Or")],
)
def test_a_result_row_shows_name_place_members_label_and_sectors(
    client, places, language, members, label
):
    automotive = SectoralIndustryFactory(name="Automotive")
    organisation = OrganisationFactory(
        name="Bits & <Bolts>",
        acronym="B&B",
        city="Munich",
        region=places["DE21"],
        type=OrganisationType.CLUSTER,
        members_smes=1200,
        members_large=20,
        members_research=8,
        members_public=2,
        sectoral_industries=[automotive],
    )
    LabelFactory(organisation=organisation, level=LabelLevel.GOLD)
    client.cookies["django_language"] = language

    html = client.get(URL).content.decode()

    row = html[html.index('<li class="directory-item card">') :]
    row = row[: row.index("</li>", row.index('<li class="tag">') + 1) + len("</li>")]
    place = f"Munich, {places['DE21'].name}, {places['DE'].name}"
    assert row == (
        '<li class="directory-item card"><h3 class="directory-item__name">'
        f'<a href="{organisation.get_absolute_url()}">Bits &amp; &lt;Bolts&gt;</a> '
        '<span class="profile__acronym">(B&amp;B)</span></h3>'
        f'<p class="directory-item__meta">{organisation.get_type_display()} · {place} · '
        f"{members}</p>"
        f'<p class="directory-item__label"><span class="badge badge--gold">{label}</span></p>'
        '<ul class="tag-list" aria-label="'
        + ("Sectoral industries" if language == "en" else "Industries sectorielles")
        + '"><li class="tag">Automotive</li>'
    )
