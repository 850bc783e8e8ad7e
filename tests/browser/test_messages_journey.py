"""Manager A writes to organisation B from its profile; B's manager sees the unread counts in
the header, the notification, reads the conversation and answers; A sees the answer."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from partnerships import services
from tests.browser.session import log_in
from tests.browser.test_accessibility import blocking_findings
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def header_text(page, path):
    # As a screen reader reads it: the count's "unread" is visually hidden.
    return " ".join(page.locator(f".site-nav a[href='{path}']").text_content().split())


def test_writing_reading_and_answering_a_message(page):
    ana, bo = UserFactory(full_name="Ana Novak"), UserFactory(full_name="Bo Berg")
    OrganisationFactory(name="Nordic Cells", owner=ana)
    baltic = OrganisationFactory(name="Baltic Batteries", owner=bo)

    log_in(page, ana.email)
    page.goto(f"/organisations/{baltic.pk}/")
    page.get_by_role("link", name="Write to this organisation").click()
    page.fill("#id_subject", "Recycling pilots")
    page.click("button[type=submit]:has-text('Send')")
    # Nothing typed is lost on an error: the subject stays, the message is asked for.
    page.get_by_text("This field is required.").wait_for()
    assert page.input_value("#id_subject") == "Recycling pilots"
    page.fill("#id_body", "Shall we team up for the recycling call?")
    page.click("button[type=submit]:has-text('Send')")
    page.get_by_text("Your message is sent.").wait_for()
    page.click("button:has-text('Log out')")

    log_in(page, bo.email)
    assert header_text(page, "/messages/") == "Messages 1 unread"
    assert header_text(page, "/notifications/") == "Notifications 1 unread"
    page.locator(".site-nav a[href='/notifications/']").click()
    page.get_by_role(
        "link", name="Nordic Cells wrote to Baltic Batteries: “Recycling pilots”"
    ).click()
    page.get_by_role("heading", name="Recycling pilots").wait_for()
    assert "Shall we team up for the recycling call?" in page.locator(".conversation").inner_text()
    assert header_text(page, "/messages/") == "Messages"
    page.fill("#id_body", "Yes, gladly. Call us on Monday.")
    page.click("button[type=submit]:has-text('Send')")
    page.get_by_text("Your message is sent.").wait_for()
    page.click("button:has-text('Log out')")

    log_in(page, ana.email)
    page.locator(".site-nav a[href='/messages/']").click()
    page.get_by_role("link", name="Recycling pilots").click()
    assert "Yes, gladly. Call us on Monday." in page.locator(".conversation").inner_text()


def test_notification_and_message_pages_have_no_serious_accessibility_finding(page):
    ana, bo = UserFactory(), UserFactory()
    nordic = OrganisationFactory(name="Nordic Cells", owner=ana)
    baltic = OrganisationFactory(name="Baltic Batteries", owner=bo)
    conversation = services.start_conversation(
        sender=baltic, recipient=nordic, subject="Pilots", body="Hello", by=bo
    )
    axe = Axe()
    log_in(page, ana.email)

    findings = []
    for url in (
        "/notifications/",
        "/my-account/notifications/",
        "/messages/",
        conversation.get_absolute_url(),
        f"/organisations/{baltic.pk}/message/",
    ):
        page.goto(url)
        findings += blocking_findings(page, axe)

    assert findings == [], "\n".join(findings)
