import pytest

from tests.factories import OrganisationFactory


@pytest.mark.django_db
def test_home_shows_verified_count(client):
    OrganisationFactory.create_batch(2)

    response = client.get("/")

    assert response.status_code == 200
    assert response.context["organisation_count"] == 2


@pytest.mark.django_db
def test_api_lists_organisations(api_client):
    organisation = OrganisationFactory()

    response = api_client.get("/api/v1/organisations/")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [organisation.pk]
