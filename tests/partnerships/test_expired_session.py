"""A session that expires on an edit page: the autosave says so, the form's POST lands on
sign-in, and what was typed is back in the form after signing in again."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.enums import ExpressionState
from partnerships.views.session import KEPT_TYPING
from tests.factories import (
    CallReviewerFactory,
    ExpressionFactory,
    MembershipFactory,
    OrganisationFactory,
    ReviewAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def login_url(next_path):
    return f"/accounts/login/?next={next_path.replace('/', '%2F')}"


def expire(client):
    """What an expired session looks like from the server: the cookie names no session."""
    client.logout()


@pytest.fixture
def editing(client):
    expression = ExpressionFactory(title="Blue growth", objectives="Old aims")
    manager = MembershipFactory(organisation=expression.lead).user
    client.force_login(manager)
    return client, expression, manager


def test_autosave_after_the_session_expired_answers_401_with_a_sign_in_prompt(editing):
    client, expression, _manager = editing
    expire(client)

    response = client.post(
        reverse("partnerships:expression-autosave", args=[expression.pk]),
        {"title": "Blue growth", "objectives": "New aims"},
        **HTMX,
    )

    edit = reverse("partnerships:expression-edit", args=[expression.pk])
    assert (response.status_code, response["Content-Type"]) == (401, "application/json")
    assert json.loads(response.content) == {
        "error": "signed_out",
        "detail": "Signed out: sign in to save.",
        "login_url": login_url(edit),
    }
    expression.refresh_from_db()
    assert expression.objectives == "Old aims"


def test_signed_out_autosave_answers_alike_for_an_id_that_does_not_exist(client):
    response = client.post(
        reverse("partnerships:expression-autosave", args=[999_999]), {"title": "x"}, **HTMX
    )

    assert response.status_code == 401


def test_review_autosave_after_the_session_expired_answers_401(client):
    response = client.post(reverse("partnerships:review-autosave", args=[1]), {}, **HTMX)

    assert (response.status_code, json.loads(response.content)["login_url"]) == (
        401,
        login_url(reverse("partnerships:review-detail", args=[1])),
    )


def test_the_form_posted_after_expiry_is_back_after_signing_in(editing):
    client, expression, manager = editing
    edit = reverse("partnerships:expression-edit", args=[expression.pk])
    expire(client)

    posted = client.post(edit, {"title": "Blue growth 2030", "objectives": "Aims\ntyped late"})
    client.force_login(manager)
    page = client.get(edit)

    assert posted.url == login_url(edit)
    body = page.content.decode()
    assert 'value="Blue growth 2030"' in body
    assert "Aims\ntyped late</textarea>" in body
    assert "What you typed before signing in again is back in the form; save it to keep it." in body
    # The autosave script saves such a form at once.
    assert " data-unsaved>" in body
    expression.refresh_from_db()
    assert (expression.title, expression.objectives) == ("Blue growth", "Old aims")
    assert KEPT_TYPING not in client.session


def test_kept_text_is_given_back_once_and_only_on_its_own_page(editing):
    client, expression, manager = editing
    other = ExpressionFactory()
    MembershipFactory(organisation=other.lead, user=manager)
    edit = reverse("partnerships:expression-edit", args=[expression.pk])
    expire(client)

    client.post(edit, {"title": "Typed late"})
    client.force_login(manager)
    elsewhere = client.get(reverse("partnerships:expression-edit", args=[other.pk]))
    first = client.get(edit)
    second = client.get(edit)

    assert 'value="Typed late"' not in elsewhere.content.decode()
    assert 'value="Typed late"' in first.content.decode()
    assert 'value="Typed late"' not in second.content.decode()


def test_kept_text_is_not_shown_to_someone_who_may_not_edit_the_page(editing):
    client, expression, _manager = editing
    edit = reverse("partnerships:expression-edit", args=[expression.pk])
    expire(client)

    client.post(edit, {"title": "Typed late"})
    client.force_login(UserFactory())
    response = client.get(edit)

    assert response.status_code == 404
    assert "Typed late" not in response.content.decode()


def test_organisation_edit_posted_after_expiry_is_back_after_signing_in(client):
    owner = UserFactory()
    organisation = OrganisationFactory(name="Cluster Atlantic", owner=owner)
    edit = reverse("partnerships:organisation-edit", args=[organisation.pk])

    posted = client.post(edit, {"name": "Cluster Atlantic Arc", "city": "Nantes"})
    client.force_login(owner)
    page = client.get(edit).content.decode()

    assert posted.url == login_url(edit)
    assert 'value="Cluster Atlantic Arc"' in page
    assert 'value="Nantes"' in page
    organisation.refresh_from_db()
    assert organisation.name == "Cluster Atlantic"


def test_score_sheet_posted_after_expiry_is_back_after_signing_in(client):
    expression = ExpressionFactory(state=ExpressionState.ELIGIBLE, submitted_at=timezone.now())
    assignment = ReviewAssignmentFactory(expression=expression)
    CallReviewerFactory(call=expression.call, user=assignment.reviewer)
    criterion = expression.call.criteria.get()
    page_url = reverse("partnerships:review-detail", args=[assignment.review.pk])

    posted = client.post(
        page_url, {"version": "1", f"comment_{criterion.pk}": "Strong, but costly", "save": ""}
    )
    client.force_login(assignment.reviewer)
    page = client.get(page_url).content.decode()

    assert posted.url == login_url(page_url)
    assert "Strong, but costly</textarea>" in page
    assert not assignment.review.scores.exists()
