import json
import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from partnerships import page_cache, services
from tests.factories import MembershipFactory, OrganisationFactory

DIRECTORY = reverse("partnerships:organisation-list")
API_LIST = "/api/v1/organisations/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


def test_an_anonymous_directory_page_is_served_again_without_a_query(
    client, django_assert_num_queries
):
    OrganisationFactory(name="Photonics Valley")
    first = client.get(DIRECTORY, {"q": "photonics"})

    with django_assert_num_queries(0):
        second = Client().get(DIRECTORY, {"q": "photonics"})

    assert first.status_code == second.status_code == 200
    assert first.context is not None and second.context is None
    assert b"Photonics Valley" in second.content
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_a_served_page_carries_the_visitors_own_csrf_token():
    OrganisationFactory(name="Photonics Valley")
    Client().get(DIRECTORY)
    visitor = Client(enforce_csrf_checks=True)

    page = visitor.get(DIRECTORY)
    token = page.content.split(b'name="csrfmiddlewaretoken" value="')[1].split(b'"')[0]
    switched = visitor.post(
        reverse("set_language"),
        {"language": "fr", "next": DIRECTORY, "csrfmiddlewaretoken": token.decode()},
    )

    assert page.context is None
    assert b"--csrf-token-of-this-visitor--" not in page.content
    assert switched.status_code == 302
    assert visitor.cookies["django_language"].value == "fr"


def test_a_write_through_the_services_replaces_every_stored_page(
    client, staff, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(name="Photonics Valley")
    client.get(DIRECTORY)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_organisation(organisation, by=staff, name="Laser Coast")
    after = client.get(DIRECTORY)

    assert after.context is not None
    assert b"Laser Coast" in after.content
    assert b"Photonics Valley" not in after.content


def test_languages_and_htmx_fragments_are_stored_apart(client):
    OrganisationFactory(name="Photonics Valley")
    client.get(DIRECTORY)

    german = client.get(DIRECTORY, HTTP_ACCEPT_LANGUAGE="de")
    fragment = client.get(DIRECTORY, HTTP_HX_REQUEST="true")

    assert german.context is not None and fragment.context is not None
    assert b"Verzeichnis der Organisationen" in german.content
    assert b"<html" not in fragment.content


def test_signed_in_users_and_waiting_messages_never_get_a_stored_page(client):
    OrganisationFactory(name="Photonics Valley")
    Client().get(DIRECTORY)
    manager = MembershipFactory().user
    client.force_login(manager)
    with_messages = Client()
    with_messages.cookies["messages"] = "anything"

    signed_in = client.get(DIRECTORY)
    with_message = with_messages.get(DIRECTORY)

    assert signed_in.context is not None
    assert signed_in.context["user"] == manager
    assert with_message.context is not None


def test_the_api_list_is_stored_per_media_type(api_client, django_assert_num_queries):
    OrganisationFactory(name="Photonics Valley")
    first = api_client.get(API_LIST)

    with django_assert_num_queries(0):
        second = api_client.get(API_LIST)
    browsable = api_client.get(API_LIST, HTTP_ACCEPT="text/html")

    assert second.status_code == 200
    assert json.loads(second.content) == json.loads(first.content)
    assert [row["name"] for row in json.loads(second.content)["results"]] == ["Photonics Valley"]
    assert second["Content-Type"] == "application/json"
    assert browsable["Content-Type"] == "text/html; charset=utf-8"


def test_an_api_error_is_not_stored(api_client):
    first = api_client.get(API_LIST, {"page": "99"})
    second = api_client.get(API_LIST, {"page": "99"})

    assert first.status_code == second.status_code == 404
    assert second.json() == {"detail": "Invalid page."}


def _drf_token(content):
    return re.search(rb'"csrfToken": "([A-Za-z0-9]*)"', content).group(1)


def test_a_stored_browsable_api_page_carries_the_visitors_own_csrf_token():
    OrganisationFactory(name="Photonics Valley")
    first = Client().get(API_LIST, HTTP_ACCEPT="text/html")
    visitor = Client()

    second = visitor.get(API_LIST, HTTP_ACCEPT="text/html")

    assert first.context is not None and second.context is None
    assert b"--csrf-token-of-this-visitor--" not in second.content
    assert _drf_token(second.content) != _drf_token(first.content)
    assert len(_drf_token(second.content)) == 64
    assert "csrftoken" in visitor.cookies


def test_api_links_are_stored_per_host(api_client):
    organisation = OrganisationFactory(name="Photonics Valley")
    api_client.get(API_LIST, HTTP_HOST="localhost")

    other_host = api_client.get(API_LIST, HTTP_HOST="127.0.0.1")

    assert other_host.json()["results"][0]["url"] == (
        f"http://127.0.0.1{organisation.get_absolute_url()}"
    )


def test_a_process_copy_expires_with_the_shared_copy(client, monkeypatch):
    OrganisationFactory(name="Photonics Valley")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    client.get(DIRECTORY)
    # Another process fetches the stored page from the shared cache late in its life.
    page_cache._local.clear()
    monkeypatch.setattr(time, "time", lambda: now + 200)
    fetched = client.get(DIRECTORY)

    monkeypatch.setattr(time, "time", lambda: now + 301)
    after_expiry = client.get(DIRECTORY)

    assert fetched.context is None
    assert after_expiry.context is not None
