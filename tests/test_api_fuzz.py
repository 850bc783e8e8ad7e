"""Schemathesis over the whole API schema, as every role: no request may cause a server error.

Every endpoint added to the router is in the schema, so it is fuzzed here without more code.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from partnerships.enums import ValidationState
from tests.factories import LabelFactory, OrganisationFactory, StaffFactory, UserFactory

application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


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


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_every_generated_request_without_server_error(case, auth_cookies):
    response = case.call(cookies=auth_cookies)

    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
