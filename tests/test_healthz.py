import time

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection

from clusterportal.tasks import HEARTBEAT_CACHE_KEY, heartbeat

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_healthz_is_ok_without_broker_when_the_database_answers(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "not configured", "worker": "not configured"},
        "worker_heartbeat_age_seconds": None,
        "status_code_depends_on": ["database"],
    }


def test_healthz_is_503_when_the_database_is_unreachable(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connection, "cursor", unreachable)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {
            "database": "error: OperationalError",
            "redis": "not configured",
            "worker": "not configured",
        },
        "worker_heartbeat_age_seconds": None,
        "status_code_depends_on": ["database"],
    }


def test_healthz_is_ok_with_redis_answering_and_a_fresh_heartbeat(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    heartbeat()

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "worker": "ok"},
        "worker_heartbeat_age_seconds": 0,
        "status_code_depends_on": ["database"],
    }


def test_healthz_reports_a_stale_heartbeat_but_stays_200(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    settings.HEARTBEAT_STALE_AFTER = 90
    cache.set(HEARTBEAT_CACHE_KEY, time.time() - 300, timeout=None)

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"] == {"database": "ok", "redis": "ok", "worker": "stale"}
    assert 300 <= body["worker_heartbeat_age_seconds"] <= 302


def test_healthz_reports_a_missing_heartbeat_but_stays_200(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "redis": "ok", "worker": "missing"},
        "worker_heartbeat_age_seconds": None,
        "status_code_depends_on": ["database"],
    }


def test_healthz_reports_unreachable_redis_quickly_and_stays_200(client, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_REDIS
    settings.HEALTHZ_REDIS_TIMEOUT = 0.5
    heartbeat()
    started = time.monotonic()

    response = client.get("/healthz")

    assert time.monotonic() - started < 2
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "redis": "error: ConnectionError", "worker": "ok"},
        "worker_heartbeat_age_seconds": 0,
        "status_code_depends_on": ["database"],
    }


def test_heartbeat_run_twice_keeps_one_recent_timestamp():
    before = time.time()

    heartbeat.delay()
    heartbeat.delay()

    assert before <= cache.get(HEARTBEAT_CACHE_KEY) <= time.time()


def test_heartbeat_is_scheduled_every_thirty_seconds(settings):
    assert settings.CELERY_BEAT_SCHEDULE["clusterportal-heartbeat"] == {
        "task": "clusterportal.heartbeat",
        "schedule": 30.0,
        "options": {"expires": 30.0},
    }
