"""The OpenAPI schema promises what the API does: its error answers and its input limits."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.factories import CountryFactory, OrganisationFactory, StrategicPartnershipFactory

pytestmark = pytest.mark.django_db

ERROR = {"$ref": "#/components/schemas/Error"}
VALIDATION_ERROR = {"$ref": "#/components/schemas/ValidationError"}


def api_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    return schema


def responses(schema, path):
    return {
        code: answer.get("content", {}).get("application/json", {}).get("schema")
        for code, answer in schema["paths"][path]["get"]["responses"].items()
        if code != "200"
    }


def parameter(schema, path, name):
    (found,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
    return found


def test_schema_documents_each_operations_error_answers():
    schema = api_schema()

    assert responses(schema, "/api/v1/countries/") == {
        "400": VALIDATION_ERROR,
        "404": ERROR,
        "406": ERROR,
        "413": ERROR,
        "429": ERROR,
    }
    # Only an action with a permission to check can answer 403.
    assert responses(schema, "/api/v1/calls/{id}/") == {
        "400": VALIDATION_ERROR,
        "403": ERROR,
        "404": ERROR,
        "406": ERROR,
        "413": ERROR,
        "429": ERROR,
    }
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    assert schema["paths"]["/api/v1/countries/"]["get"]["security"] == [{"cookieAuth": []}, {}]


def test_schema_states_the_input_limits():
    schema = api_schema()
    organisations = "/api/v1/organisations/"

    assert parameter(schema, organisations, "page_size")["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
        "default": 25,
    }
    assert parameter(schema, organisations, "page")["schema"] == {"type": "integer", "minimum": 1}
    assert parameter(schema, organisations, "search")["schema"] == {
        "type": "string",
        "maxLength": 200,
        "pattern": r"^[^\x00]*$",
    }
    assert parameter(schema, organisations, "ordering")["schema"]["pattern"] == (
        r"^((-?(created_at|member_employees|name|year_established))"
        r"(,-?(created_at|member_employees|name|year_established))*)?$"
    )
    assert parameter(schema, "/api/v1/expressions/", "call")["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 2**63 - 1,
    }
    assert parameter(schema, "/api/v1/countries/{code}/", "code")["schema"]["pattern"] == (
        "^(?:[A-Z]{2})$"
    )
    assert parameter(schema, "/api/v1/sectors/{slug}/", "slug")["schema"]["pattern"] == (
        r"^(?:[^/.\x00]+)$"
    )


def test_schema_lists_the_values_a_naming_filter_accepts():
    CountryFactory(code="FR")
    CountryFactory(code="DE")
    StrategicPartnershipFactory(coordinator=OrganisationFactory(region__country__code="PL"))

    schema = api_schema()

    country = parameter(schema, "/api/v1/organisations/", "country")
    assert country["schema"]["items"]["enum"] == ["DE", "FR", "PL"]
    # The partnership filter offers only the countries of members.
    assert parameter(schema, "/api/v1/partnerships/", "country")["schema"]["enum"] == ["PL"]


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/countries/?page_size=0", {"page_size": ["Enter a whole number from 1 to 200."]}),
        (
            "/api/v1/countries/?page_size=201",
            {"page_size": ["Enter a whole number from 1 to 200."]},
        ),
        (
            "/api/v1/countries/?page_size=1.5",
            {"page_size": ["Enter a whole number from 1 to 200."]},
        ),
        (
            "/api/v1/countries/?ordering=name,population",
            {
                "ordering": [
                    "Cannot sort by population; choose from code, eu_member, iso_code, name."
                ]
            },
        ),
        (
            "/api/v1/countries/?search=" + "a" * 201,
            {"search": ["Search for at most 200 characters."]},
        ),
        ("/api/v1/organisations/?current_label=maybe", {"current_label": ["Enter true or false."]}),
        ("/api/v1/partnerships/?funded=maybe", {"funded": ["Enter true or false."]}),
        ("/api/v1/expressions/?call=1.5", {"call": ["Enter a whole number."]}),
        ("/api/v1/sectors/a%00b/", {"detail": "The address contains a NUL character."}),
    ],
)
def test_api_refuses_input_past_its_limits_with_the_reason(api_client, url, body):
    response = api_client.get(url)

    assert (response.status_code, response.json()) == (400, body)


def test_api_takes_what_its_schema_allows(api_client):
    CountryFactory(code="FR", name="France")
    CountryFactory(code="DE", name="Germany")

    sorted_down = api_client.get("/api/v1/countries/?ordering=-name,code&page_size=1")
    defaults = api_client.get("/api/v1/countries/?ordering=&page_size=&page=")
    unknown_call = api_client.get("/api/v1/expressions/?call=999999")

    assert [row["code"] for row in sorted_down.json()["results"]] == ["DE"]
    assert [row["code"] for row in defaults.json()["results"]] == ["FR", "DE"]
    assert (unknown_call.status_code, unknown_call.json()["count"]) == (200, 0)


def test_api_address_that_matches_no_route_is_a_json_404(api_client, client):
    api = api_client.get("/api/v1/countries/0/")
    page = client.get("/no-such-page/")

    assert (api.status_code, api["Content-Type"], api.json()) == (
        404,
        "application/json",
        {"detail": "Not found."},
    )
    assert (page.status_code, page["Content-Type"]) == (404, "text/html; charset=utf-8")
