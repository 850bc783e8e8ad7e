import re

import pytest
from django.core import mail

from partnerships.models import User
from tests.factories import UserFactory

PASSWORD = "Rhine-Danube-2016!"


def sign_up(client, email="anna.weber@mobility-valley.eu"):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "full_name": "Anna Weber",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


@pytest.mark.django_db
def test_sign_up_sends_a_verification_link_and_login_waits_for_it(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="anna.weber@mobility-valley.eu")
    assert user.full_name == "Anna Weber"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna.weber@mobility-valley.eu"]

    login = client.post(
        "/accounts/login/", {"login": "anna.weber@mobility-valley.eu", "password": PASSWORD}
    )
    assert login["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_confirming_the_e_mail_signs_the_person_in(client):
    sign_up(client)
    link = re.search(r"https?://testserver(/accounts/confirm-email/[^/\s]+/)", mail.outbox[0].body)

    client.post(link.group(1))

    assert client.session["_auth_user_id"] == str(User.objects.get().pk)
    assert client.get("/").context["user"].email == "anna.weber@mobility-valley.eu"


@pytest.mark.django_db
def test_sign_up_with_a_taken_e_mail_creates_nobody_and_tells_the_owner(client):
    # allauth does not reveal which addresses have accounts; the owner is told by e-mail.
    UserFactory(email="taken@example.eu")

    response = sign_up(client, email="Taken@example.eu")

    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.count() == 1
    assert mail.outbox[0].to == ["taken@example.eu"]
    assert "already" in mail.outbox[0].body


@pytest.mark.django_db
def test_weak_password_is_refused(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "b@example.eu",
            "full_name": "B",
            "password1": "12345678",
            "password2": "12345678",
        },
    )

    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_password_reset_sends_a_link(client):
    UserFactory(email="reset@example.eu")

    response = client.post("/accounts/password/reset/", {"email": "reset@example.eu"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
