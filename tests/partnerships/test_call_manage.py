import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from partnerships.enums import CallState
from partnerships.models import AuditEntry, Call, EvaluationCriterion
from tests.factories import CallFactory, SectoralIndustryFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("partnerships:call-create")
BRUSSELS = ZoneInfo("Europe/Brussels")


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "1" if prefix == "stages" else "0",
        f"{prefix}-MAX_NUM_FORMS": "2" if prefix == "stages" else "1000",
    }


def empty_criterion(index):
    prefix = f"criteria-{index}"
    return {
        f"{prefix}-stage": "1",
        f"{prefix}-name": "",
        f"{prefix}-description": "",
        f"{prefix}-weight": "1",
        f"{prefix}-pass_mark": "3",
    }


def call_data(**changes):
    data = {
        "type": "escp_s3",
        "reference": "escp-s3-2027",
        "title": "Strategic cluster partnerships 2027",
        "description": "Partnerships for smart specialisation investments.",
        "eligible_types": ["cluster", "business_network"],
        "min_partners": "2",
        "min_countries": "3",
        "verified_required": "on",
        "budget": "1500000",
        "funding_rate": "70",
        **management("stages", 2),
        "stages-0-title": "Short proposal",
        "stages-0-deadline": "2030-03-03T17:00",
        "stages-1-title": "",
        "stages-1-deadline": "",
        **management("criteria", 3),
        "criteria-0-stage": "1",
        "criteria-0-name": "Excellence",
        "criteria-0-description": "",
        "criteria-0-weight": "1",
        "criteria-0-pass_mark": "3",
        **empty_criterion(1),
        **empty_criterion(2),
    }
    return data | changes


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_staff_create_a_draft_call_with_stages_and_criteria(staff_client):
    sector = SectoralIndustryFactory()

    response = staff_client.post(
        CREATE,
        call_data(
            sectoral_industries=[sector.pk],
            **{
                "stages-1-title": "Full proposal",
                "stages-1-deadline": "2030-09-10T17:00",
                "criteria-1-stage": "2",
                "criteria-1-name": "Impact",
                "criteria-1-weight": "1.5",
                "criteria-1-pass_mark": "3.5",
            },
        ),
    )

    call = Call.objects.get()
    assert response.status_code == 302
    assert response["Location"] == call.get_absolute_url()
    assert (call.state, call.reference, call.budget, call.funding_rate) == (
        CallState.DRAFT,
        "escp-s3-2027",
        Decimal("1500000"),
        Decimal("70"),
    )
    assert call.eligible_types == ["business_network", "cluster"]
    assert list(call.sectoral_industries.all()) == [sector]
    assert [(s.number, s.title, s.deadline) for s in call.stages.order_by("number")] == [
        (1, "Short proposal", dt.datetime(2030, 3, 3, 17, 0, tzinfo=BRUSSELS)),
        (2, "Full proposal", dt.datetime(2030, 9, 10, 17, 0, tzinfo=BRUSSELS)),
    ]
    assert [(c.stage, c.name, c.weight, c.pass_mark) for c in call.criteria.all()] == [
        (1, "Excellence", Decimal("1.00"), Decimal("3.0")),
        (2, "Impact", Decimal("1.50"), Decimal("3.5")),
    ]
    assert AuditEntry.objects.filter(action="call.created", object_id=str(call.pk)).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stages-0-deadline": ""}, "This field is required."),
        ({"stages-1-deadline": "2030-01-01T17:00"}, "Stage 2 must close after stage 1."),
        ({"criteria-0-stage": "2"}, "The call has no stage 2."),
        ({"criteria-1-name": "excellence"}, "Stage 1 already has this criterion."),
        ({"funding_rate": "120"}, "Ensure this value is less than or equal to 100."),
        ({"criteria-0-pass_mark": "6"}, "Ensure this value is less than or equal to 5."),
        ({"stages-0-deadline": "tomorrow"}, "Enter a valid date/time."),
    ],
)
def test_create_call_bad_input_is_a_form_error_and_saves_nothing(staff_client, changes, message):
    response = staff_client.post(CREATE, call_data(**changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Call.objects.count() == 0


def test_create_call_with_a_reference_taken_is_refused(staff_client):
    CallFactory(reference="escp-s3-2027")

    response = staff_client.post(CREATE, call_data())

    assert response.status_code == 400
    assert "Call with this Reference already exists." in response.content.decode()
    assert Call.objects.count() == 1


def test_staff_edit_a_call_through_the_services(staff_client):
    call = CallFactory(title="Old title", budget=1_000_000)
    url = reverse("partnerships:call-edit", args=[call.pk])
    form = staff_client.get(url)
    stage = call.stages.get()
    local = stage.deadline.astimezone(BRUSSELS).strftime("%Y-%m-%dT%H:%M")

    response = staff_client.post(
        url,
        call_data(
            reference=call.reference,
            title="New title",
            budget="2000000",
            **management("stages", 2, initial=1),
            **{
                "stages-0-title": "",
                "stages-0-deadline": local,
                "criteria-0-name": "Impact",
            },
        ),
    )

    assert form.status_code == 200
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.title, call.budget) == ("New title", Decimal("2000000"))
    assert list(call.criteria.values_list("name", flat=True)) == ["Excellence", "Impact"]
    assert call.stages.get().deadline == stage.deadline
    actions = list(
        AuditEntry.objects.filter(object_id=str(call.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["call.criterion_added", "call.updated"]


def test_edit_keeps_saved_criteria_and_refuses_a_duplicate(staff_client):
    call = CallFactory()
    url = reverse("partnerships:call-edit", args=[call.pk])

    response = staff_client.post(
        url,
        call_data(
            reference=call.reference,
            **management("stages", 2, initial=1),
            **{"stages-0-deadline": "2030-03-03T17:00"},
        ),
    )

    assert response.status_code == 400
    assert "Stage 1 already has this criterion." in response.content.decode()
    assert EvaluationCriterion.objects.filter(call=call).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_call_pages_are_for_staff_only(client, method):
    call = CallFactory()
    client.force_login(UserFactory())

    create = getattr(client, method)(CREATE, call_data() if method == "post" else None)
    edit = getattr(client, method)(reverse("partnerships:call-edit", args=[call.pk]))

    assert (create.status_code, edit.status_code) == (403, 403)
    assert Call.objects.count() == 1


def test_links_to_the_call_pages_show_for_staff_only(staff_client):
    call = CallFactory()
    edit_url = reverse("partnerships:call-edit", args=[call.pk])

    public_detail = Client().get(call.get_absolute_url()).content.decode()
    staff_detail = staff_client.get(call.get_absolute_url()).content.decode()
    staff_list = staff_client.get(reverse("partnerships:call-list")).content.decode()

    assert edit_url not in public_detail
    assert edit_url in staff_detail
    assert CREATE in staff_list
