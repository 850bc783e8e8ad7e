"""axe-core, run in Chromium, finds nothing serious or critical on the main public pages
and on a participant's agenda, in English and in French; the language switcher works from
the keyboard."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from events.enums import MeetingState
from tests.browser.session import log_in
from tests.factories import (
    CallFactory,
    EmergingIndustryFactory,
    EventFactory,
    LabelFactory,
    MeetingFactory,
    MeetingWindowFactory,
    MembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
    SectoralIndustryFactory,
    SlotFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BLOCKING = {"serious", "critical"}


def blocking_findings(page, axe):
    """axe's serious and critical violations on the current page, one readable line each.

    axe-core comes from the pinned wheel, not the network, and Playwright evaluates it through
    the DevTools protocol, which the page's Content Security Policy does not govern: the
    portal's policy stays as strict as in production.
    """
    results = axe.run(page).response
    return [
        f"{page.url} [{violation['impact']}] {violation['id']}: {violation['help']} "
        f"at {', '.join(str(node['target']) for node in violation['nodes'][:5])}"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING
    ]


def test_main_pages_have_no_serious_accessibility_finding(page):
    sectors = [SectoralIndustryFactory(name=name) for name in ("Automotive", "Logistics")]
    organisation = OrganisationFactory(
        name="Mobility Valley Bavaria",
        keywords="electric trucks, batteries",
        sectoral_industries=sectors,
        emerging_industries=[EmergingIndustryFactory(name="Mobility technologies")],
    )
    LabelFactory(organisation=organisation)
    OrganisationFactory(name="Lyon Urban Trucks")
    call = CallFactory(title="Going International")
    event = EventFactory(title="Pollutec Lyon")
    MeetingWindowFactory(event=event)
    slot = SlotFactory(
        event=event,
        starts_at=dt.datetime.combine(event.starts_on, dt.time(9, 0), tzinfo=dt.UTC),
        ends_at=dt.datetime.combine(event.starts_on, dt.time(9, 30), tzinfo=dt.UTC),
    )
    participant = RegistrationFactory(event=event, organisation=organisation)
    MeetingFactory(
        event=event, requester=participant, state=MeetingState.ACCEPTED, slot=slot, table=1
    )
    MeetingFactory(event=event, recipient=participant, state=MeetingState.REQUESTED)
    axe = Axe()

    findings = []
    for url in (
        "/",
        "/organisations/",
        organisation.get_absolute_url(),
        call.get_absolute_url(),
        "/events/",
        event.get_absolute_url(),
    ):
        page.goto(url)
        findings += blocking_findings(page, axe)
    labelled_only = CallFactory(title="Labelled consortia only", label_required=True)
    MembershipFactory(user=participant.user, organisation=OrganisationFactory(name="No Label"))
    log_in(page, participant.user.email)
    for url in (
        event.get_absolute_url(),
        f"/events/{event.pk}/agenda/",
        "/dashboard/",
        "/calls/",
        labelled_only.get_absolute_url(),
        # The page a refusal shows, with its reason and the way back.
        f"/calls/{call.pk}/review/",
    ):
        page.goto(url)
        findings += blocking_findings(page, axe)

    assert findings == [], "\n".join(findings)


def test_language_switcher_works_by_keyboard_and_french_pages_pass(page):
    organisation = OrganisationFactory(name="Pôle Véhicule du Futur")
    axe = Axe()
    page.goto("/organisations/")

    page.focus("#language-select")
    page.select_option("#language-select", "fr")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith("/organisations/")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.inner_text("main h1") == "Annuaire des organisations"
    findings = blocking_findings(page, axe)
    for url in ("/", organisation.get_absolute_url(), "/calls/", "/regions/hotspots/", "/privacy/"):
        page.goto(url)
        findings += blocking_findings(page, axe)
    assert findings == [], "\n".join(findings)


def test_pages_changed_for_phones_pass_at_390_pixels(page):
    sectors = [SectoralIndustryFactory(name="Automotive")]
    OrganisationFactory(name="Mobility Valley Bavaria", sectoral_industries=sectors)
    OrganisationFactory(name="Lyon Urban Trucks")
    axe = Axe()
    page.set_viewport_size({"width": 390, "height": 844})

    findings = []
    for url in ("/", "/calls/", "/regions/hotspots/", "/api/v1/"):
        page.goto(url)
        findings += blocking_findings(page, axe)
    page.goto("/organisations/?type=cluster")
    findings += blocking_findings(page, axe)
    page.get_by_role("button", name="Menu").click()
    page.locator(".directory__filters-summary").click()
    findings += blocking_findings(page, axe)

    assert page.locator("#directory-filters").get_attribute("open") == ""
    assert findings == [], "\n".join(findings)
