"""A manager registers an organisation in steps, on a laptop and on a phone: the region's S3
priorities follow the region at once, long lists filter as one types, back keeps everything,
and the review submits the profile."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from partnerships.models import Organisation
from tests.browser.session import log_in
from tests.browser.test_accessibility import blocking_findings
from tests.factories import (
    OrganisationFactory,
    RegionFactory,
    S3PriorityFactory,
    SectoralIndustryFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_manager_registers_in_steps(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    bavaria = RegionFactory(code="DE21", name="Oberbayern", country__code="DE")
    swabia = RegionFactory(code="DE27", name="Schwaben", country=bavaria.country)
    RegionFactory(code="FR10", name="Ile-de-France", country__code="FR")
    shared = S3PriorityFactory(region=bavaria, title="Smart mobility")
    S3PriorityFactory(region=swabia, title="Lightweight construction")
    automotive = SectoralIndustryFactory(slug="automotive", name="Automotive")
    for number in range(14):
        SectoralIndustryFactory(slug=f"sector-{number}", name=f"Other sector {number}")
    manager = UserFactory(email="anna.weber@mobility-valley.example")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, manager.email)

    # Step 1: the S3 priorities follow the region as soon as it is chosen.
    page.goto("/organisations/new/")
    assert page.inner_text(".steps__count") == "Step 1 of 5: Organisation and region"
    page.fill("#id_name", "Mobility Valley Bavaria")
    page.fill("#id_website", "https://mobility-valley.example")
    page.select_option("#id_country", "DE")
    page.wait_for_selector("#id_region option[value=FR10]", state="detached")
    page.select_option("#id_region", "DE21")
    page.wait_for_selector("#s3-priorities label:has-text('Smart mobility (DE21)')")
    page.check("#s3-priorities label:has-text('Smart mobility') input")
    page.select_option("#id_region", "DE27")
    page.wait_for_selector("#s3-priorities label:has-text('Lightweight construction (DE27)')")
    assert page.locator("#s3-priorities label").all_inner_texts() == [
        "Lightweight construction (DE27)"
    ]
    page.select_option("#id_region", "DE21")
    page.wait_for_selector("#s3-priorities label:has-text('Smart mobility (DE21)')")
    page.check("#s3-priorities label:has-text('Smart mobility') input")
    page.click("button[value=next]")
    page.wait_for_url("**step=sectors")
    organisation = Organisation.objects.get(name="Mobility Valley Bavaria")
    assert list(organisation.s3_priorities.all()) == [shared]

    # Step 2: a long list filters as one types; the filter box never submits the step.
    assert page.inner_text(".steps__count") == "Step 2 of 5: Sectors and industries"
    page.fill("#id_sectoral_industries-filter", "autom")
    page.keyboard.press("Enter")
    visible = page.locator("#id_sectoral_industries label:visible")
    assert visible.all_inner_texts() == ["Automotive"]
    visible.first.click()
    page.fill("#id_sectoral_industries-filter", "zzz")
    assert page.locator("#id_sectoral_industries ~ .choice-filter__none").is_visible()
    page.fill("#id_sectoral_industries-filter", "")
    assert page.locator("#id_sectoral_industries label:visible").count() == 15
    assert page.url.endswith("step=sectors")

    # Back saves the step, and the first step still holds what was typed.
    page.click("button[value=back]")
    page.wait_for_url(f"**/organisations/{organisation.pk}/edit/")
    assert page.input_value("#id_name") == "Mobility Valley Bavaria"
    assert page.is_checked("#s3-priorities label:has-text('Smart mobility') input")
    assert list(organisation.sectoral_industries.all()) == [automotive]
    # Typing is saved as one types, before any button is pressed.
    page.fill("#id_city", "Munich")
    page.wait_for_selector("#autosave-status:has-text('Saved at')")
    organisation.refresh_from_db()
    assert organisation.city == "Munich"

    # The bar reaches any step; members, then the review submits.
    page.click(".steps button[value=members]")
    page.wait_for_url("**step=members")
    page.fill("#id_members_smes", "60")
    page.fill("#id_members_research", "8")
    page.fill("#id_staff_fte", "2.5")
    page.click("button[value=next]")
    page.wait_for_url("**step=review")
    assert "Automotive" in page.inner_text("section[aria-labelledby=review-sectors]")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.click("button[value=submit]")
    page.wait_for_url("**/dashboard/")
    organisation.refresh_from_db()
    assert organisation.validation_state == "pending"


def test_every_step_has_no_serious_accessibility_finding(page, live_server):
    manager = UserFactory(email="anna.weber@mobility-valley.example")
    bavaria = RegionFactory(code="DE21", name="Oberbayern", country__code="DE")
    S3PriorityFactory(region=bavaria, title="Smart mobility")
    for number in range(14):
        SectoralIndustryFactory(slug=f"sector-{number}", name=f"Sector {number}")
    draft = OrganisationFactory(
        name="Mobility Valley Bavaria", validation_state="draft", owner=manager, region=bavaria
    )
    log_in(page, manager.email)
    axe = Axe()

    findings = []
    for language in ("en", "fr"):
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        for step in ("organisation", "sectors", "value-chain", "members", "review"):
            page.goto(f"/organisations/{draft.pk}/edit/?step={step}")
            findings += blocking_findings(page, axe)

    assert findings == []
