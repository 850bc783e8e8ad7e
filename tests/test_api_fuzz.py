"""Schemathesis over the whole API schema with every check, as every role.

The run is the one `st run --checks all` makes (examples, coverage, fuzzing and stateful
phases), in process: no request may cause a server error, every answer must be one the
schema documents (status, content type, headers, body), every request the schema allows must
be accepted and every request it forbids refused. Every endpoint added to the router is in
the schema, so it is fuzzed here without more code.

Schemathesis sends its requests from a thread of its own; that thread is handed the test's
database connection, so every request runs inside the test's transaction, which is rolled
back after it. The schema lists the values of the filters that name things (countries,
regions, sectors), so it is loaded once the test data exists.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connections
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.engine import Status, from_schema
from schemathesis.engine import events as engine_events

from partnerships.enums import ValidationState
from tests.factories import (
    EventFactory,
    LabelFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)

application = get_wsgi_application()

# Enough to reach every status each operation can give, few enough to run in the suite.
MAX_EXAMPLES = 5
SEED = 2016


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    # One run sends thousands of requests; throttled, most would only show the 429.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})


@pytest.fixture
def shared_connection(db):
    connection = connections["default"]
    # The application closes its connection after each request, which would end the test's
    # transaction; Django's test client stops it for the same reason.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    connection.inc_thread_sharing()
    yield connection
    connection.dec_thread_sharing()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def in_transaction_of(connection):
    """The application, answering on `connection` whichever thread calls it."""

    def application_on_connection(environ, start_response):
        connections["default"] = connection
        return application(environ, start_response)

    return application_on_connection


def portal_data():
    """Someone to sign in as for each role, and one of everything the API lists."""
    manager = UserFactory(email="fuzz-manager@example.eu")
    own = OrganisationFactory(validation_state=ValidationState.DRAFT, owner=manager)
    LabelFactory(organisation=own)
    partner = OrganisationFactory()
    LabelFactory(organisation=partner)
    EventFactory()
    return {"anonymous": None, "manager": manager, "staff": StaffFactory()}


def session_cookie(person):
    client = Client()
    client.force_login(person)
    return f"sessionid={client.cookies['sessionid'].value}"


def run_schemathesis(app, *, cookie):
    """Every phase and check over the API; the figures and the failures, by operation."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    # One worker: the shared connection may serve one thread at a time.
    schema.config.update(workers=1, headers={"Cookie": cookie} if cookie else None)
    schema.config.seed = SEED
    schema.config.checks.update(included_check_names=["all"])
    schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)
    figures = {"operations": set(), "cases": 0, "checks": 0}
    figures["in schema"] = sum(1 for _ in schema.get_all_operations())
    failures, errors = [], []
    for event in from_schema(schema).execute():
        if isinstance(event, engine_events.NonFatalError | engine_events.FatalError):
            errors.append(event)
        if not isinstance(event, engine_events.ScenarioFinished) or not event.is_test_scenario:
            continue
        recorder = event.recorder
        if event.status is not Status.SKIP and event.label:
            figures["operations"].add(event.label)
        figures["cases"] += len(recorder.cases)
        for checks in recorder.checks.values():
            figures["checks"] += len(checks)
            failures += [
                f"{event.label}: {check.name}: {check.failure_info.failure.title}\n"
                f"{check.failure_info.code_sample}"
                for check in checks
                if check.status is Status.FAILURE
            ]
    return figures, sorted(set(failures)), errors


@pytest.mark.slow
@pytest.mark.parametrize("role", ["anonymous", "manager", "staff"])
def test_api_answers_as_its_schema_says(role, shared_connection):
    person = portal_data()[role]

    figures, failures, errors = run_schemathesis(
        in_transaction_of(shared_connection), cookie=session_cookie(person) if person else None
    )

    print(
        f"\nschemathesis as {role}: {len(figures['operations'])} operations, "
        f"{figures['cases']} test cases, {figures['checks']} checks, {len(failures)} failures"
    )
    assert errors == []
    assert failures == [], "\n\n".join(failures)
    # Every operation was tested: one the schema describes wrongly would be skipped.
    assert len(figures["operations"]) == figures["in schema"]
