"""Schemathesis over the whole API schema, as every role: no request may cause a server error.

Every endpoint added to the router is in the schema, so it is fuzzed here without more code.
The requests are made in process, so each test runs inside a transaction that is rolled back
rather than emptying the database after it; what the services queue after commit runs after
each request, as it would on a committed one.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from partnerships.enums import ValidationState
from tests.factories import LabelFactory, OrganisationFactory, StaffFactory, UserFactory

application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _connection_kept_between_requests():
    # The application closes its database connection after each request, which would end the
    # test's transaction; Django's test client stops it for the same reason, and schemathesis
    # calls the application directly.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "manager", "staff"])
def auth_cookies(request, django_db_blocker):
    with django_db_blocker.unblock():
        manager = UserFactory(email=f"fuzz-manager-{request.param}@example.eu")
        draft = OrganisationFactory(validation_state=ValidationState.DRAFT, owner=manager)
        LabelFactory(organisation=draft)
        LabelFactory(organisation=OrganisationFactory())
        people = {
            "anonymous": None,
            "manager": manager,
            "staff": StaffFactory(email=f"fuzz-staff-{request.param}@ec.europa.eu"),
        }
        person = people[request.param]
        if person is None:
            return {}
        client = Client()
        client.force_login(person)
        return {"sessionid": client.cookies["sessionid"].value}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_every_generated_request_without_server_error(
    case, auth_cookies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = case.call(cookies=auth_cookies)

    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
