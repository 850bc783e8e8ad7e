from importlib import reload

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import clear_url_caches
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

import clusterportal.urls
from partnerships.enums import ValidationState
from partnerships.models import AuditEntry
from partnerships.services.audit import log_action
from tests.factories import (
    PASSWORD,
    LabelFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)
from tests.hostile_files import pdf, png

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


# Login throttling (django-axes through allauth's form)


def test_five_failed_sign_ins_lock_the_account_out_even_with_the_right_password(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    person = UserFactory(email="anna.weber@mobility-valley.eu")

    failures = [sign_in(client, person.email, "wrong password!").status_code for _ in range(5)]
    locked = sign_in(client, person.email, PASSWORD)

    assert failures == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("anna.weber@mobility-valley.eu", 6)


def test_lockout_counts_the_e_mail_address_whatever_its_case(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    person = UserFactory(email="jan@example.eu")

    for email in ["jan@example.eu", "JAN@example.eu", "Jan@Example.EU"]:
        sign_in(client, email, "wrong password!")
    response = sign_in(client, "jan@example.eu", PASSWORD)

    assert response.status_code == 429
    assert AccessAttempt.objects.values_list("username", flat=True).get() == person.email


def test_failures_below_the_limit_still_allow_sign_in_and_are_reset(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    person = UserFactory(email="lea@example.eu")
    for _ in range(4):
        sign_in(client, person.email, "wrong password!")

    response = sign_in(client, person.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
    assert AccessAttempt.objects.count() == 0


def test_lockout_of_one_person_leaves_another_free(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    attacked = UserFactory(email="attacked@example.eu")
    other = UserFactory(email="other@example.eu")
    for _ in range(2):
        sign_in(client, attacked.email, "wrong password!")

    response = sign_in(Client(), other.email, PASSWORD)

    assert response.status_code == 302


# Passwords


def test_password_validators_are_the_four_of_django_with_twelve_characters(settings):
    validators = [
        validator["NAME"].rsplit(".", 1)[1] for validator in settings.AUTH_PASSWORD_VALIDATORS
    ]

    assert validators == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] == {"min_length": 12}


@pytest.mark.parametrize(
    "password",
    ["Rhine-2016!", "123456789012345", "password1234", "anna.weber.mobility"],
)
def test_weak_passwords_are_refused(password):
    person = UserFactory.build(email="anna.weber.mobility@example.eu", full_name="Anna Weber")

    with pytest.raises(ValidationError):
        validate_password(password, user=person)


def test_sign_up_with_an_eleven_character_password_creates_nobody(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "short@example.eu", "password1": "Rhine-2016!", "password2": "Rhine-2016!"},
    )

    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not UserFactory._meta.model.objects.filter(email="short@example.eu").exists()


# CSRF on session-authenticated API writes


def test_api_write_without_csrf_token_is_403_for_a_signed_in_person():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = client.post(
        "/api/v1/organisations/", {"name": "Forged"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF Failed: CSRF cookie not set."}


def test_api_write_with_the_csrf_token_passes_csrf_and_meets_the_method_check():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    # The sign-in page sets the CSRF cookie, as any page with a form does.
    client.get("/accounts/logout/")
    token = client.cookies["csrftoken"].value

    response = client.post(
        "/api/v1/organisations/",
        {"name": "Forged"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


# API rate limits


def test_anonymous_api_requests_beyond_the_rate_are_429(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/min", raising=False)

    statuses = [client.get("/api/v1/countries/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_signed_in_api_requests_are_limited_per_person(client, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "rate", "2/min", raising=False)
    client.force_login(UserFactory())

    statuses = [client.get("/api/v1/countries/").status_code for _ in range(3)]
    response = Client().get("/api/v1/countries/")

    assert statuses == [200, 200, 429]
    assert response.status_code == 200


def test_api_rates_come_from_the_settings(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "anon": "120/min",
        "user": "600/min",
    }


# Certificates, served as attachments to whoever may see the organisation


def label_with_certificate(**organisation):
    label = LabelFactory(organisation=OrganisationFactory(**organisation))
    label.certificate.save("gold.pdf", ContentFile(pdf()))
    return label


def test_certificate_of_a_verified_organisation_is_a_download_for_everyone(client):
    label = label_with_certificate()

    response = client.get(f"/labels/{label.pk}/certificate/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="gold.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf()


def test_certificate_of_a_draft_is_404_for_anonymous_and_other_managers(client):
    label = label_with_certificate(validation_state=ValidationState.DRAFT)
    other_manager = UserFactory()
    OrganisationFactory(owner=other_manager)
    signed_in = Client()
    signed_in.force_login(other_manager)

    anonymous = client.get(f"/labels/{label.pk}/certificate/")
    foreign = signed_in.get(f"/labels/{label.pk}/certificate/")

    assert (anonymous.status_code, foreign.status_code) == (404, 404)


def test_certificate_of_a_draft_is_served_to_its_manager_and_to_staff(client):
    manager = UserFactory()
    label = label_with_certificate(validation_state=ValidationState.DRAFT, owner=manager)
    staff_client = Client()
    staff_client.force_login(StaffFactory())
    client.force_login(manager)

    own = client.get(f"/labels/{label.pk}/certificate/")
    staff = staff_client.get(f"/labels/{label.pk}/certificate/")

    assert (own.status_code, staff.status_code) == (200, 200)
    assert own["Content-Disposition"] == 'attachment; filename="gold.pdf"'
    assert own["Cache-Control"] == "private, no-store"


def test_label_without_certificate_is_404(client):
    label = LabelFactory()

    response = client.get(f"/labels/{label.pk}/certificate/")

    assert response.status_code == 404


# The audit log in the back office


def test_staff_browse_the_audit_log_by_action_and_actor(client):
    staff = StaffFactory()
    anna = UserFactory(email="anna@example.eu")
    organisation = OrganisationFactory(name="Mobility Valley")
    log_action(organisation, "verified", actor=staff)
    log_action(organisation, "submitted", actor=anna)
    log_action(organisation, "submitted", actor=UserFactory(email="jan@example.eu"))
    client.force_login(staff)

    by_action = client.get("/admin/partnerships/auditentry/", {"action": "verified"})
    by_actor = client.get("/admin/partnerships/auditentry/", {"q": "anna@example.eu"})

    assert [entry.action for entry in by_action.context["cl"].result_list] == ["verified"]
    assert [entry.actor for entry in by_actor.context["cl"].result_list] == [anna]


def test_audit_log_is_read_only_in_the_back_office(client):
    staff = StaffFactory(is_superuser=True)
    entry = log_action(OrganisationFactory(), "verified", actor=staff)
    client.force_login(staff)

    response = client.post(f"/admin/partnerships/auditentry/{entry.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.fixture
def development_urls(settings):
    settings.DEBUG = True
    reload(clusterportal.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    reload(clusterportal.urls)
    clear_url_caches()


def test_development_media_serving_leaves_certificates_out(client, development_urls):
    label = label_with_certificate()
    organisation = label.organisation
    organisation.logo.save("logo.png", ContentFile(png()))

    logo = client.get(f"/media/{organisation.logo.name}")
    certificate = client.get(f"/media/{label.certificate.name}")

    assert (logo.status_code, logo["Content-Type"]) == (200, "image/png")
    assert certificate.status_code == 404
