import importlib

import pytest
from django.apps import apps

from partnerships.models import Organisation, ValueChainPosition
from partnerships.reference import load_reference_data
from tests.factories import (
    EcosystemFactory,
    EmergingIndustryFactory,
    OrganisationFactory,
    PolicyObjectiveFactory,
    RegionFactory,
    SectoralIndustryFactory,
    UserFactory,
    ValueChainPositionFactory,
)

NEW = "/organisations/new/"
SERVICES = ["digital-services", "engineering-services", "knowledge-services"]
migration = importlib.import_module("partnerships.migrations.0010_taxonomy")


@pytest.fixture
def bavaria(db):
    return RegionFactory(code="DE21", name="Oberbayern", country__code="DE")


@pytest.fixture
def vocabulary(db):
    return {
        "objective": PolicyObjectiveFactory(slug="energy", name="Energy"),
        "sector": SectoralIndustryFactory(slug="automotive", name="Automotive"),
        "wanted_sector": SectoralIndustryFactory(slug="plastics", name="Plastics"),
        "emerging": EmergingIndustryFactory(slug="mobility-technologies", name="Mobility"),
        "ecosystem": EcosystemFactory(slug="digital", name="Digital"),
        "service": ValueChainPositionFactory(
            slug="digital-services", name="Digital services", order=8, is_service=True
        ),
    }


def registration(region, vocabulary, **overrides):
    data = {
        "name": "Mobility Valley Bavaria",
        "type": "cluster",
        "country": region.country_id,
        "region": region.code,
        "members_smes": "60",
        "members_large": "5",
        "members_research": "8",
        "members_public": "2",
        "members_civil": "0",
        "member_employees": "42000",
        "staff_fte": "3.5",
        "sectoral_industries": [vocabulary["sector"].pk],
        "policy_objectives": [vocabulary["objective"].pk],
        "seeking_sectors": [vocabulary["wanted_sector"].pk],
        "seeking_emerging": [vocabulary["emerging"].pk],
        "seeking_ecosystems": [vocabulary["ecosystem"].pk],
        "seeking_value_chain": [vocabulary["service"].pk],
        "save": "1",
    }
    data.update(overrides)
    return data


def slugs(relation):
    return sorted(relation.values_list("slug", flat=True))


def register(client, region, vocabulary, **overrides):
    """The first step creates the draft; the later steps are posted to its edit page."""
    client.force_login(UserFactory())
    client.post(NEW, registration(region, vocabulary))
    organisation = Organisation.objects.get()
    edit = f"/organisations/{organisation.pk}/edit/"
    responses = [
        client.post(edit, registration(region, vocabulary, step=step, **overrides))
        for step in ("sectors", "value-chain")
    ]
    return organisation, responses


@pytest.mark.django_db
def test_registration_saves_declared_objectives_and_what_is_sought(client, bavaria, vocabulary):
    organisation, responses = register(client, bavaria, vocabulary)

    assert [response.status_code for response in responses] == [302, 302]
    assert slugs(organisation.policy_objectives) == ["energy"]
    assert slugs(organisation.seeking_sectors) == ["plastics"]
    assert slugs(organisation.seeking_emerging) == ["mobility-technologies"]
    assert slugs(organisation.seeking_ecosystems) == ["digital"]
    assert slugs(organisation.seeking_value_chain) == ["digital-services"]
    organisation.refresh_from_db()
    assert organisation.needs_rescoring is True


@pytest.mark.django_db
def test_an_unknown_objective_or_sought_role_is_a_form_error_and_saves_nothing(
    client, bavaria, vocabulary
):
    organisation, (_sectors, value_chain) = register(
        client, bavaria, vocabulary, policy_objectives=["999999"], seeking_value_chain=["x"]
    )

    assert value_chain.status_code == 200
    assert set(value_chain.context["form"].errors) == {"policy_objectives", "seeking_value_chain"}
    assert (slugs(organisation.policy_objectives), slugs(organisation.seeking_value_chain)) == (
        [],
        [],
    )


@pytest.mark.django_db
def test_steps_group_objectives_and_seeking_in_their_own_sections(client, bavaria, vocabulary):
    organisation, _responses = register(client, bavaria, vocabulary)
    edit = f"/organisations/{organisation.pk}/edit/"

    def sections(step):
        form = client.get(edit, {"step": step}).context["form"]
        return {str(title): [field.name for field in fields] for title, fields in form.sections()}

    assert sections("sectors")["What you seek in partners"] == [
        "seeking_emerging",
        "seeking_ecosystems",
        "seeking_sectors",
    ]
    assert sections("value-chain") == {
        "Sectors and value chain": ["value_chain_positions"],
        "Smart specialisation": ["policy_objectives"],
        "What you seek in partners": ["seeking_value_chain"],
    }
    assert sections("organisation")["Smart specialisation"] == ["s3_priorities"]


@pytest.mark.django_db
def test_profile_page_shows_declared_objectives_and_what_is_sought(client, vocabulary):
    organisation = OrganisationFactory(name="Seeker")
    organisation.policy_objectives.set([vocabulary["objective"]])
    organisation.seeking_emerging.set([vocabulary["emerging"]])
    organisation.seeking_value_chain.set([vocabulary["service"]])

    response = client.get(organisation.get_absolute_url())

    assert [
        (str(heading), [item.name for item in items])
        for heading, items in response.context["seeking"]
    ] == [
        ("Emerging industries", ["Mobility"]),
        ("Value-chain roles", ["Digital services"]),
    ]
    html = response.content.decode()
    assert '<ul class="tag-list" id="policy-objectives"><li class="tag">Energy</li></ul>' in html
    assert "Looking for partners in" in html


@pytest.mark.django_db
def test_profile_page_says_when_nothing_is_sought(client, vocabulary):
    organisation = OrganisationFactory(name="Quiet")

    response = client.get(organisation.get_absolute_url())

    assert response.context["seeking"] == []
    assert "Nothing given yet." in response.content.decode()
    assert "No S3 policy objective given." in response.content.decode()


@pytest.mark.django_db
def test_api_lists_declared_objectives_and_what_is_sought(client, vocabulary):
    organisation = OrganisationFactory(name="Seeker")
    organisation.policy_objectives.set([vocabulary["objective"]])
    organisation.seeking_sectors.set([vocabulary["wanted_sector"]])
    organisation.seeking_ecosystems.set([vocabulary["ecosystem"]])

    body = client.get(f"/api/v1/organisations/{organisation.pk}/").json()

    assert {
        name: body[name]
        for name in (
            "policy_objectives",
            "seeking_sectors",
            "seeking_emerging",
            "seeking_ecosystems",
            "seeking_value_chain",
        )
    } == {
        "policy_objectives": ["energy"],
        "seeking_sectors": ["plastics"],
        "seeking_emerging": [],
        "seeking_ecosystems": ["digital"],
        "seeking_value_chain": [],
    }


@pytest.mark.django_db
def test_data_migration_adds_service_positions_to_a_portal_that_has_the_chain():
    load_reference_data()
    ValueChainPosition.objects.filter(slug__in=SERVICES).delete()
    ValueChainPosition.objects.filter(slug="research").update(is_service=False)

    migration.add_service_positions(apps, None)

    assert slugs(ValueChainPosition.objects.filter(is_service=True)) == SERVICES
    assert list(
        ValueChainPosition.objects.filter(slug__in=SERVICES).values_list("order", flat=True)
    ) == [8, 9, 10]
    assert ValueChainPosition.objects.count() == 10


@pytest.mark.django_db
def test_data_migration_leaves_a_portal_without_reference_data_empty():
    migration.add_service_positions(apps, None)

    assert ValueChainPosition.objects.count() == 0
