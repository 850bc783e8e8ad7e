import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from matchmaking.enums import RunState
from matchmaking.management.commands.eval_matching import Command as EvalCommand
from matchmaking.models import RecommendationRun, RecommendationSet, WeightProfile
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


REQUIRED_KEYS = {
    "recall_at_20",
    "recall_at_20_weak_geography",
    "lift_over_best_baseline",
    "held_out_pass_rate",
    "gaming_growth",
    "coverage",
    "gini",
    "largest_country_share",
    "unrelated_share",
    "escp_recall",
}


def test_eval_matching_quick_run_ends_with_the_figures_as_json():
    WeightProfile.objects.all().delete()
    out = StringIO()

    call_command("eval_matching", "--quick", stdout=out)

    lines = out.getvalue().strip().splitlines()
    summary = json.loads(lines[-1])
    assert lines[0] == (
        "Weights: shipped defaults of “default” (not in the database). "
        "1500 generated organisations, seed 2016, k = 20."
    )
    assert set(summary) >= REQUIRED_KEYS
    assert summary["organisations"] == 1500
    assert 0.0 <= summary["recall_at_20"] <= 1.0


def test_eval_matching_quick_run_shows_baselines_and_ablations_apart():
    WeightProfile.objects.all().delete()
    out = StringIO()

    call_command("eval_matching", "--quick", stdout=out)

    text = out.getvalue()
    summary = json.loads(text.strip().splitlines()[-1])
    header = next(line for line in text.splitlines() if line.startswith("set "))
    assert header.split()[:7] == [
        "set",
        "engine",
        "random",
        "popularity",
        "geography",
        "jaccard",
        "tfidf",
    ]
    assert set(summary["baselines"]) == {"random", "popularity", "geography", "jaccard", "tfidf"}
    assert summary["best_baseline"] in summary["baselines"]
    assert "Ablations (the engine without one of its own parts; not baselines):" in text
    assert set(summary["ablations"]) >= {"no geography", "no cross_sector", "no seeking"}


def test_eval_matching_diagnosis_reads_the_tuning_seed_and_says_why_partners_are_missed():
    WeightProfile.objects.all().delete()
    out = StringIO()

    call_command("eval_matching", "--diagnose", "--quick", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Planted partners, weak geography, 1500 organisations, seed 7: ")
    reasons = lines.index("Why missed pairs lost:")
    counted = {
        line.rsplit(maxsplit=1)[0].strip(): int(line.rsplit(maxsplit=1)[1])
        for line in lines[reasons + 3 : reasons + 6]
    }
    assert set(counted) == {"below the relevance floor", "outscored", "country cap"}
    found, pairs = (int(part) for part in lines[0].split(": ")[1].split(" pairs")[0].split(" of "))
    assert sum(counted.values()) == pairs - found


def test_eval_matching_reads_the_weight_profile_from_the_database():
    WeightProfile.objects.update_or_create(
        slug="themes-only", defaults={"name": "Themes only", "cross_sector": 1.0}
    )

    weights, origin = EvalCommand().weights("themes-only")

    assert weights["cross_sector"] == 1.0
    assert weights["international"] == 0.0
    assert origin == "profile “themes-only” from the database"


@pytest.mark.parametrize(
    "arguments",
    [["--profile", "no-such-profile"], ["--k", "0"], ["--organisations", "10"]],
)
def test_eval_matching_refuses_bad_arguments(arguments):
    with pytest.raises(CommandError):
        call_command("eval_matching", *arguments, stdout=StringIO())


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
