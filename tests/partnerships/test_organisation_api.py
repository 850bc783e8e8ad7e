import datetime as dt

import pytest

from partnerships.enums import LabelLevel, ValidationState
from tests.factories import (
    EmergingIndustryFactory,
    LabelFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
    UserFactory,
)

URL = "/api/v1/organisations/"


def ids(response):
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_anonymous_sees_only_verified_organisations(api_client):
    verified = OrganisationFactory(name="Verified")
    OrganisationFactory(name="Draft", validation_state=ValidationState.DRAFT)
    OrganisationFactory(name="Pending", validation_state=ValidationState.PENDING)
    OrganisationFactory(name="Rejected", validation_state=ValidationState.REJECTED)

    response = api_client.get(URL)

    assert response.status_code == 200
    assert ids(response) == [verified.pk]


@pytest.mark.django_db
def test_manager_sees_own_draft_but_not_another_managers_draft(api_client):
    manager = UserFactory()
    own = OrganisationFactory(name="A own draft", validation_state=ValidationState.DRAFT)
    MembershipFactory(organisation=own, user=manager)
    foreign = OrganisationFactory(name="B foreign draft", validation_state=ValidationState.DRAFT)
    api_client.force_login(manager)

    listing = api_client.get(URL)
    detail = api_client.get(f"{URL}{foreign.pk}/")

    assert ids(listing) == [own.pk]
    assert detail.status_code == 404
    assert api_client.get(f"{URL}{own.pk}/").json()["validation_state"] == "draft"


@pytest.mark.django_db
def test_staff_sees_every_organisation_and_filters_by_state(api_client, staff):
    OrganisationFactory(name="A")
    pending = OrganisationFactory(name="B", validation_state=ValidationState.PENDING)
    api_client.force_login(staff)

    assert len(ids(api_client.get(URL))) == 2
    assert ids(api_client.get(URL, {"validation_state": "pending"})) == [pending.pk]


@pytest.mark.django_db
def test_filters_by_country_region_sector_emerging_industry_and_label(api_client):
    mobility = EmergingIndustryFactory(slug="mobility-technologies")
    automotive = SectoralIndustryFactory(slug="automotive")
    bavaria = RegionFactory(code="DE21", country__code="DE")
    match = OrganisationFactory(
        name="Match",
        region=bavaria,
        sectoral_industries=[automotive],
        emerging_industries=[mobility],
    )
    LabelFactory(organisation=match, level=LabelLevel.GOLD)
    OrganisationFactory(name="Other", region=RegionFactory(code="FR10", country__code="FR"))
    expired = OrganisationFactory(name="Expired", region=bavaria)
    LabelFactory(
        organisation=expired,
        level=LabelLevel.GOLD,
        assessed_on=dt.date(2020, 1, 1),
        valid_until=dt.date(2022, 1, 1),
    )

    assert ids(api_client.get(URL, {"country": "DE"})) == [expired.pk, match.pk]
    assert ids(api_client.get(URL, {"region": "DE21", "sector": "automotive"})) == [match.pk]
    assert ids(api_client.get(URL, {"emerging_industry": "mobility-technologies"})) == [match.pk]
    assert ids(api_client.get(URL, {"label_level": "gold"})) == [match.pk]
    assert ids(api_client.get(URL, {"current_label": "true"})) == [match.pk]
    assert len(ids(api_client.get(URL, {"current_label": "false"}))) == 2


@pytest.mark.django_db
def test_filters_take_several_values_and_members_size_bands(api_client):
    german = OrganisationFactory(name="A", region=RegionFactory(code="DE21", country__code="DE"))
    french = OrganisationFactory(
        name="B", region=RegionFactory(code="FR10", country__code="FR"), members_smes=300
    )
    italian = OrganisationFactory(name="C", region=RegionFactory(code="ITC4", country__code="IT"))

    assert ids(api_client.get(URL, {"country": ["DE", "FR"]})) == [german.pk, french.pk]
    assert ids(api_client.get(URL, {"country": ["DE", "FR"], "size": "very_large"})) == [french.pk]
    assert ids(api_client.get(URL, {"size": ["medium", "very_large"]})) == [
        german.pk,
        french.pk,
        italian.pk,
    ]


@pytest.mark.django_db
def test_a_filter_value_that_names_nothing_is_a_400_not_an_empty_list(api_client):
    OrganisationFactory(region=RegionFactory(code="DE21", country__code="DE"))

    response = api_client.get(URL, {"country": ["DE", "XX"], "sector": "no-such-sector"})

    assert response.status_code == 400
    assert sorted(response.json()) == ["country", "sector"]


@pytest.mark.django_db
def test_search_and_ordering(api_client):
    OrganisationFactory(name="Photonics Valley", year_established=2010)
    OrganisationFactory(name="Agrifood Hub", year_established=1995, keywords="photonics, food")
    OrganisationFactory(name="Maritime Cluster", year_established=2001)

    found = api_client.get(URL, {"search": "photonics", "ordering": "year_established"})

    assert [row["name"] for row in found.json()["results"]] == [
        "Agrifood Hub",
        "Photonics Valley",
    ]


@pytest.mark.django_db
def test_invalid_filter_value_is_a_400_with_json_body(api_client):
    response = api_client.get(URL, {"label_level": "platinum"})

    assert response.status_code == 400
    assert "label_level" in response.json()


@pytest.mark.django_db
def test_detail_shows_current_label_and_labels(api_client):
    organisation = OrganisationFactory()
    LabelFactory(organisation=organisation, level=LabelLevel.SILVER)

    body = api_client.get(f"{URL}{organisation.pk}/").json()

    assert body["current_label"] == "silver"
    assert [label["level"] for label in body["labels"]] == ["silver"]
    assert body["labels"][0]["is_current"] is True
    assert body["labels"][0]["state"] == "verified"
    assert body["url"] == f"http://testserver/organisations/{organisation.pk}/"


@pytest.mark.django_db
def test_api_is_read_only(api_client, staff):
    organisation = OrganisationFactory()
    api_client.force_login(staff)

    assert api_client.post(URL, {"name": "X"}).status_code == 405
    assert api_client.delete(f"{URL}{organisation.pk}/").status_code == 405


def _make_organisations(count):
    sectors = SectoralIndustryFactory.create_batch(3)
    emerging = EmergingIndustryFactory.create_batch(2)
    for _ in range(count):
        organisation = OrganisationFactory(
            sectoral_industries=sectors, emerging_industries=emerging
        )
        LabelFactory(organisation=organisation)
        LabelFactory(organisation=organisation, level=LabelLevel.GOLD)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow_with_length(count, api_client, django_assert_num_queries):
    _make_organisations(count)

    # count, page, sectors, emerging industries, ecosystems, labels, declared objectives and
    # the four kinds sought
    with django_assert_num_queries(11):
        response = api_client.get(URL)

    assert len(response.json()["results"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_for_a_signed_in_manager(count, api_client, django_assert_num_queries):
    _make_organisations(count)
    api_client.force_login(UserFactory())

    # session, user, then the same eleven as anonymous
    with django_assert_num_queries(13):
        response = api_client.get(URL)

    assert len(response.json()["results"]) == count


@pytest.mark.django_db
def test_reference_endpoints_list_taxonomies(api_client):
    automotive = SectoralIndustryFactory(slug="automotive", name="Automotive")
    mobility = EmergingIndustryFactory(slug="mobility-technologies")
    mobility.sectoral_industries.add(automotive)
    RegionFactory(code="DE21", country__code="DE", level=2)

    emerging = api_client.get("/api/v1/emerging-industries/mobility-technologies/").json()
    regions = api_client.get("/api/v1/regions/", {"country": "DE", "level": 2}).json()

    assert emerging["sectoral_industries"] == ["automotive"]
    assert [region["code"] for region in regions["results"]] == ["DE21"]
    assert api_client.get("/api/v1/sectors/automotive/").json()["name"] == "Automotive"
