import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.enums import ExpressionState, PartnerState
from partnerships.models import ExpressionOfInterest
from tests.factories import (
    CallFactory,
    CountryFactory,
    ExpressionFactory,
    ExpressionPartnerFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    StaffFactory,
    UserFactory,
)
from tests.hostile_files import pdf

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def lead_manager_client(client):
    expression = ExpressionFactory()
    manager = MembershipFactory(organisation=expression.lead).user
    client.force_login(manager)
    return client, expression


def test_start_from_call_page_redirects_to_the_form(client):
    call = CallFactory()
    membership = MembershipFactory()
    client.force_login(membership.user)

    response = client.post(
        reverse("partnerships:expression-start", args=[call.pk]),
        {"lead": membership.organisation.pk, "title": "Blue growth partnership"},
    )

    expression = ExpressionOfInterest.objects.get()
    assert response.url == reverse("partnerships:expression-edit", args=[expression.pk])
    assert (expression.lead, expression.title) == (
        membership.organisation,
        "Blue growth partnership",
    )


def test_start_for_someone_elses_organisation_is_refused(client):
    call = CallFactory()
    client.force_login(MembershipFactory().user)

    response = client.post(
        reverse("partnerships:expression-start", args=[call.pk]),
        {"lead": OrganisationFactory().pk, "title": "Not mine"},
    )

    assert response.status_code == 400
    assert ExpressionOfInterest.objects.count() == 0


def test_edit_form_autosaves_with_htmx_and_states_time_zone(lead_manager_client):
    client, expression = lead_manager_client

    page = client.get(
        reverse("partnerships:expression-edit", args=[expression.pk])
    ).content.decode()

    autosave = reverse("partnerships:expression-autosave", args=[expression.pk])
    assert f'data-autosave="{autosave}"' in page
    assert 'src="/static/js/autosave.js" defer' in page
    assert "Brussels time (Europe/Brussels)" in page


def test_autosave_htmx_returns_saved_status(lead_manager_client):
    client, expression = lead_manager_client

    response = client.post(
        reverse("partnerships:expression-autosave", args=[expression.pk]),
        {"title": "Autosaved title", "objectives": "Typed a second ago"},
        HTTP_HX_REQUEST="true",
    )

    expression.refresh_from_db()
    assert response.status_code == 200
    assert response.content.decode().strip().startswith("Saved at ")
    assert (expression.title, expression.objectives) == ("Autosaved title", "Typed a second ago")


def test_autosave_with_bad_budget_reports_and_changes_nothing(lead_manager_client):
    client, expression = lead_manager_client
    title = expression.title

    response = client.post(
        reverse("partnerships:expression-autosave", args=[expression.pk]),
        {"title": "Changed", "budget_requested": "-5"},
        HTTP_HX_REQUEST="true",
    )

    expression.refresh_from_db()
    assert response.status_code == 422
    assert "Not saved: Budget requested (EUR):" in response.content.decode()
    assert (expression.title, expression.version) == (title, 1)


def test_save_without_javascript_redirects_with_message(lead_manager_client):
    client, expression = lead_manager_client

    response = client.post(
        reverse("partnerships:expression-edit", args=[expression.pk]),
        {"title": "Saved plainly", "investment_activities": "Pilot lines"},
    )

    expression.refresh_from_db()
    assert response.url == expression.get_absolute_url()
    assert messages_of(response) == ["Your draft is saved."]
    assert expression.investment_activities == "Pilot lines"


def test_expression_of_another_organisation_is_404(client):
    expression = ExpressionFactory()
    client.force_login(MembershipFactory().user)

    detail = client.get(expression.get_absolute_url())
    autosave = client.post(
        reverse("partnerships:expression-autosave", args=[expression.pk]), {"title": "Hijack"}
    )

    expression.refresh_from_db()
    assert (detail.status_code, autosave.status_code) == (404, 404)
    assert expression.title != "Hijack"


def test_partner_manager_can_read_but_not_edit(client):
    partner = ExpressionPartnerFactory()
    client.force_login(MembershipFactory(organisation=partner.organisation).user)

    detail = client.get(partner.expression.get_absolute_url())
    edit = client.get(reverse("partnerships:expression-edit", args=[partner.expression.pk]))

    assert detail.status_code == 200
    assert detail.context["my_partner_rows"] == [partner]
    assert edit.status_code == 403


def test_invite_by_name_and_partner_confirms_on_the_page(client):
    expression = ExpressionFactory()
    lead_manager = MembershipFactory(organisation=expression.lead).user
    partner_org = OrganisationFactory(name="Basque Maritime Cluster")
    partner_manager = MembershipFactory(organisation=partner_org).user
    client.force_login(lead_manager)

    client.post(
        reverse("partnerships:expression-invite", args=[expression.pk]), {"name": "basque maritime"}
    )
    partner = expression.partners.get()
    client.force_login(partner_manager)
    response = client.post(
        reverse("partnerships:expression-partner-answer", args=[expression.pk, partner.pk]),
        {"answer": "confirmed"},
    )

    partner.refresh_from_db()
    assert (partner.organisation, partner.state) == (partner_org, PartnerState.CONFIRMED)
    assert messages_of(response)[-1] == "You have confirmed the partnership."


def test_invite_unknown_name_shows_error(lead_manager_client):
    client, expression = lead_manager_client

    response = client.post(
        reverse("partnerships:expression-invite", args=[expression.pk]), {"name": "Nowhere"}
    )

    assert response.status_code == 400
    assert response.context["invite_form"].errors == {
        "name": ["No verified organisation you can invite is called “Nowhere”."]
    }
    assert expression.partners.count() == 0


def test_submit_incomplete_shows_each_rule_and_keeps_draft(lead_manager_client):
    client, expression = lead_manager_client

    response = client.post(reverse("partnerships:expression-submit", args=[expression.pk]))

    expression.refresh_from_db()
    assert expression.state == ExpressionState.DRAFT
    assert messages_of(response) == [
        "The call needs at least 2 confirmed partners; you have 0.",
        "The consortium must span at least 3 countries; its confirmed members come from 1.",
    ]


def test_withdraw_from_the_page(lead_manager_client):
    client, expression = lead_manager_client

    client.post(reverse("partnerships:expression-withdraw", args=[expression.pk]))

    expression.refresh_from_db()
    assert expression.state == ExpressionState.WITHDRAWN


def test_expression_api_is_scoped(api_client):
    mine = ExpressionFactory(title="Mine")
    manager = MembershipFactory(organisation=mine.lead).user
    other = ExpressionFactory(title="Other")
    ExpressionPartnerFactory(
        expression=mine,
        organisation=OrganisationFactory(region=RegionFactory(country=CountryFactory(code="FR"))),
    )

    anonymous = api_client.get("/api/v1/expressions/")
    api_client.force_authenticate(manager)
    listing = api_client.get("/api/v1/expressions/")
    foreign = api_client.get(f"/api/v1/expressions/{other.pk}/")
    api_client.force_authenticate(StaffFactory())
    staff = api_client.get("/api/v1/expressions/")

    assert anonymous.json()["count"] == 0
    rows = listing.json()["results"]
    assert [(row["title"], [p["country"] for p in row["partners"]]) for row in rows] == [
        ("Mine", ["FR"])
    ]
    assert foreign.status_code == 404
    assert {row["title"] for row in staff.json()["results"]} == {"Mine", "Other"}


@pytest.mark.parametrize("count", [1, 3])
def test_expression_api_query_count_does_not_grow(count, api_client, django_assert_num_queries):
    for _ in range(count):
        ExpressionPartnerFactory()
    api_client.force_authenticate(StaffFactory())

    with django_assert_num_queries(8):
        response = api_client.get("/api/v1/expressions/")

    assert response.json()["count"] == count


def test_stranger_sees_no_expressions_on_the_calls_page(client):
    ExpressionFactory()
    client.force_login(UserFactory())

    response = client.get(reverse("partnerships:call-list"))

    assert list(response.context["my_expressions"]) == []


def test_dashboard_shows_an_open_invitation_to_the_partner_manager(client):
    partner = ExpressionPartnerFactory(expression__title="Blue value chain consortium")
    ExpressionPartnerFactory(state=PartnerState.DECLINED, organisation=partner.organisation)
    client.force_login(MembershipFactory(organisation=partner.organisation).user)

    response = client.get(reverse("partnerships:dashboard"))

    assert list(response.context["consortium_invitations"]) == [partner]
    assert "Blue value chain consortium" in response.content.decode()


def test_attachment_checked_by_content_and_served_to_the_consortium_only(lead_manager_client):
    client, expression = lead_manager_client
    add = reverse("partnerships:expression-attachment-add", args=[expression.pk])

    fake = client.post(
        add, {"title": "Roadmap", "file": SimpleUploadedFile("roadmap.pdf", b"MZ not a pdf")}
    )
    client.post(add, {"title": "Roadmap", "file": SimpleUploadedFile("roadmap.pdf", pdf())})
    attachment = expression.attachments.get()
    url = reverse("partnerships:expression-attachment", args=[expression.pk, attachment.pk])
    own = client.get(url)
    client.force_login(UserFactory())
    stranger = client.get(url)

    assert fake.status_code == 400
    assert fake.context["attachment_form"].errors == {
        "file": ["This file is not one of: PDF, PNG, JPEG."]
    }
    assert (own.status_code, b"".join(own.streaming_content)) == (200, pdf())
    assert stranger.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_calls_page_with_own_expressions_query_count(count, client, django_assert_num_queries):
    membership = MembershipFactory()
    for _ in range(count):
        ExpressionFactory(lead=membership.organisation)
        ExpressionPartnerFactory(organisation=membership.organisation)
    client.force_login(membership.user)

    with django_assert_num_queries(13):
        response = client.get(reverse("partnerships:call-list"))

    assert len(response.context["my_expressions"]) == 2 * count
    assert len(response.context["invitations"]) == count


def test_start_again_for_a_lead_with_a_draft_opens_that_draft(lead_manager_client):
    client, expression = lead_manager_client

    response = client.post(
        reverse("partnerships:expression-start", args=[expression.call.pk]),
        {"lead": expression.lead.pk, "title": "A second try"},
    )

    assert response.url == reverse("partnerships:expression-edit", args=[expression.pk])
    assert messages_of(response) == [
        f"{expression.lead.name} already has an expression of interest for this call."
    ]
    assert list(ExpressionOfInterest.objects.values_list("title", flat=True)) == [expression.title]
