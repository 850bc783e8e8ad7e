"""Input no form offers: NUL characters, integers past 2^63, invalid UTF-8, the wrong content
type and oversized bodies. Each gets a 4xx (or, for a filter, an empty result), never a 500,
and changes nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Registration
from partnerships.models import ExpressionAttachment, ExpressionPartner, Organisation
from tests.factories import (
    EventFactory,
    ExpressionFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HUGE = str(2**63)
HUGER = str(2**64 + 1)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/organisations/?q=battery%00", 400),
        ("/organisations/?country=%00", 400),
        ("/organisations/?sector=%00&sort=name", 400),
        ("/organisations/?q=%FF%FE", 400),
        ("/organisations/?q=caf%C3", 400),
        ("/organisations/?page=" + HUGE, 200),
        ("/organisations/?page=-1", 200),
        ("/organisations/?region=" + HUGE, 200),
        ("/organisations/export.csv?q=%00", 400),
        ("/organisations/" + HUGE + "/", 404),
        # Signed out, an edit page asks for sign-in before it looks anything up.
        ("/organisations/" + HUGER + "/edit/", 302),
        ("/organisations/region-options/?country=%00", 400),
        ("/organisations/region-options/?country=" + HUGE, 200),
        ("/regions/hotspots/?sector=%00", 400),
        ("/calls/?q=%00", 400),
        ("/calls/?page=" + HUGE, 200),
        ("/calls/" + HUGE + "/", 404),
        ("/events/?country=%00", 400),
        ("/events/?page=" + HUGE, 200),
        ("/events/?date_from=99999-01-01", 200),
        ("/events/?sector=" + HUGE, 200),
        ("/events/calendar/?year=" + HUGE + "&month=13", 200),
        ("/events/feed.ics?country=%FF", 400),
        ("/events/" + HUGE + "/", 404),
        ("/?q=%00", 400),
    ],
)
def test_pages_answer_malformed_query_strings_with_4xx_or_a_page(client, url, status):
    response = client.get(url)

    assert response.status_code == status


def test_edit_page_for_an_id_past_the_largest_integer_is_404_when_signed_in(client, manager):
    client.force_login(manager)

    response = client.get("/organisations/" + HUGER + "/edit/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/organisations/?search=%00", 400),
        ("/api/v1/organisations/?country=%00", 400),
        ("/api/v1/organisations/?search=%FF", 400),
        ("/api/v1/organisations/?page=" + HUGE, 404),
        ("/api/v1/organisations/" + HUGE + "/", 404),
        ("/api/v1/organisations/" + HUGER + "/recommendations/", 404),
        ("/api/v1/calls/" + HUGE + "/", 404),
        ("/api/v1/events/" + HUGE + "/", 404),
        ("/api/v1/meetings/" + HUGE + "/", 404),
        ("/api/v1/regions/?level=" + HUGE, 400),
        ("/api/v1/expressions/?call=%00", 400),
    ],
)
def test_api_answers_malformed_query_strings_with_4xx(api_client, url, status):
    response = api_client.get(url)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"


def test_api_nul_answer_says_why(api_client):
    response = api_client.get("/api/v1/organisations/?search=a%00b")

    assert response.json() == {"detail": "The address contains a NUL character."}


def test_api_filter_past_the_largest_integer_is_refused_or_finds_nothing(api_client):
    OrganisationFactory()

    by_region = api_client.get(f"/api/v1/organisations/?region={HUGE}")
    by_call = api_client.get(f"/api/v1/expressions/?call={HUGE}")

    # A region code names a row or is an error; a call id is a primary key, which stops at
    # 2^63 - 1, as the schema says.
    assert (by_region.status_code, list(by_region.json())) == (400, ["region"])
    assert (by_call.status_code, list(by_call.json())) == (400, ["call"])


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (json.dumps({"name": "a\x00b"}), "application/json"),
        (json.dumps({"year_established": 2**63}), "application/json"),
        (b'{"name": "\xff\xfe"}', "application/json"),
        ("name=x", "text/plain"),
    ],
)
def test_api_refuses_writes_whatever_their_body(api_client, body, content_type):
    manager = UserFactory()
    organisation = OrganisationFactory(name="Unchanged", owner=manager)
    api_client.force_login(manager)

    response = api_client.patch(
        f"/api/v1/organisations/{organisation.pk}/", body, content_type=content_type
    )

    # The API is read-only: a write is refused before its body is read.
    assert response.status_code == 405
    organisation.refresh_from_db()
    assert organisation.name == "Unchanged"


@pytest.fixture
def manager():
    return UserFactory()


@pytest.fixture
def organisation(manager):
    return OrganisationFactory(name="Unchanged Cluster", year_established=2005, owner=manager)


@pytest.fixture
def expression(organisation):
    return ExpressionFactory(lead=organisation, title="Unchanged title")


def test_nul_in_a_form_field_is_refused_and_changes_nothing(client, manager, expression):
    client.force_login(manager)

    response = client.post(
        f"/expressions/{expression.pk}/edit/", {"title": "New\x00title", "objectives": "x"}
    )

    assert response.status_code == 400
    expression.refresh_from_db()
    assert expression.title == "Unchanged title"


def test_invalid_utf8_form_body_is_refused_and_changes_nothing(client, manager, expression):
    client.force_login(manager)

    response = client.post(
        f"/expressions/{expression.pk}/edit/",
        b"title=caf%C3%28&objectives=x",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    expression.refresh_from_db()
    assert expression.title == "Unchanged title"


def test_json_sent_to_an_html_form_is_refused_and_changes_nothing(client, manager, organisation):
    client.force_login(manager)

    response = client.post(
        f"/organisations/{organisation.pk}/edit/",
        json.dumps({"name": "Renamed"}),
        content_type="application/json",
    )

    # The organisation form answers with its errors on the page, as for any invalid input.
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["This field is required."]
    organisation.refresh_from_db()
    assert organisation.name == "Unchanged Cluster"


def test_year_past_the_largest_integer_is_a_form_error(client, manager, organisation):
    client.force_login(manager)

    response = client.post(
        f"/organisations/{organisation.pk}/edit/",
        {"name": "Renamed", "year_established": HUGE},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["year_established"] == [
        "Ensure this value is less than or equal to 2100."
    ]
    organisation.refresh_from_db()
    assert (organisation.name, organisation.year_established) == ("Unchanged Cluster", 2005)


def test_new_organisation_with_impossible_country_and_region_is_a_form_error(client, manager):
    client.force_login(manager)

    response = client.post(
        "/organisations/new/", {"name": "Nowhere Cluster", "country": "ZZ", "region": HUGE}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (errors["country"], errors["region"]) == (
        ["Select a valid choice. That choice is not one of the available choices."],
        ["Select a valid choice. That choice is not one of the available choices."],
    )
    assert not Organisation.objects.filter(name="Nowhere Cluster").exists()


def test_partner_id_past_the_largest_integer_is_refused(client, manager, expression):
    client.force_login(manager)

    response = client.post(f"/expressions/{expression.pk}/partners/", {"organisation": HUGE})

    assert response.status_code == 400
    assert ExpressionPartner.objects.filter(expression=expression).count() == 0


def test_registration_for_an_organisation_id_past_the_largest_integer_is_refused(
    client, manager, organisation
):
    event = EventFactory()
    client.force_login(manager)

    response = client.post(
        f"/events/{event.pk}/register/",
        {"organisation": HUGER, "offer_kind": "technology", "request_kind": "technology"},
    )

    assert response.status_code == 400
    assert Registration.objects.filter(event=event).count() == 0


def test_oversized_attachment_is_a_form_error_and_nothing_is_stored(client, manager, expression):
    client.force_login(manager)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7 " + b"0" * (6 * 1024 * 1024))

    response = client.post(
        f"/expressions/{expression.pk}/attachments/", {"title": "Big", "file": big}
    )

    assert response.status_code == 400
    assert ExpressionAttachment.objects.count() == 0


def test_oversized_form_body_is_refused_and_changes_nothing(client, manager, expression):
    client.force_login(manager)

    response = client.post(
        f"/expressions/{expression.pk}/edit/",
        b"objectives=x&title=" + b"x" * (6 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    expression.refresh_from_db()
    assert expression.title == "Unchanged title"
