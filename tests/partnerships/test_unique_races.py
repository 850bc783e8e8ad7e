"""Check-then-insert services racing themselves: the unique rule's refusal reaches the person
as the same answer as the check, never as a server error."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from partnerships import services
from partnerships.enums import CallType, ExpressionState
from partnerships.models import Call, ExpressionOfInterest, ExpressionPartner, Invitation
from tests.concurrency import at_once, second_meets_first
from tests.factories import (
    CallFactory,
    ExpressionFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.USING_POSTGRES, reason="row locks need PostgreSQL"),
]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def start(client, call, lead, title):
    url = reverse("partnerships:expression-start", args=[call.pk])
    return lambda: client.post(url, {"lead": lead.pk, "title": title})


def edit_url(expression):
    return reverse("partnerships:expression-edit", args=[expression.pk])


def test_a_colleague_starting_the_same_expression_meanwhile_is_led_to_their_draft():
    call = CallFactory()
    lead = OrganisationFactory()
    first_manager = MembershipFactory(organisation=lead).user
    colleague = MembershipFactory(organisation=lead).user

    first, second = second_meets_first(
        lambda: services.start_expression(call, lead=lead, by=first_manager, title="Blue growth"),
        start(signed_in(colleague), call, lead, "Blue growth too"),
    )

    expression = ExpressionOfInterest.objects.get()
    assert (expression.pk, expression.title) == (first.pk, "Blue growth")
    assert (second.status_code, second.url) == (302, edit_url(expression))


def test_the_service_answers_a_lost_race_as_the_check_does():
    call = CallFactory()
    lead = OrganisationFactory(name="Cluster Atlantic")
    manager = MembershipFactory(organisation=lead).user

    first, second = second_meets_first(
        lambda: services.start_expression(call, lead=lead, by=manager, title="One"),
        lambda: services.start_expression(call, lead=lead, by=manager, title="Two"),
    )

    assert isinstance(second, services.AlreadyStarted)
    assert (second.code, second.messages, second.expression.pk) == (
        "duplicate",
        ["Cluster Atlantic already has an expression of interest for this call."],
        first.pk,
    )


def test_a_double_click_on_start_opens_one_draft_for_both_clicks():
    manager = UserFactory()
    for attempt in range(5):
        call = CallFactory()
        lead = OrganisationFactory()
        MembershipFactory(organisation=lead, user=manager)
        # One session per click, as the test client is not shared between threads.
        clicks = [start(signed_in(manager), call, lead, f"Try {attempt}") for _ in range(2)]

        responses = at_once(*clicks)

        expression = ExpressionOfInterest.objects.get(call=call)
        assert [(r.status_code, r.url) for r in responses] == [(302, edit_url(expression))] * 2


def test_two_managers_inviting_the_same_partner_meanwhile_get_already_invited():
    expression = ExpressionFactory(state=ExpressionState.DRAFT)
    lead_manager = MembershipFactory(organisation=expression.lead).user
    partner = OrganisationFactory(name="Cluster Baltic")

    first, second = second_meets_first(
        lambda: services.invite_partner(expression, organisation=partner, by=lead_manager),
        lambda: services.invite_partner(expression, organisation=partner, by=lead_manager),
    )

    assert isinstance(second, ValidationError)
    assert second.message_dict == {"organisation": ["Cluster Baltic is already invited."]}
    assert list(ExpressionPartner.objects.values_list("pk", flat=True)) == [first.pk]


def test_two_invitations_to_the_same_address_meanwhile_leave_one_open():
    organisation = OrganisationFactory()
    owner = MembershipFactory(organisation=organisation).user

    def invite():
        return services.invite_member(organisation, email="ana@example.eu", by=owner)

    first, second = second_meets_first(invite, invite)

    assert isinstance(second, ValidationError)
    assert second.message_dict == {"email": ["An invitation to ana@example.eu has just been sent."]}
    assert list(Invitation.objects.values_list("pk", flat=True)) == [first.pk]


def test_two_staff_creating_calls_with_one_reference_meanwhile_get_the_form_error():
    def create(title):
        return lambda: services.create_call(
            by=StaffFactory(),
            type=CallType.ESCP_S3,
            reference="escp-2027",
            title=title,
            eligible_types=["cluster"],
        )

    first, second = second_meets_first(create("First"), create("Second"))

    assert isinstance(second, ValidationError)
    assert second.message_dict == {"reference": ["Call with this Reference already exists."]}
    assert list(Call.objects.values_list("pk", flat=True)) == [first.pk]


def test_starting_again_after_submitting_opens_the_submitted_expression(client):
    expression = ExpressionFactory(state=ExpressionState.SUBMITTED)
    client.force_login(MembershipFactory(organisation=expression.lead).user)

    response = start(client, expression.call, expression.lead, "Again")()

    assert response.url == expression.get_absolute_url()
