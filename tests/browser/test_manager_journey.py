"""A cluster manager registers in the browser, staff verify, and everyone finds the profile."""

import datetime as dt
import re

import pytest
from django.core import mail

from partnerships.models import Organisation
from tests.factories import (
    EmergingIndustryFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
    StaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Rhine-Danube-2016!"


def fill_profile(page, *, smes, research, staff_fte):
    page.fill("#id_members_smes", str(smes))
    page.fill("#id_members_research", str(research))
    page.fill("#id_staff_fte", str(staff_fte))


def test_manager_registers_staff_verify_and_the_profile_is_found(page, browser, live_server):
    oberbayern = RegionFactory(code="DE21", name="Oberbayern", country__code="DE")
    paris = RegionFactory(code="FR10", name="Ile-de-France", country__code="FR")
    OrganisationFactory(name="Paris Mobility Hub", acronym="C0", region=paris)
    automotive = SectoralIndustryFactory(slug="automotive", name="Automotive")
    mobility = EmergingIndustryFactory(slug="mobility-technologies", name="Mobility Technologies")
    mobility.sectoral_industries.add(automotive)
    staff = StaffFactory(email="reviewer@ec.europa.eu")

    # Sign up and verify the e-mail address.
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "anna.weber@mobility-valley.example")
    page.fill("input[name=full_name]", "Anna Weber")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/confirm-email/")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", mail.outbox[0].body)
    page.goto(link.group(1))
    page.click("main button[type=submit]")
    # Confirmed and signed in, the new manager lands on their dashboard.
    page.wait_for_url(f"{live_server.url}/dashboard/")

    # Register the organisation; the region list follows the country.
    page.goto("/organisations/new/")
    page.fill("#id_name", "Mobility Valley Bavaria")
    page.fill("#id_acronym", "MVB")
    page.select_option("#id_country", "DE")
    page.wait_for_selector("#id_region option[value=FR10]", state="detached")
    assert page.locator("#id_region option[value=DE21]").count() == 1
    page.select_option("#id_region", "DE21")
    page.fill("#id_website", "https://mobility-valley.example")
    page.click("button[value=next]")
    page.wait_for_url("**step=sectors")
    page.check(f"input[name=sectoral_industries][value='{automotive.pk}']")
    page.check(f"input[name=emerging_industries][value='{mobility.pk}']")
    page.click("button[value=members]")
    page.wait_for_url("**step=members")
    fill_profile(page, smes=9, research=0, staff_fte=0.2)
    page.select_option("#id_label-level", "gold")
    page.select_option("#id_label-awarding_body", "eucles")
    today = dt.date.today()
    page.fill("#id_label-assessed_on", (today - dt.timedelta(days=100)).isoformat())
    page.fill("#id_label-valid_until", (today + dt.timedelta(days=600)).isoformat())
    page.click("button[value=next]")
    page.wait_for_url("**step=review")
    page.click("button[value=submit]")

    # A pre-check fails: the manager sees why and where to fix it, and the draft is kept.
    errors = page.locator("#refused-title + .checklist li").all_inner_texts()
    assert errors[0].startswith(
        "A cluster needs at least 15 committed members; this profile counts 9."
    )
    assert Organisation.objects.get(name="Mobility Valley Bavaria").validation_state == "draft"
    page.click("#refused-title + .checklist button >> nth=0")
    page.wait_for_url("**step=members")
    assert page.input_value("#id_members_smes") == "9"

    fill_profile(page, smes=60, research=8, staff_fte=2.5)
    page.click("button[value=next]")
    page.wait_for_url("**step=review")
    page.click("button[value=submit]")
    page.wait_for_url("**/dashboard/")
    assert "Waiting for Commission staff to verify it." in page.inner_text("main")

    # Staff verify it from the validation queue.
    staff_context = browser.new_context(base_url=live_server.url)
    staff_page = staff_context.new_page()
    staff_page.goto("/accounts/login/")
    staff_page.fill("input[name=login]", staff.email)
    staff_page.fill("input[name=password]", "correct horse battery staple")
    staff_page.click("main button[type=submit]")
    staff_page.goto("/staff/validation/")
    staff_page.click("text=Mobility Valley Bavaria")
    staff_page.check("input[name=decision][value=verify]")
    staff_page.click("text=Record decision")
    staff_page.wait_for_url("**/staff/validation/")
    staff_context.close()
    assert Organisation.objects.get(name="Mobility Valley Bavaria").validation_state == "verified"
    assert oberbayern.organisations.count() == 1

    # Anyone finds it by search and by two facets, and its page shows the label.
    page.context.clear_cookies()
    page.goto("/organisations/?q=mobility")
    results = page.locator("#directory-results .directory-item__name")
    assert sorted(results.all_inner_texts()) == [
        "Mobility Valley Bavaria (MVB)",
        "Paris Mobility Hub (C0)",
    ]
    page.goto("/organisations/")
    page.check("#facet-country-DE")
    page.wait_for_url("**country=DE**")
    page.check("#facet-sector-automotive")
    page.wait_for_url("**sector=automotive**")
    assert results.all_inner_texts() == ["Mobility Valley Bavaria (MVB)"]
    page.click("text=Mobility Valley Bavaria")
    assert "Gold label" in page.inner_text(".profile__badges")
