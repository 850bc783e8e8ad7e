"""A person looks at their data, takes it with them, changes their mind on e-mails and leaves."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from partnerships.models import User
from tests.browser.session import log_in
from tests.browser.test_accessibility import blocking_findings
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "greta.lindqvist@nordic-batteries.example"


def test_person_downloads_their_data_withdraws_consent_and_deletes_the_account(page):
    person = UserFactory(email=EMAIL, full_name="Greta Lindqvist")
    OrganisationFactory(name="Nordic Batteries", owner=person, contact_email=EMAIL)
    # Script errors and Content Security Policy refusals; a 400 on a refused form is expected.
    problems = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and problems.append(message.text)
        ),
    )

    page.goto("/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.click("nav >> text=My data")
    page.wait_for_url("**/my-account/data/")
    assert page.inner_text("h1") == "My data"

    # The download is a JSON file with the person's own data.
    with page.expect_download() as download:
        page.click("text=Download my data (JSON)")
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == EMAIL
    assert data["organisation_contact_for"][0]["organisation"] == "Nordic Batteries"

    # Consent is given and withdrawn in place, without leaving the page.
    page.check("#id_email_consent")
    page.click("text=Save my choice")
    page.wait_for_selector("#email-consent >> text=Your choice is saved.")
    assert User.objects.get(pk=person.pk).email_consent is True
    page.uncheck("#id_email_consent")
    page.click("text=Save my choice")
    page.wait_for_selector("#email-consent >> text=You withdrew your agreement")
    assert User.objects.get(pk=person.pk).email_consent is False
    assert page.url.endswith("/my-account/data/")

    # Deleting asks for the password and says what stays.
    page.click("text=Delete my account…")
    assert "Nordic Batteries: nobody else edits it" in page.inner_text("main")
    page.fill("#id_password", "not my password at all")
    page.check("#id_understood")
    page.click("text=Delete my account for good")
    assert "This is not your password." in page.inner_text("main")
    page.fill("#id_password", PASSWORD)
    page.check("#id_understood")
    page.click("text=Delete my account for good")
    page.wait_for_url("**/")
    assert page.inner_text(".messages") == (
        "Your account is deleted and your personal data erased. Goodbye."
    )
    assert page.locator("text=Log in").count() >= 1

    # The old address no longer signs in.
    page.goto("/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    assert "/accounts/login/" in page.url
    assert User.objects.get(pk=person.pk).email == f"erased-{person.pk}@erased.invalid"
    assert problems == []


def test_privacy_pages_have_no_serious_accessibility_finding(page):
    person = UserFactory(email=EMAIL, full_name="Greta Lindqvist")
    OrganisationFactory(name="Nordic Batteries", owner=person)
    axe = Axe()

    page.goto("/privacy/")
    findings = blocking_findings(page, axe)
    log_in(page, EMAIL)
    for path in ("/my-account/data/", "/my-account/delete/"):
        page.goto(path)
        findings += blocking_findings(page, axe)

    assert findings == []
