import datetime as dt

import pytest
from django.utils import timezone

from partnerships.enums import CallState, ExpressionState
from partnerships.models import AuditEntry, Call, User
from tests.factories import CallFactory, ExpressionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root@ec.europa.eu", "horse battery"))
    return client


def inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def test_staff_create_a_call_with_stage_and_criterion_through_services(admin_client):
    deadline = timezone.localtime() + dt.timedelta(days=30)
    data = {
        "type": "escp_s3",
        "reference": "escp-s3-admin",
        "title": "Smart specialisation investments",
        "description": "",
        "eligible_types": ["cluster", "science_park"],
        "min_partners": "2",
        "min_countries": "3",
        "verified_required": "on",
        "budget": "0",
        "funding_rate": "100",
        **inline(
            "stages",
            [
                {
                    "number": "1",
                    "title": "",
                    "deadline_0": deadline.strftime("%Y-%m-%d"),
                    "deadline_1": "17:00:00",
                }
            ],
        ),
        **inline(
            "criteria",
            [{"stage": "1", "name": "Impact", "weight": "1.5", "pass_mark": "3", "order": "0"}],
        ),
    }

    response = admin_client.post("/admin/partnerships/call/add/", data)

    call = Call.objects.get()
    assert response.status_code == 302
    assert (call.state, call.eligible_types) == (CallState.DRAFT, ["cluster", "science_park"])
    assert timezone.localtime(call.stages.get().deadline).strftime("%H:%M") == "17:00"
    assert list(call.criteria.values_list("name", "weight")) == [("Impact", 1.5)]
    assert sorted(
        AuditEntry.objects.filter(object_id=str(call.pk)).values_list("action", flat=True)
    ) == ["call.created", "call.criterion_added", "call.stage_set"]


def test_admin_open_action_goes_through_the_service(admin_client):
    call = CallFactory(state=CallState.DRAFT)

    admin_client.post(
        "/admin/partnerships/call/", {"action": "open_calls", "_selected_action": [call.pk]}
    )

    call.refresh_from_db()
    assert call.state == CallState.OPEN
    assert AuditEntry.objects.get(object_id=str(call.pk)).action == "call.open"


def test_admin_eligibility_action_refuses_a_draft(admin_client):
    expression = ExpressionFactory()

    admin_client.post(
        "/admin/partnerships/expressionofinterest/",
        {"action": "mark_eligible", "_selected_action": [expression.pk]},
    )

    expression.refresh_from_db()
    assert expression.state == ExpressionState.DRAFT


def test_admin_action_reports_moved_rows_once_and_each_refusal(admin_client):
    draft = CallFactory(state=CallState.DRAFT, title="Going International")
    decided = CallFactory(state=CallState.DECIDED, title="INNOSUP-1-2015")

    response = admin_client.post(
        "/admin/partnerships/call/",
        {"action": "open_calls", "_selected_action": [draft.pk, decided.pk]},
        follow=True,
    )

    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert shown[0] == ("success", "1 call is now “Open”.")
    assert [level for level, _text in shown] == ["success", "error"]
    assert shown[1][1].startswith("INNOSUP-1-2015: ")
    decided.refresh_from_db()
    assert decided.state == CallState.DECIDED
