import datetime as dt
from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from partnerships.enums import CallState, OutcomeKind, PartnershipPhase
from partnerships.models import StrategicPartnership
from tests.factories import (
    CallFactory,
    CountryFactory,
    OrganisationFactory,
    PartnershipMemberFactory,
    PartnershipMilestoneFactory,
    PartnershipOutcomeFactory,
    RegionFactory,
    StaffFactory,
    StrategicPartnershipFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/partnerships/"


def organisation_in(code, **kwargs):
    country = CountryFactory(code=code, iso_code=code, name=f"Country {code}")
    return OrganisationFactory(region=RegionFactory(country=country), **kwargs)


def names(response):
    return [row["name"] for row in response.json()["results"]]


def test_partnership_api_is_public_with_members_milestones_and_outcomes(api_client):
    call = CallFactory(reference="escp-4i-2024", state=CallState.DECIDED)
    coordinator = organisation_in("DE", name="Bavarian Mobility Cluster")
    partner = organisation_in("FR", name="Pôle Véhicule du Futur")
    partnership = StrategicPartnershipFactory(
        call=call,
        name="Alpha batteries",
        acronym="ALB",
        phase=PartnershipPhase.IMPLEMENTATION,
        funded=False,
        started_on=dt.date(2024, 1, 15),
        coordinator=coordinator,
    )
    PartnershipMemberFactory(partnership=partnership, organisation=partner)
    PartnershipMilestoneFactory(
        partnership=partnership,
        title="Strategy",
        due_on=dt.date(2024, 6, 30),
        reached_on=dt.date(2024, 6, 1),
    )
    PartnershipOutcomeFactory(
        partnership=partnership,
        kind=OutcomeKind.INVESTMENT,
        description="Pilot line.",
        amount=Decimal("1500000"),
        achieved_on=dt.date(2024, 9, 1),
    )

    response = api_client.get(f"{URL}{partnership.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": partnership.pk,
        "call": call.pk,
        "call_reference": "escp-4i-2024",
        "name": "Alpha batteries",
        "acronym": "ALB",
        "summary": partnership.summary,
        "phase": "implementation",
        "funded": False,
        "started_on": "2024-01-15",
        "ends_on": None,
        "website": "",
        "members": [
            {
                "organisation": coordinator.pk,
                "organisation_name": "Bavarian Mobility Cluster",
                "country": "DE",
                "is_coordinator": True,
            },
            {
                "organisation": partner.pk,
                "organisation_name": "Pôle Véhicule du Futur",
                "country": "FR",
                "is_coordinator": False,
            },
        ],
        "milestones": [
            {
                "phase": "preparatory",
                "title": "Strategy",
                "due_on": "2024-06-30",
                "reached_on": "2024-06-01",
            }
        ],
        "outcomes": [
            {
                "kind": "investment",
                "description": "Pilot line.",
                "amount": "1500000.00",
                "achieved_on": "2024-09-01",
            }
        ],
        "url": f"http://testserver/partnerships/{partnership.pk}/",
    }


@pytest.fixture
def three():
    escp = CallFactory(state=CallState.DECIDED)
    other = CallFactory(state=CallState.DECIDED)
    alpha = StrategicPartnershipFactory(name="Alpha", call=escp, coordinator=organisation_in("DE"))
    StrategicPartnershipFactory(
        name="Beta",
        call=escp,
        funded=False,
        phase=PartnershipPhase.INVESTMENT,
        coordinator=organisation_in("FR"),
    )
    StrategicPartnershipFactory(name="Gamma", call=other, coordinator=organisation_in("IT"))
    return {"escp": escp, "alpha": alpha}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Alpha", "Beta", "Gamma"]),
        ({"call": "escp"}, ["Alpha", "Beta"]),
        ({"phase": "investment"}, ["Beta"]),
        ({"country": "IT"}, ["Gamma"]),
        ({"funded": "false"}, ["Beta"]),
        ({"funded": "true"}, ["Alpha", "Gamma"]),
        ({"search": "gam"}, ["Gamma"]),
        ({"q": "alp"}, ["Alpha"]),
        ({"ordering": "-name"}, ["Gamma", "Beta", "Alpha"]),
    ],
)
def test_partnership_api_filters(api_client, three, query, expected):
    if "call" in query:
        query = {"call": three["escp"].pk}

    response = api_client.get(URL, query)

    assert names(response) == expected


@pytest.mark.parametrize(
    "query",
    [{"call": "abc"}, {"call": "99999999999999999999"}, {"phase": "launch"}, {"country": "ZZ"}],
)
def test_partnership_api_bad_filter_is_a_400(api_client, three, query):
    response = api_client.get(URL, query)

    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_partnership_api_hides_partnerships_of_draft_calls(api_client):
    hidden = StrategicPartnershipFactory(name="Hidden", call=CallFactory(state=CallState.DRAFT))
    StrategicPartnershipFactory(name="Visible", call=CallFactory(state=CallState.DECIDED))

    anonymous = api_client.get(URL)
    detail = api_client.get(f"{URL}{hidden.pk}/")
    api_client.force_authenticate(StaffFactory())
    as_staff = api_client.get(URL)

    assert names(anonymous) == ["Visible"]
    assert detail.status_code == 404
    assert names(as_staff) == ["Hidden", "Visible"]


def test_partnership_api_is_read_only(api_client):
    api_client.force_authenticate(StaffFactory())
    partnership = StrategicPartnershipFactory()

    created = api_client.post(URL, {"name": "x"}, format="json")
    changed = api_client.patch(f"{URL}{partnership.pk}/", {"name": "x"}, format="json")

    assert (created.status_code, changed.status_code) == (405, 405)
    assert list(StrategicPartnership.objects.values_list("name", flat=True)) == [partnership.name]


@pytest.mark.parametrize("count", [1, 3])
def test_partnership_api_query_count_does_not_grow(count, api_client, django_assert_num_queries):
    call = CallFactory(state=CallState.DECIDED)
    for _ in range(count):
        partnership = StrategicPartnershipFactory(call=call)
        PartnershipMemberFactory(partnership=partnership)
        PartnershipMilestoneFactory(partnership=partnership)
        PartnershipOutcomeFactory(partnership=partnership)

    # Count, page, members, milestones and outcomes.
    with django_assert_num_queries(5):
        response = api_client.get(URL)

    assert response.json()["count"] == count


def test_schema_is_valid_and_documents_the_partnership_filters():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    validate_schema(schema)
    parameters = {p["name"] for p in schema["paths"]["/api/v1/partnerships/"]["get"]["parameters"]}
    assert {"call", "phase", "country", "funded", "q", "search", "ordering", "page"} <= parameters
