import numpy as np
import pytest

from matchmaking.explain import explain
from matchmaking.features import SERVICE_COMPLEMENT, OrganisationProfile, Taxonomy
from matchmaking.queries import scoring_profiles, taxonomy_from_db
from partnerships.models import Organisation
from tests.factories import (
    EcosystemFactory,
    EmergingIndustryFactory,
    OrganisationFactory,
    PolicyObjectiveFactory,
    S3PriorityFactory,
    SectoralIndustryFactory,
    ValueChainPositionFactory,
)

CHAIN = Taxonomy(
    sectors=(),
    emerging=(),
    ecosystems=(),
    value_chain=("research", "design", "production", "digital", "knowledge"),
    objectives=(),
    countries=(),
    regions=(),
    service_positions=frozenset({"digital", "knowledge"}),
)


def test_service_positions_complement_every_chain_position_and_no_other_service():
    half = SERVICE_COMPLEMENT

    assert CHAIN.value_chain_matrix().tolist() == [
        [0.0, 1.0, 0.5, half, half],
        [1.0, 0.0, 1.0, half, half],
        [0.5, 1.0, 0.0, half, half],
        [half, half, half, 0.0, 0.0],
        [half, half, half, 0.0, 0.0],
    ]


def test_without_service_positions_the_chain_matrix_counts_steps_as_before():
    plain = Taxonomy(
        sectors=(),
        emerging=(),
        ecosystems=(),
        value_chain=("a", "b", "c", "d"),
        objectives=(),
        countries=(),
        regions=(),
    )

    assert np.array_equal(
        plain.value_chain_matrix(),
        [[0, 1, 0.5, 0], [1, 0, 1, 0.5], [0.5, 1, 0, 1], [0, 0.5, 1, 0]],
    )


def test_explain_calls_a_service_partner_complementary_to_a_producer():
    producer = OrganisationProfile(
        id=1, country="DE", region="DE11", value_chain=frozenset({"production"})
    )
    service = OrganisationProfile(
        id=2, country="FR", region="FR10", value_chain=frozenset({"digital"})
    )
    twin = OrganisationProfile(
        id=3, country="FR", region="FR10", value_chain=frozenset({"knowledge"})
    )

    (reason,) = explain(producer, service, {"value_chain": 0.1}, CHAIN)
    (between_services,) = explain(service, twin, {"value_chain": 0.1}, CHAIN)

    assert reason.params == {"own_positions": ["production"], "partner_positions": ["digital"]}
    # Two service providers do not complement each other: never called complementary.
    assert (between_services.code, between_services.params) == ("same_chain", {"positions": []})


@pytest.mark.django_db
def test_scoring_profiles_unite_declared_and_regional_objectives_and_load_what_is_sought():
    energy = PolicyObjectiveFactory(slug="energy")
    health = PolicyObjectiveFactory(slug="health")
    organisation = OrganisationFactory()
    organisation.policy_objectives.set([energy])
    organisation.s3_priorities.set(
        [S3PriorityFactory(region=organisation.region, policy_objective=health)]
    )
    organisation.seeking_sectors.set([SectoralIndustryFactory(slug="plastics")])
    organisation.seeking_emerging.set([EmergingIndustryFactory(slug="digital-industries")])
    organisation.seeking_ecosystems.set([EcosystemFactory(slug="health")])
    organisation.seeking_value_chain.set(
        [ValueChainPositionFactory(slug="digital-services", is_service=True)]
    )
    other = OrganisationFactory()

    profiles, _eligible = scoring_profiles(
        organisations=Organisation.objects.filter(pk__in=[organisation.pk, other.pk])
    )

    by_id = {profile.id: profile for profile in profiles}
    loaded = by_id[organisation.pk]
    assert loaded.objectives == {"energy", "health"}
    assert (
        loaded.seeking_sectors,
        loaded.seeking_emerging,
        loaded.seeking_ecosystems,
        loaded.seeking_value_chain,
    ) == ({"plastics"}, {"digital-industries"}, {"health"}, {"digital-services"})
    assert by_id[other.pk].objectives == frozenset()
    assert by_id[other.pk].seeking_sectors == frozenset()


@pytest.mark.django_db
def test_taxonomy_from_db_names_the_service_positions():
    ValueChainPositionFactory(slug="research", order=1)
    ValueChainPositionFactory(slug="production", order=4)
    ValueChainPositionFactory(slug="digital-services", order=8, is_service=True)

    taxonomy = taxonomy_from_db()

    assert taxonomy.value_chain == ("research", "production", "digital-services")
    assert taxonomy.service_positions == {"digital-services"}
