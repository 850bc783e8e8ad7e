import ast
from pathlib import Path

import numpy as np
import pytest

from matchmaking import encoded_cache
from matchmaking.engine import rank_partners, score_pairs
from matchmaking.enums import DEFAULT_WEIGHT_PROFILES, WeightProfileName
from matchmaking.features import encode
from matchmaking.models import WEIGHT_FIELDS, Recommendation, RecommendationRun, WeightProfile
from matchmaking.queries import default_profile, scoring_profiles, taxonomy_from_db
from matchmaking.scoring import lists_entered, partner_scores
from matchmaking.sentences import BAND_LABELS
from matchmaking.services import rescore_organisations, run_recommendations
from partnerships.enums import ValidationState
from partnerships.models import Organisation
from tests.factories import CountryFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Three verified organisations and a draft with the same description (a text cosine of
    1, so every relevance is 1) under a default profile of text and international weight 1:
    a score is 1 + 0.5 [other country] + 0.5 [partner in a target country]."""
    germany = RegionFactory(code="DE11", country=CountryFactory(code="DE"))
    france = RegionFactory(code="FR10", country=CountryFactory(code="FR"))
    weights = dict.fromkeys(WEIGHT_FIELDS, 0.0) | {"text": 1.0, "international": 1.0}
    WeightProfile.objects.update_or_create(
        slug=WeightProfileName.DEFAULT, defaults={"name": "Default", **weights}
    )
    german = OrganisationFactory(region=germany)
    german.target_countries.set(["FR"])
    return {
        "german": german,
        "other_german": OrganisationFactory(region=germany),
        "french": OrganisationFactory(region=france),
        "draft": OrganisationFactory(region=france, validation_state=ValidationState.DRAFT),
    }


def test_score_pairs_scores_unlisted_pairs_with_the_default_weights(world):
    german = world["german"]
    ids = [world["french"].pk, world["other_german"].pk, german.pk]

    pairs = score_pairs(german, ids)

    assert sorted(pairs) == sorted(ids[:2])
    assert round(pairs[world["french"].pk].score, 9) == 2.0
    assert round(pairs[world["other_german"].pk].score, 9) == 1.0
    french = pairs[world["french"].pk]
    assert french.listable
    assert round(sum(french.contributions.values()), 9) == 2.0
    assert french.band == BAND_LABELS["strong"]
    assert len(french.reasons) >= 1
    assert all(isinstance(reason, str) and reason for reason in french.reasons)


def test_score_pairs_keeps_the_stored_contributions_of_a_shown_pair(world):
    run_recommendations(default_profile(), k=2)
    german = Organisation.objects.get(pk=world["german"].pk)
    stored = Recommendation.objects.get(run__isnull=False, organisation=german, rank=1)
    # The stored row says something the weights of today would not: the page must repeat it.
    Recommendation.objects.filter(pk=stored.pk).update(text=0.75)
    stored.refresh_from_db()

    pairs = score_pairs(german, [stored.partner_id])

    assert pairs[stored.partner_id].contributions == stored.contributions


def test_a_changed_organisation_is_scored_again_rather_than_read_from_its_list(world):
    run_recommendations(default_profile(), k=2)
    Recommendation.objects.filter(organisation=world["german"]).update(text=0.75)
    Organisation.objects.filter(pk=world["german"].pk).update(needs_rescoring=True)
    german = Organisation.objects.get(pk=world["german"].pk)

    pairs = score_pairs(german, [world["french"].pk])

    assert round(pairs[world["french"].pk].score, 9) == 2.0


def test_rank_partners_lists_the_best_first_and_stops_at_the_limit(world):
    german = world["german"]
    ids = [world["other_german"].pk, world["french"].pk, world["draft"].pk]

    ranked = rank_partners(german, ids)
    first = rank_partners(german, ids, limit=1)

    # The draft scores like the French one (same country), the lower id first among equals.
    assert [(pair.partner_id, round(pair.score, 9)) for pair in ranked] == [
        (world["french"].pk, 2.0),
        (world["draft"].pk, 2.0),
        (world["other_german"].pk, 1.0),
    ]
    assert [pair.partner_id for pair in first] == [world["french"].pk]


def test_rank_partners_leaves_out_partners_below_the_relevance_floor(world):
    loner = OrganisationFactory(region=world["french"].region, description="Zzz qqq xxx")

    assert rank_partners(world["german"], [loner.pk]) == []
    assert score_pairs(world["german"], [loner.pk])[loner.pk].listable is False


def test_reading_the_default_profile_never_writes_it(world):
    WeightProfile.objects.filter(slug=WeightProfileName.DEFAULT).delete()

    profile = default_profile()
    pairs = score_pairs(world["german"], [world["french"].pk])

    assert profile.pk is None
    assert profile.weights == dict(DEFAULT_WEIGHT_PROFILES[WeightProfileName.DEFAULT])
    assert list(pairs) == [world["french"].pk]
    assert not WeightProfile.objects.filter(slug=WeightProfileName.DEFAULT).exists()


def test_lists_entered_takes_the_lists_not_full_and_those_a_changed_partner_beats(world):
    profiles, eligible = scoring_profiles()
    encoded = encode(profiles, taxonomy_from_db())
    row = {int(pk): index for index, pk in enumerate(encoded.ids)}
    weights = WeightProfile.objects.get(slug=WeightProfileName.DEFAULT).weights
    german, other, french, draft = (row[world[name].pk] for name in world)
    # The German lists are full down to 1.5 (German's) and 2.5 (the other German's); the
    # French list and the draft's are not full.
    lowest = np.full(encoded.size, -np.inf)
    lowest[[german, other]] = [1.5, 2.5]
    scores = partner_scores(encoded, weights, [french])

    entered = lists_entered(scores, lowest)
    # French as partner: 2.0 for German (a target country), 1.5 for the other German.
    assert [round(scores[german, 0], 9), round(scores[other, 0], 9)] == [2.0, 1.5]
    assert sorted(entered.tolist()) == sorted([german, french, draft])
    assert sorted(lists_entered(np.full((encoded.size, 1), -np.inf), lowest).tolist()) == sorted(
        [french, draft]
    )


def test_a_refresh_reaches_the_lists_a_changed_partner_enters_and_no_other(world):
    run_recommendations(default_profile(), k=2)
    french = world["french"]
    # Every list is full (k = 2). The Germans list French; the draft's list ends at 1.5,
    # which French (1.0 from the same country) does not reach.
    refresh = rescore_organisations([french.pk], k=2)

    assert set(
        Recommendation.objects.filter(run=refresh).values_list("organisation_id", flat=True)
    ) == {world["german"].pk, world["other_german"].pk, french.pk}


def test_a_full_run_encodes_every_organisation_once_per_run(world):
    profile = default_profile()
    first = RecommendationRun.objects.create(profile=profile, weights=profile.weights, k=2)
    second = RecommendationRun.objects.create(profile=profile, weights=profile.weights, k=2)

    once = encoded_cache.encoded_for_run(first)
    again = encoded_cache.encoded_for_run(first)
    other = encoded_cache.encoded_for_run(second)

    assert once is again
    assert other is not once
    assert other[0].size == once[0].size == 4


def test_services_queue_tasks_by_name_and_never_import_the_tasks_module():
    package = Path(__file__).resolve().parents[2] / "matchmaking" / "services"
    imported = set()
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                imported.add(node.module)
                imported.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)

    assert "matchmaking.tasks" not in imported
    tasks = ast.parse((package.parent / "tasks.py").read_text())
    # The tasks import the services at module level (no import inside a function needed).
    assert any(
        isinstance(node, ast.ImportFrom)
        and node.module == "matchmaking"
        and "services" in {alias.name for alias in node.names}
        for node in tasks.body
    )
