"""A real Celery worker process on Redis scores a full run, and finishes it after a SIGKILL."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from matchmaking.enums import DEFAULT_WEIGHT_PROFILES, ChunkState, RunState, WeightProfileName
from matchmaking.models import (
    Recommendation,
    RecommendationRun,
    RecommendationSet,
    RunChunk,
    WeightProfile,
)
from tests.factories import (
    EmergingIndustryFactory,
    OrganisationFactory,
    SectoralIndustryFactory,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_S = 4


@pytest.fixture
def worker_env(redis_url):
    # A transactional test before this one flushed the profiles the migrations created.
    WeightProfile.objects.get_or_create(
        slug=WeightProfileName.DEFAULT,
        defaults={"name": "Default", **DEFAULT_WEIGHT_PROFILES[WeightProfileName.DEFAULT]},
    )
    settings = connection.settings_dict
    database = (
        f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
        if connection.vendor == "postgresql"
        else f"sqlite:///{settings['NAME']}"
    )
    if connection.vendor != "postgresql":
        pytest.skip("The worker test needs PostgreSQL (an in-memory test database is not shared)")
    return os.environ | {
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": redis_url,
        # A queue of our own, so no other worker on this Redis takes our tasks, or we theirs.
        "CELERY_TASK_DEFAULT_QUEUE": f"test-{uuid.uuid4().hex}",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_S),
        "DATABASE_CONN_MAX_AGE": "0",
    }


def start_worker(env):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "clusterportal",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-Q",
            env["CELERY_TASK_DEFAULT_QUEUE"],
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(process):
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def start_run(env, *, chunk_size):
    command = ["manage.py", "recompute_matches", "--k", "5", "--chunk-size", str(chunk_size)]
    done = subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return RecommendationRun.objects.get()


def wait_for(condition, *, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def assert_one_complete_set_each(run, organisations):
    assert set(RecommendationSet.objects.values_list("organisation_id", "run_id")) == {
        (organisation.pk, run.pk) for organisation in organisations
    }
    assert Recommendation.objects.count() == len(organisations) * 5
    assert Recommendation.objects.exclude(run=run).count() == 0


def related_organisations(count):
    """Organisations in two sectors of one industry each declares: each relevant to the others
    (the same description alone is below the relevance floor)."""
    industry = EmergingIndustryFactory()
    sectors = [SectoralIndustryFactory(), SectoralIndustryFactory()]
    industry.sectoral_industries.set(sectors)
    return [
        OrganisationFactory(sectoral_industries=[sectors[n % 2]], emerging_industries=[industry])
        for n in range(count)
    ]


def test_worker_process_scores_a_full_run(worker_env):
    organisations = related_organisations(60)
    worker = start_worker(worker_env)
    try:
        run = start_run(worker_env, chunk_size=20)

        finished = wait_for(
            lambda: RecommendationRun.objects.get(pk=run.pk).state != RunState.RUNNING, timeout=25
        )
    finally:
        stop(worker)

    assert finished
    run.refresh_from_db()
    assert (run.state, run.organisations) == (RunState.DONE, 60)
    assert list(run.chunks.values_list("state", flat=True)) == [ChunkState.DONE] * 3
    assert_one_complete_set_each(run, organisations)


def test_run_completes_after_the_worker_is_killed_mid_run(worker_env):
    organisations = related_organisations(300)
    first = start_worker(worker_env)
    try:
        run = start_run(worker_env, chunk_size=3)
        started = wait_for(
            lambda: RunChunk.objects.filter(run=run, state=ChunkState.DONE).count() >= 2,
            timeout=20,
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    done_at_kill = RunChunk.objects.filter(run=run, state=ChunkState.DONE).count()
    assert started
    assert 0 < done_at_kill < 100
    # A delivered but unacknowledged chunk comes back once its visibility timeout has passed.
    time.sleep(VISIBILITY_S + 0.5)
    second = start_worker(worker_env)
    try:
        finished = wait_for(
            lambda: RecommendationRun.objects.get(pk=run.pk).state != RunState.RUNNING, timeout=25
        )
    finally:
        stop(second)

    assert finished
    run.refresh_from_db()
    assert run.state == RunState.DONE
    assert set(run.chunks.values_list("state", flat=True)) == {ChunkState.DONE}
    assert_one_complete_set_each(run, organisations)
