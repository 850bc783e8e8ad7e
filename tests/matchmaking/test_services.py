import datetime as dt

import pytest

from matchmaking.enums import DEFAULT_WEIGHT_PROFILES, RunState
from matchmaking.models import WEIGHT_FIELDS, Recommendation, WeightProfile
from matchmaking.queries import recommendations_for, scoring_profiles
from matchmaking.services import run_recommendations
from partnerships.enums import LabelLevel, ValidationState
from partnerships.models import AuditEntry, Organisation
from tests.factories import (
    CountryFactory,
    LabelFactory,
    OrganisationFactory,
    PolicyObjectiveFactory,
    RegionFactory,
    S3PriorityFactory,
    SectoralIndustryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    return {
        "DE": RegionFactory(code="DE11", country=CountryFactory(code="DE")),
        "FR": RegionFactory(code="FR10", country=CountryFactory(code="FR")),
    }


def test_shipped_weight_profiles_match_the_enum_defaults():
    stored = {profile.slug: profile.weights for profile in WeightProfile.objects.all()}

    assert stored == {slug: dict(weights) for slug, weights in DEFAULT_WEIGHT_PROFILES.items()}


def test_run_recommendations_stores_best_verified_partners_with_contributions(regions, staff):
    german = OrganisationFactory(region=regions["DE"])
    german.target_countries.set(["FR"])
    other_german = OrganisationFactory(region=regions["DE"])
    french = OrganisationFactory(region=regions["FR"])
    draft = OrganisationFactory(region=regions["FR"], validation_state=ValidationState.DRAFT)
    # Every organisation has the same description (a text cosine of 1): the relevance is 1
    # for every pair, and geography multiplies it.
    profile = WeightProfile.objects.create(
        slug="abroad", name="Abroad", text=1.0, international=1.0
    )

    run = run_recommendations(profile, k=2, by=staff)

    stored = {
        (rec.organisation_id, rec.rank): (rec.partner_id, round(rec.score, 9))
        for rec in Recommendation.objects.filter(run=run)
    }
    assert stored == (
        {
            (german.pk, 1): (french.pk, 2.0),
            (german.pk, 2): (other_german.pk, 1.0),
            (other_german.pk, 1): (french.pk, 1.5),
            (other_german.pk, 2): (german.pk, 1.0),
            (french.pk, 1): (german.pk, 1.5),
            (french.pk, 2): (other_german.pk, 1.5),
            (draft.pk, 1): (german.pk, 1.5),
            (draft.pk, 2): (other_german.pk, 1.5),
        }
    )
    run.refresh_from_db()
    assert (run.state, run.organisations, run.k) == (RunState.DONE, 4, 2)
    assert run.weights == profile.weights
    assert AuditEntry.objects.filter(action="scored", object_id=str(run.pk)).count() == 1
    assert Organisation.objects.filter(needs_rescoring=True).count() == 0


def test_recommendation_contributions_sum_to_the_stored_score(regions):
    sector = SectoralIndustryFactory()
    # A shared S3 objective as well as the same words: the same text alone stays below the
    # relevance floor.
    objective = PolicyObjectiveFactory()
    for region in (regions["DE"], regions["DE"], regions["FR"]):
        OrganisationFactory(region=region, sectoral_industries=[sector]).policy_objectives.set(
            [objective]
        )
    profile = WeightProfile.objects.get(slug="default")

    run = run_recommendations(profile, k=2)

    recommendations = list(Recommendation.objects.filter(run=run))
    assert len(recommendations) == 6
    for rec in recommendations:
        assert sum(rec.contributions.values()) == pytest.approx(rec.score, abs=1e-12)
    twins = [rec for rec in recommendations if rec.duplicate != 0]
    # The default penalty takes half of a twin's score: what is left equals what was taken.
    assert len(twins) == 2
    assert [rec.duplicate for rec in twins] == pytest.approx([-twin.score for twin in twins])


def test_recommendations_for_lists_one_organisation_best_first(regions):
    objective = PolicyObjectiveFactory()
    first, second, third = (OrganisationFactory(region=regions["FR"]) for _ in range(3))
    for organisation in (first, second, third):
        organisation.policy_objectives.set([objective])
    run = run_recommendations(WeightProfile.objects.get(slug="default"), k=2)

    listed = list(recommendations_for(second, run))

    assert [rec.rank for rec in listed] == [1, 2]
    assert {rec.partner_id for rec in listed} == {first.pk, third.pk}


def test_scoring_profiles_reads_labels_objectives_targets_members_and_text(regions):
    organisation = OrganisationFactory(
        region=regions["DE"],
        description="Battery cells",
        keywords="storage,recycling",
        members_smes=10,
        members_large=5,
        members_research=3,
        members_public=2,
    )
    organisation.target_countries.set(["FR"])
    priority = S3PriorityFactory(region=regions["DE"])
    organisation.s3_priorities.set([priority])
    today = dt.date.today()
    LabelFactory(
        organisation=organisation, level=LabelLevel.GOLD, valid_until=today - dt.timedelta(1)
    )
    LabelFactory(organisation=organisation, level=LabelLevel.SILVER)
    draft = OrganisationFactory(region=regions["FR"], validation_state=ValidationState.PENDING)

    profiles, eligible = scoring_profiles()

    assert [profile.id for profile in profiles] == [organisation.pk, draft.pk]
    assert eligible == [True, False]
    profile = profiles[0]
    assert profile.label_rank == 2
    assert profile.objectives == frozenset({priority.policy_objective.slug})
    assert profile.target_countries == frozenset({"FR"})
    assert (profile.country, profile.region) == ("DE", "DE11")
    assert profile.members == 20
    assert profile.text == "Battery cells storage recycling"


def test_weight_profile_has_a_non_negative_float_field_for_every_scoring_component():
    # The names come from the scorer; the columns are declared one by one on the model.
    fields = {field.name: field for field in WeightProfile._meta.get_fields()}

    assert [name for name in WEIGHT_FIELDS if name not in fields] == []
    assert {type(fields[name]).__name__ for name in WEIGHT_FIELDS} == {"FloatField"}
    assert {fields[name].validators[0].limit_value for name in WEIGHT_FIELDS} == {0.0}
