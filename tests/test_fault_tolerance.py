"""Fault tolerance with real services: a Redis of our own is stopped while managers work, and a
PostgreSQL of our own is restarted under a running web server. The machine's shared Redis and
PostgreSQL are never touched."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.test import Client
from django.utils import timezone

from matchmaking.enums import DEFAULT_WEIGHT_PROFILES, WeightProfileName
from matchmaking.models import RecommendationSet, WeightProfile
from matchmaking.services import default_profile, run_recommendations
from partnerships import services
from partnerships.enums import ExpressionState
from partnerships.models import ExpressionOfInterest, Organisation
from tests.factories import (
    CountryFactory,
    ExpressionFactory,
    ExpressionPartnerFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
    UserFactory,
)

pytestmark = [pytest.mark.fault, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
REDIS_SERVER = shutil.which("redis-server")
PG_BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), None)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, *, timeout, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def log_tail(log, characters=40000):
    log.flush()
    log.seek(0)
    return log.read()[-characters:]


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class OwnRedis:
    """A redis-server of this test's own on a free port, without persistence."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        assert wait_for(lambda: answers(self.port), timeout=10)

    def stop(self):
        stop(self.process)


@pytest.fixture(scope="session")
def own_redis():
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (apt-get install -y redis-server)")
    redis = OwnRedis()
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def web_log():
    with tempfile.TemporaryFile("w+") as log:
        yield log


def start_web(environment, port, log):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "clusterportal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    up = wait_for(lambda: answers(port), timeout=60)
    assert up, "gunicorn did not start"
    return process


def shared_test_database_url():
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


# Redis stopped while managers work -----------------------------------------------------------


def profile_form(organisation, **changes):
    """The profile's "Members and label" step, which holds the description."""
    data = {
        "step": "members",
        "name": organisation.name,
        "acronym": organisation.acronym,
        "type": organisation.type,
        "country": organisation.country_id,
        "region": organisation.region_id,
        "city": organisation.city,
        "website": organisation.website,
        "members_smes": organisation.members_smes,
        "members_large": organisation.members_large,
        "members_research": organisation.members_research,
        "members_public": organisation.members_public,
        "members_civil": 0,
        "member_employees": organisation.member_employees,
        "staff_fte": organisation.staff_fte,
        "description": organisation.description,
        "sectoral_industries": list(organisation.sectoral_industries.values_list("pk", flat=True)),
        "save": "1",
    }
    return data | changes


def signed_in(user, base):
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    # The CSRF cookie comes with any page; the form token may be the cookie's secret.
    session.get(f"{base}/dashboard/", timeout=30)
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session


def submittable_expression(manager, lead):
    expression = ExpressionFactory(lead=lead, title="Battery recycling corridor")
    for code in ("FR", "IT"):
        partner_manager = UserFactory()
        partner = OrganisationFactory(
            region=RegionFactory(country=CountryFactory(code=code)), owner=partner_manager
        )
        services.respond_to_partnership(
            ExpressionPartnerFactory(expression=expression, organisation=partner),
            accept=True,
            by=partner_manager,
        )
    return expression


@pytest.fixture
def redis_world(db):
    WeightProfile.objects.get_or_create(
        slug=WeightProfileName.DEFAULT,
        defaults={"name": "Default", **DEFAULT_WEIGHT_PROFILES[WeightProfileName.DEFAULT]},
    )
    sectors = [SectoralIndustryFactory() for _ in range(3)]
    managed = []
    for number in range(3):
        manager = UserFactory()
        organisation = OrganisationFactory(
            region=RegionFactory(country=CountryFactory(code="DE")),
            owner=manager,
            sectoral_industries=sectors[: number + 1],
        )
        managed.append((organisation, manager))
    others = [OrganisationFactory(sectoral_industries=sectors[-1:]) for _ in range(20)]
    run_recommendations(default_profile(), k=5, workers=1)
    Organisation.objects.update(needs_rescoring=False)
    expression = submittable_expression(managed[0][1], managed[0][0])
    return managed, others, expression


@pytest.mark.django_db(transaction=True)
def test_saves_succeed_while_redis_is_down_and_lists_catch_up_after(
    own_redis, redis_world, web_log, tmp_path
):
    managed, _others, expression = redis_world
    web_port = free_port()
    environment = os.environ | {
        "DATABASE_URL": shared_test_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": f"{own_redis.url}/0",
        "CACHE_URL": f"{own_redis.url}/1",
        # A queue of our own, so no other worker on this machine takes our tasks.
        "CELERY_TASK_DEFAULT_QUEUE": f"fault-{web_port}",
        "LOG_LEVEL": "WARNING",
    }
    schedule = tmp_path / "beat-schedule"
    web = start_web(environment, web_port, web_log)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "clusterportal",
            "worker",
            "--beat",
            "--schedule",
            str(schedule),
            "--pool=solo",
            "--loglevel=WARNING",
            "-Q",
            environment["CELERY_TASK_DEFAULT_QUEUE"],
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{web_port}"
    try:
        sessions = [signed_in(manager, base) for _organisation, manager in managed]
        own_redis.stop()
        outage_started = timezone.now()

        edits = [
            session.post(
                f"{base}/organisations/{organisation.pk}/edit/",
                data=profile_form(organisation, description=f"Recycled batteries, round {n}"),
                allow_redirects=False,
                timeout=60,
            )
            for n, (session, (organisation, _manager)) in enumerate(
                zip(sessions, managed, strict=True)
            )
        ]
        submitted = sessions[0].post(
            f"{base}/expressions/{expression.pk}/submit/", allow_redirects=False, timeout=60
        )

        # Every save is answered as a success and is in the database.
        assert [edit.status_code for edit in edits] == [302, 302, 302], log_tail(web_log)
        assert submitted.status_code == 302
        saved = {
            organisation.pk: (organisation.description, organisation.needs_rescoring)
            for organisation in Organisation.objects.filter(
                pk__in=[organisation.pk for organisation, _manager in managed]
            )
        }
        assert saved == {
            organisation.pk: (f"Recycled batteries, round {n}", True)
            for n, (organisation, _manager) in enumerate(managed)
        }
        assert ExpressionOfInterest.objects.get(pk=expression.pk).state == (
            ExpressionState.SUBMITTED
        )

        own_redis.start()
        back = time.monotonic()
        changed = [organisation.pk for organisation, _manager in managed]
        caught_up = wait_for(
            lambda: (
                not Organisation.objects.filter(pk__in=changed, needs_rescoring=True).exists()
                and RecommendationSet.objects.filter(
                    organisation_id__in=changed, switched_at__gt=outage_started
                ).count()
                == len(changed)
            ),
            timeout=60,
            every=1,
        )
        took = time.monotonic() - back
    finally:
        stop(worker)
        stop(web)
        if own_redis.process.poll() is not None:
            own_redis.start()

    assert caught_up, "the recommendations of the changed organisations were not refreshed"
    assert took < 60


# PostgreSQL restarted under traffic ----------------------------------------------------------


class OwnPostgres:
    """A PostgreSQL cluster of this test's own, run by the postgres OS user on a free port."""

    def __init__(self):
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="cp-fault-pg-"))
        self.data = self.directory / "data"

    def as_postgres(self, *command):
        prefix = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
        return subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, check=True
        )

    def init(self):
        shutil.chown(self.directory, "postgres") if os.geteuid() == 0 else None
        self.as_postgres(f"{PG_BIN}/initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def pg_ctl(self, action, *extra):
        return self.as_postgres(
            f"{PG_BIN}/pg_ctl",
            action,
            "-D",
            str(self.data),
            "-w",
            "-t",
            "60",
            *extra,
        )

    def start(self):
        self.pg_ctl(
            "start",
            "-l",
            str(self.directory / "log"),
            "-o",
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1",
        )

    def stop(self):
        self.pg_ctl("stop", "-m", "fast")

    def url(self, name="portal"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="session")
def own_postgres():
    if PG_BIN is None or shutil.which("runuser") is None and os.geteuid() == 0:
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
    postgres = OwnPostgres()
    postgres.init()
    postgres.start()
    yield postgres
    try:
        postgres.stop()
    finally:
        shutil.rmtree(postgres.directory, ignore_errors=True)


@pytest.mark.django_db
def test_portal_recovers_from_a_postgresql_restart_without_restarting(own_postgres, web_log):
    # The portal's schema, copied from the test database into our own server.
    settings = connection.settings_dict
    schema = subprocess.run(
        [
            f"{PG_BIN}/pg_dump",
            "--schema-only",
            "--no-owner",
            "-h",
            settings["HOST"],
            "-p",
            str(settings["PORT"]),
            "-U",
            settings["USER"],
            settings["NAME"],
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    psql = [
        f"{PG_BIN}/psql",
        "-h",
        "127.0.0.1",
        "-p",
        str(own_postgres.port),
        "-U",
        "postgres",
        "-v",
        "ON_ERROR_STOP=1",
        "-q",
    ]
    subprocess.run([*psql, "-c", "CREATE DATABASE portal"], check=True, capture_output=True)
    subprocess.run(
        [*psql, "-d", "portal"], input=schema, text=True, check=True, capture_output=True
    )
    subprocess.run(
        [
            *psql,
            "-d",
            "portal",
            "-c",
            "INSERT INTO partnerships_country "
            "(code, iso_code, name, name_fr, name_de, eu_member, population) "
            "VALUES ('DE', 'DE', 'Germany', 'Allemagne', 'Deutschland', true, 84000000)",
        ],
        check=True,
        capture_output=True,
    )
    port = free_port()
    environment = os.environ | {
        "DATABASE_URL": own_postgres.url(),
        # Production's defaults: persistent connections, checked before each request.
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "CRITICAL",
    }
    environment.pop("CELERY_BROKER_URL", None)
    environment.pop("CACHE_URL", None)
    web = start_web(environment, port, web_log)
    base = f"http://127.0.0.1:{port}"

    def statuses():
        health = requests.get(f"{base}/healthz", timeout=30).status_code
        countries = requests.get(f"{base}/api/v1/countries/", timeout=30)
        return health, countries.status_code, countries.text

    try:
        # Every worker holds a persistent connection before the restart.
        before = [statuses() for _ in range(6)]
        own_postgres.stop()
        during = [statuses()[:2] for _ in range(4)]
        own_postgres.start()
        recovered = wait_for(lambda: statuses()[:2] == (200, 200), timeout=30)
        after = [statuses() for _ in range(6)]
        still_running = web.poll() is None
    finally:
        stop(web)

    assert {(health, status) for health, status, _body in before} == {(200, 200)}
    assert {health for health, _status in during} == {503}
    assert {status for _health, status in during} <= {500, 503}
    assert recovered
    assert {(health, status) for health, status, _body in after} == {(200, 200)}
    assert "Germany" in after[-1][2]
    assert still_running
