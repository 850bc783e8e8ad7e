import pytest

from matchmaking import services, tasks
from matchmaking.enums import ChunkState, RunKind, RunState
from matchmaking.features import encode
from matchmaking.models import Recommendation, RecommendationRun, RecommendationSet, RunChunk
from matchmaking.queries import (
    current_recommendations,
    run_progress_of,
    scoring_profiles,
    taxonomy_from_db,
)
from matchmaking.scoring import top_k
from matchmaking.services import run_recommendations, start_full_run
from partnerships.enums import ValidationState
from partnerships.models import Organisation
from partnerships.services import mark_for_rescoring
from tests.factories import (
    CountryFactory,
    EmergingIndustryFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    regions = [
        RegionFactory(code=f"{code}11", country=CountryFactory(code=code))
        for code in ("DE", "FR", "IT")
    ]
    bridge = EmergingIndustryFactory()
    sectors = [SectoralIndustryFactory() for _ in range(3)]
    bridge.sectoral_industries.set(sectors)
    return [
        # Different sectors in an industry each declares: related enough to be listed.
        OrganisationFactory(
            region=regions[n % 3],
            sectoral_industries=[sectors[n % 3]],
            emerging_industries=[bridge],
            members_smes=10 + 7 * n,
        )
        for n in range(7)
    ]


def shown(organisation):
    return [(rec.rank, rec.partner_id, rec.score) for rec in current_recommendations(organisation)]


def partners_of(organisation):
    return [partner for _rank, partner, _score in shown(organisation)]


def every_shown(organisations):
    return {organisation.pk: shown(organisation) for organisation in organisations}


def default_profile():
    return services.default_profile()


def test_failure_half_way_through_a_switch_leaves_the_old_set_visible(organisations, monkeypatch):
    first = run_recommendations(default_profile(), k=3)
    before = every_shown(organisations)

    def crash_after_the_rows(run, organisation_ids):
        raise RuntimeError("injected after the rows were written")

    monkeypatch.setattr(services, "_point_sets", crash_after_the_rows)
    with pytest.raises(RuntimeError, match="injected"):
        run_recommendations(default_profile(), k=3)

    assert every_shown(organisations) == before
    assert set(RecommendationSet.objects.values_list("run_id", flat=True)) == {first.pk}
    assert set(Recommendation.objects.values_list("run_id", flat=True)) == {first.pk}
    assert RecommendationRun.objects.exclude(pk=first.pk).get().state == RunState.FAILED


def test_reader_sees_the_old_set_until_the_switch_then_only_the_new(organisations, monkeypatch):
    first = run_recommendations(default_profile(), k=3)
    before = every_shown(organisations)
    seen_mid_write = {}
    point_sets = services._point_sets

    def look_then_point(run, organisation_ids):
        # The new rows are written (uncommitted) at this point; readers must not see them.
        seen_mid_write.update(every_shown(organisations))
        point_sets(run, organisation_ids)

    monkeypatch.setattr(services, "_point_sets", look_then_point)
    second = run_recommendations(default_profile(), k=2)

    assert seen_mid_write == before
    after = every_shown(organisations)
    assert after == {pk: rows[:2] for pk, rows in before.items()}
    assert set(RecommendationSet.objects.values_list("run_id", flat=True)) == {second.pk}
    assert Recommendation.objects.filter(run=first).count() == 0


def test_full_run_in_chunks_gives_the_same_sets_as_one_run(
    organisations, django_capture_on_commit_callbacks
):
    single = run_recommendations(default_profile(), k=3)
    expected = every_shown(organisations)

    with django_capture_on_commit_callbacks(execute=True):
        run = start_full_run(default_profile(), k=3, chunk_size=3)

    run.refresh_from_db()
    assert (run.state, run.kind, run.organisations) == (RunState.DONE, RunKind.FULL, 7)
    assert run_progress_of(run) == (3, 0, 3)
    assert every_shown(organisations) == expected
    assert Recommendation.objects.filter(run=single).count() == 0
    assert Recommendation.objects.filter(run=run).count() == 7 * 3


def test_a_chunk_that_keeps_crashing_fails_after_three_tries_and_others_finish(
    organisations, monkeypatch, django_capture_on_commit_callbacks
):
    cursed = organisations[0].pk
    real_top_k = services.top_k

    def crash_on_the_first_chunk(encoded, weights, **kwargs):
        if cursed in encoded.ids[kwargs["rows"]]:
            raise RuntimeError("injected crash")
        return real_top_k(encoded, weights, **kwargs)

    monkeypatch.setattr(services, "top_k", crash_on_the_first_chunk)

    with django_capture_on_commit_callbacks(execute=True):
        run = start_full_run(default_profile(), k=3, chunk_size=3)

    run.refresh_from_db()
    chunks = list(run.chunks.order_by("first_id"))
    assert [(c.state, c.attempts) for c in chunks] == [
        (ChunkState.FAILED, 3),
        (ChunkState.DONE, 1),
        (ChunkState.DONE, 1),
    ]
    assert chunks[0].error == "injected crash"
    assert run.state == RunState.FAILED
    assert run_progress_of(run) == (2, 1, 3)
    pointed = set(RecommendationSet.objects.filter(run=run).values_list("organisation", flat=True))
    assert pointed == {o.pk for o in organisations[3:]}


def test_score_chunk_task_run_twice_writes_once(organisations):
    run = start_full_run(default_profile(), k=3, chunk_size=10)
    chunk = RunChunk.objects.get(run=run)

    tasks.score_chunk.delay(chunk.pk)
    first = every_shown(organisations)
    tasks.score_chunk.delay(chunk.pk)

    chunk.refresh_from_db()
    assert (chunk.state, chunk.attempts) == (ChunkState.DONE, 1)
    assert every_shown(organisations) == first
    assert Recommendation.objects.count() == 7 * 3
    run.refresh_from_db()
    assert run.state == RunState.DONE


def test_profile_change_refreshes_own_list_and_the_lists_it_enters(
    organisations, django_capture_on_commit_callbacks
):
    newcomer = organisations[-1]
    Organisation.objects.filter(pk=newcomer.pk).update(validation_state=ValidationState.PENDING)
    run_recommendations(default_profile(), k=2)
    assert all(newcomer.pk not in partners_of(o) for o in organisations)
    Organisation.objects.filter(pk=newcomer.pk).update(
        validation_state=ValidationState.VERIFIED, members_smes=480
    )

    with django_capture_on_commit_callbacks(execute=True):
        mark_for_rescoring([newcomer.pk])

    refreshed = every_shown(organisations)
    incremental = RecommendationRun.objects.get(kind=RunKind.INCREMENTAL)
    entered = [o.pk for o in organisations if newcomer.pk in partners_of(o)]
    assert (incremental.state, incremental.organisations) == (RunState.DONE, len(entered) + 1)
    assert entered != []
    assert Organisation.objects.filter(needs_rescoring=True).count() == 0
    assert Recommendation.objects.count() == 7 * 2
    # The same sets as scoring everyone again from scratch.
    run_recommendations(default_profile(), k=2)
    assert every_shown(organisations) == refreshed


def test_rescore_task_run_twice_gives_the_same_sets(organisations):
    run_recommendations(default_profile(), k=3)
    changed = [organisations[1].pk]

    tasks.rescore_organisations.delay(changed)
    first = every_shown(organisations)
    tasks.rescore_organisations.delay(changed)

    assert every_shown(organisations) == first
    assert Recommendation.objects.count() == 7 * 3


def test_sweep_picks_up_organisations_still_marked(organisations):
    run_recommendations(default_profile(), k=3)
    Organisation.objects.filter(pk=organisations[2].pk).update(needs_rescoring=True)

    assert tasks.sweep_needs_rescoring.delay().get() == 1

    assert Organisation.objects.filter(needs_rescoring=True).count() == 0
    assert RecommendationRun.objects.filter(kind=RunKind.INCREMENTAL).count() == 1


def test_a_run_that_switches_after_a_newer_one_leaves_no_rows_behind(organisations):
    profile = default_profile()
    late = RecommendationRun.objects.create(profile=profile, weights=profile.weights, k=2)
    newer = run_recommendations(profile, k=2)
    profiles, eligible = scoring_profiles()
    encoded = encode(profiles, taxonomy_from_db())
    result = top_k(encoded, profile.weights, k=2, eligible=eligible)
    rows = list(range(encoded.size))

    services.switch_sets(late, encoded.ids, result, rows)
    deleted = services.delete_superseded(encoded.ids, run=late)

    assert deleted == 7 * 2
    assert set(RecommendationSet.objects.values_list("run_id", flat=True)) == {newer.pk}
    assert set(Recommendation.objects.values_list("run_id", flat=True)) == {newer.pk}
    assert Recommendation.objects.count() == 7 * 2


def test_a_new_full_run_deletes_the_rows_of_the_previous_one(organisations):
    first = run_recommendations(default_profile(), k=3)

    second = run_recommendations(default_profile(), k=3)

    assert set(Recommendation.objects.values_list("run_id", flat=True)) == {second.pk}
    assert Recommendation.objects.count() == 7 * 3
    assert first.recommendations.count() == 0
