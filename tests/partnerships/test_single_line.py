"""One-line fields refuse line breaks and control characters; e-mail subjects built from old
data that holds one are put on one line instead of failing."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.forms import MeetingAnswerForm
from partnerships import services
from partnerships.enums import ExpressionState, PartnerState
from partnerships.forms import ExpressionForm, ExpressionStartForm, OrganisationForm
from partnerships.models import ExpressionOfInterest, Organisation
from partnerships.tasks import send_email
from partnerships.text import single_line, validate_single_line
from tests.factories import (
    CallFactory,
    CountryFactory,
    ExpressionFactory,
    ExpressionPartnerFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REFUSAL = "Keep this on one line: line breaks, tabs and control characters are not allowed."


@pytest.mark.parametrize(
    "text",
    ["Blue\ngrowth", "Blue\rgrowth", "Blue\tgrowth", "Blue\x00growth", "Blue\x85growth"]
    + ["Blue\u2028growth", "Blue\u2029growth", "Blue\x1bgrowth", "Blue\x7fgrowth"],
)
def test_validator_refuses_breaks_and_control_characters(text):
    with pytest.raises(ValidationError) as error:
        validate_single_line(text)

    assert (error.value.code, error.value.messages) == ("not_single_line", [REFUSAL])


def test_validator_accepts_ordinary_text_in_any_script():
    assert validate_single_line("Øresund – Łódź «Clúster» 水素 (H₂)") is None


def test_single_line_turns_each_run_of_breaks_into_one_space():
    assert single_line("ClusterPortal: “Blue\r\n\n growth\u2028plan”\t") == (
        "ClusterPortal: “Blue growth plan”"
    )


def test_expression_form_refuses_a_title_with_a_line_break_and_keeps_the_text_areas():
    expression = ExpressionFactory()
    data = {"title": "Blue\ngrowth", "objectives": "Line one\nLine two"}

    form = ExpressionForm(data, instance=expression)

    assert form.errors == {"title": [REFUSAL]}
    assert form["objectives"].value() == "Line one\nLine two"


def test_multi_line_boxes_keep_their_line_breaks():
    expression = ExpressionFactory()

    form = ExpressionForm({"title": "Blue growth", "objectives": "One\nTwo"}, instance=expression)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["objectives"] == "One\nTwo"


def test_start_form_and_events_forms_use_the_same_check():
    membership = MembershipFactory()
    start = ExpressionStartForm(
        {"lead": membership.organisation.pk, "title": "Blue\r\ngrowth"},
        organisations=Organisation.objects.filter(pk=membership.organisation.pk),
        call=CallFactory(),
    )
    answer = MeetingAnswerForm({"decision": "decline", "reason": "Busy"})

    assert start.errors == {"title": [REFUSAL]}
    assert answer.is_valid(), answer.errors


def test_organisation_form_refuses_a_name_with_a_line_break():
    organisation = OrganisationFactory()

    form = OrganisationForm({"name": "Cluster\nAtlantic"}, instance=organisation)

    assert form.errors["name"] == [REFUSAL]


def test_posting_a_title_with_a_line_break_shows_the_error_and_changes_nothing(client):
    expression = ExpressionFactory(title="Blue growth", objectives="Old aims")
    client.force_login(MembershipFactory(organisation=expression.lead).user)

    response = client.post(
        reverse("partnerships:expression-edit", args=[expression.pk]),
        {"title": "Blue\ngrowth", "objectives": "New aims\nin two lines"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert REFUSAL in page
    assert "New aims\nin two lines</textarea>" in page
    expression.refresh_from_db()
    assert (expression.title, expression.objectives) == ("Blue growth", "Old aims")


def _organisation_in(code):
    return OrganisationFactory(region=RegionFactory(country=CountryFactory(code=code)))


def test_submitting_an_expression_whose_old_title_holds_a_line_break_sends_its_notice(
    client, django_capture_on_commit_callbacks
):
    lead = _organisation_in("DE")
    manager = MembershipFactory(organisation=lead).user
    expression = ExpressionFactory(lead=lead, call=CallFactory())
    for code in ("FR", "IT"):
        ExpressionPartnerFactory(
            expression=expression, organisation=_organisation_in(code), state=PartnerState.CONFIRMED
        )
    # Saved before one-line fields refused line breaks.
    ExpressionOfInterest.objects.filter(pk=expression.pk).update(title="Blue\r\ngrowth")
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnerships:expression-submit", args=[expression.pk]))

    expression.refresh_from_db()
    assert (response.status_code, expression.state) == (302, ExpressionState.SUBMITTED)
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("ClusterPortal: “Blue growth” has been submitted", [manager.email])
    ]


def test_inviting_into_an_organisation_whose_old_name_holds_a_line_break_sends_the_invitation(
    django_capture_on_commit_callbacks,
):
    organisation = OrganisationFactory()
    Organisation.objects.filter(pk=organisation.pk).update(name="Cluster\nAtlantic")
    organisation.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(organisation, email="ana@example.eu", by=UserFactory())

    assert [m.subject for m in mail.outbox] == [
        "Invitation to edit Cluster Atlantic on ClusterPortal"
    ]


def test_a_task_queued_with_a_broken_subject_still_delivers():
    send_email.apply(args=("Meeting at\nthe fair", "Body", ["ana@example.eu"]), throw=True)

    assert [m.subject for m in mail.outbox] == ["Meeting at the fair"]
