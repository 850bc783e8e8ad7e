import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from partnerships import services
from partnerships.enums import CallState, CallType, ValidationState
from partnerships.models import AuditEntry, Call
from tests.factories import CallFactory, LabelFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db


def in_days(days):
    return timezone.now() + dt.timedelta(days=days)


def test_create_call_with_stages_and_criteria():
    staff = StaffFactory()

    call = services.create_call(
        by=staff,
        type=CallType.TWO_STAGE,
        reference="innosup-test",
        title="Cluster facilitated projects",
        eligible_types=["cluster", "cluster"],
        budget=24_900_000,
        funding_rate=70,
        stages=[{"number": 1, "deadline": in_days(30)}, {"number": 2, "deadline": in_days(90)}],
        criteria=[
            {"name": "Excellence", "weight": 1, "pass_mark": 3},
            {"name": "Impact", "weight": 2, "pass_mark": 3, "stage": 2},
        ],
    )

    assert (call.state, call.eligible_types, call.is_two_stage) == (
        CallState.DRAFT,
        ["cluster"],
        True,
    )
    assert list(call.criteria.values_list("stage", "name")) == [(1, "Excellence"), (2, "Impact")]
    assert AuditEntry.objects.filter(object_id=str(call.pk)).count() == 5


def test_set_stage_two_before_stage_one_closes_is_refused():
    call = CallFactory(deadline=in_days(30))

    with pytest.raises(ValidationError) as error:
        services.set_stage(call, number=2, deadline=in_days(10), by=StaffFactory())

    assert error.value.message_dict == {"deadline": ["Stage 2 must close after stage 1."]}
    assert call.stages.count() == 1


def test_set_stage_naive_deadline_is_refused():
    call = CallFactory()

    with pytest.raises(ValidationError) as error:
        services.set_stage(call, number=1, deadline=dt.datetime(2030, 1, 1), by=StaffFactory())

    assert error.value.message_dict == {"deadline": ["Give the deadline with its time zone."]}


def test_open_call_without_criteria_is_refused():
    call = CallFactory(state=CallState.DRAFT, criteria=False)

    with pytest.raises(ValidationError) as error:
        services.change_call_state(call, to=CallState.OPEN, by=StaffFactory())

    call.refresh_from_db()
    assert error.value.messages == ["Give the call its evaluation criteria before opening it."]
    assert call.state == CallState.DRAFT


def test_open_call_with_past_deadline_is_refused():
    call = CallFactory(state=CallState.DRAFT, deadline=in_days(-1))

    with pytest.raises(ValidationError):
        services.change_call_state(call, to=CallState.OPEN, by=StaffFactory())

    call.refresh_from_db()
    assert call.state == CallState.DRAFT


def test_open_call_is_audited():
    call = CallFactory(state=CallState.DRAFT)
    staff = StaffFactory()

    services.change_call_state(call, to=CallState.OPEN, by=staff)

    entry = AuditEntry.objects.get(object_id=str(call.pk))
    assert (entry.action, entry.actor, entry.data) == (
        "call.open",
        staff,
        {"from": "draft", "to": "open"},
    )


def test_update_call_cannot_change_state():
    call = CallFactory(state=CallState.DRAFT)

    with pytest.raises(ValidationError):
        services.update_call(call, by=StaffFactory(), state=CallState.OPEN)

    assert Call.objects.get(pk=call.pk).state == CallState.DRAFT


def test_call_list_hides_drafts_from_the_public(client):
    CallFactory(title="Going International")
    CallFactory(title="Secret draft", state=CallState.DRAFT)

    response = client.get(reverse("partnerships:call-list"))

    assert [call.title for call in response.context["calls"]] == ["Going International"]
    assert "Brussels time" in response.content.decode()


def test_call_detail_of_a_draft_is_404_for_the_public_and_shown_to_staff(client):
    call = CallFactory(state=CallState.DRAFT)

    anonymous = client.get(call.get_absolute_url())
    client.force_login(StaffFactory())
    staff = client.get(call.get_absolute_url())

    assert (anonymous.status_code, staff.status_code) == (404, 200)


def test_call_detail_offers_a_manager_to_start(client):
    call = CallFactory()
    membership = MembershipFactory()
    client.force_login(membership.user)

    response = client.get(call.get_absolute_url())

    assert list(response.context["start_form"].fields["lead"].queryset) == [membership.organisation]
    assert response.context["criteria_by_stage"][0][1][0].name == "Excellence"


def test_call_detail_warns_a_manager_whose_only_organisation_cannot_lead_a_label_call(client):
    call = CallFactory(label_required=True)
    membership = MembershipFactory(organisation__name="Unlabelled Cluster")
    client.force_login(membership.user)

    response = client.get(call.get_absolute_url())

    html = " ".join(response.content.decode().split())
    assert (
        '<p class="message message--warning" role="note">This call takes only consortia in '
        "which every organisation holds a current cluster excellence label verified by "
        "Commission staff. Unlabelled Cluster holds none: a draft it leads can never be "
        "submitted.</p>" in html
    )
    assert "Unlabelled Cluster (no current verified label: cannot lead this call)</option>" in html


def test_call_detail_does_not_warn_a_labelled_lead(client):
    call = CallFactory(label_required=True)
    membership = MembershipFactory()
    LabelFactory(organisation=membership.organisation)
    client.force_login(membership.user)

    response = client.get(call.get_absolute_url())

    assert response.context["start_form"].lead_warning == ""


def test_call_detail_does_not_offer_a_pending_organisation_as_lead(client):
    call = CallFactory()
    verified = MembershipFactory()
    MembershipFactory(user=verified.user, organisation__validation_state=ValidationState.PENDING)
    client.force_login(verified.user)

    response = client.get(call.get_absolute_url())

    assert list(response.context["start_form"].fields["lead"].queryset) == [verified.organisation]


def test_call_list_shows_open_calls_before_decided_ones(client):
    decided = CallFactory(title="Decided call", state=CallState.DECIDED)
    opened = CallFactory(title="Open call")
    evaluated = CallFactory(title="Call in evaluation", state=CallState.IN_EVALUATION)
    # The newest call is the decided one: the state, not the age, puts it last.
    Call.objects.filter(pk=decided.pk).update(created_at=timezone.now() + dt.timedelta(days=1))

    response = client.get(reverse("partnerships:call-list"))

    assert [c.title for c in response.context["calls"]] == [
        opened.title,
        evaluated.title,
        decided.title,
    ]


def test_call_detail_says_not_announced_for_unknown_figures_and_hides_the_reference(client):
    call = CallFactory(reference="escp-s3", budget=0, funding_rate=0)

    html = " ".join(client.get(call.get_absolute_url()).content.decode().split())

    assert "<dt>Budget</dt><dd>Not announced yet</dd>" in html
    assert "<dt>Funding rate</dt><dd>Not announced yet</dd>" in html
    assert "EUR 0" not in html
    assert "escp-s3" not in html


def test_call_detail_shows_known_figures(client):
    call = CallFactory(budget=24_900_000, funding_rate=70)

    html = " ".join(client.get(call.get_absolute_url()).content.decode().split())

    assert "<dt>Budget</dt><dd>EUR 24,900,000</dd>" in html
    assert "<dt>Funding rate</dt><dd>70 %</dd>" in html


@pytest.mark.parametrize("count", [1, 3])
def test_call_list_query_count_does_not_grow(count, client, django_assert_num_queries):
    for _ in range(count):
        CallFactory()

    with django_assert_num_queries(6):
        response = client.get(reverse("partnerships:call-list"))

    assert len(response.context["calls"]) == count


def test_call_api_is_public_and_hides_drafts(api_client):
    call = CallFactory(reference="escp-s3-test", budget=1_000_000, funding_rate=70)
    draft = CallFactory(state=CallState.DRAFT)

    listing = api_client.get("/api/v1/calls/")
    detail = api_client.get(f"/api/v1/calls/{call.pk}/")
    hidden = api_client.get(f"/api/v1/calls/{draft.pk}/")

    assert [row["reference"] for row in listing.json()["results"]] == ["escp-s3-test"]
    body = detail.json()
    assert (body["funding_rate"], body["eligible_types"], body["criteria"][0]["pass_mark"]) == (
        "70.00",
        ["cluster", "business_network"],
        "3.0",
    )
    assert hidden.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_call_api_query_count_does_not_grow(count, api_client, django_assert_num_queries):
    for _ in range(count):
        CallFactory()

    with django_assert_num_queries(7):
        response = api_client.get("/api/v1/calls/")

    assert response.json()["count"] == count


def test_call_api_is_read_only(api_client):
    api_client.force_authenticate(StaffFactory())

    response = api_client.post("/api/v1/calls/", {"title": "x"}, format="json")

    assert response.status_code == 405
    assert Call.objects.count() == 0


def test_add_criterion_with_a_name_the_stage_already_has_is_refused_clearly():
    call = CallFactory()

    with pytest.raises(ValidationError) as error:
        services.add_criterion(call, name="Excellence", by=StaffFactory())

    assert error.value.messages == [
        "Evaluation criterion with this Call, Stage and Name already exists."
    ]
    assert list(call.criteria.values_list("name", flat=True)) == ["Excellence"]
