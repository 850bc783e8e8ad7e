import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from matchmaking.enums import RunState
from matchmaking.models import RecommendationRun, RecommendationSet
from partnerships.models import PlantedPartnership
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_eval_matching_prints_recall_of_planted_partnerships_last():
    planted = [OrganisationFactory() for _ in range(3)]
    OrganisationFactory()
    group = PlantedPartnership.objects.create(seed=1, name="Planted")
    group.organisations.set(planted)
    out = StringIO()

    call_command("eval_matching", "--k", "2", stdout=out)

    lines = out.getvalue().strip().splitlines()
    assert lines[0] == "1 planted partnerships, 3 members, 4 organisations"
    assert list(json.loads(lines[-1])) == ["recall_at_2"]


def test_eval_matching_without_planted_partnerships_says_so():
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("eval_matching")


def test_recompute_matches_runs_every_chunk_in_process(django_capture_on_commit_callbacks):
    organisations = [OrganisationFactory() for _ in range(5)]
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("recompute_matches", "--k", "2", "--chunk-size", "2", stdout=out)

    run = RecommendationRun.objects.get()
    assert run.state == RunState.DONE
    # The test transaction holds the chunks back until the command has printed.
    assert out.getvalue().strip() == f"Run {run.pk}: Running, 0 of 3 chunks done, 0 failed."
    assert RecommendationSet.objects.filter(run=run).count() == len(organisations)


def test_recompute_matches_if_none_skips_once_a_run_is_done(django_capture_on_commit_callbacks):
    OrganisationFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recompute_matches", "--if-none", stdout=StringIO())
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("recompute_matches", "--if-none", stdout=out)

    assert RecommendationRun.objects.get().state == RunState.DONE
    assert out.getvalue().strip() == "Recommendations are there already: no new run."


def test_bench_matching_times_a_full_run_and_refreshes_and_leaves_no_runs():
    OrganisationFactory.create_batch(30)
    output = StringIO()

    call_command("bench_matching", organisations=30, peer_rows=10, refreshes=3, k=5, stdout=output)

    summary = json.loads(output.getvalue().splitlines()[-1])
    assert summary["organisations"] == 30
    assert summary["end_to_end_s"] > 0
    assert summary["refresh_p95_s"] > 0
    assert "incremental refresh of one organisation" in output.getvalue()
    assert RecommendationRun.objects.count() == 0
    assert RecommendationSet.objects.count() == 0
