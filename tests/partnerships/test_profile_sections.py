import pytest
from django.utils.html import format_html

from partnerships.signals import organisation_profile_sections
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _section(sender, *, organisation, request, **kwargs):
    return "Tested section", format_html("<p>{} is <b>{}</b></p>", organisation.name, "<great>")


def _nothing(sender, *, organisation, request, **kwargs):
    return None


@pytest.fixture
def receivers():
    organisation_profile_sections.connect(_section, dispatch_uid="test-section")
    organisation_profile_sections.connect(_nothing, dispatch_uid="test-nothing")
    yield
    organisation_profile_sections.disconnect(dispatch_uid="test-section")
    organisation_profile_sections.disconnect(dispatch_uid="test-nothing")


def test_organisation_page_shows_sections_that_higher_apps_contribute(client, receivers):
    organisation = OrganisationFactory(name="Chip Valley")

    response = client.get(organisation.get_absolute_url())

    sections = [(title, str(html)) for title, html in response.context["extra_sections"]]
    assert sections == [("Tested section", "<p>Chip Valley is <b>&lt;great&gt;</b></p>")]
    assert (
        '<h2 id="extra-section-1">Tested section</h2>\n'
        "          <p>Chip Valley is <b>&lt;great&gt;</b></p>"
    ) in response.content.decode()


def test_organisation_page_without_contributions_has_no_extra_section(client):
    organisation = OrganisationFactory()

    response = client.get(organisation.get_absolute_url())

    assert response.context["extra_sections"] == []
    assert "extra-section-" not in response.content.decode()
