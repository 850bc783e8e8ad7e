"""The portal on a 390-pixel phone: a menu button folds the header, the directory shows its
results before its filters, and the hotspots page fits the screen with its region table in
pages."""

import json

import pytest

from partnerships.reference import DATA_DIR
from tests.factories import (
    CountryFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def german_nuts2_codes(count):
    with open(DATA_DIR / "regions.json", encoding="utf-8") as handle:
        rows = json.load(handle)
    return sorted(row["code"] for row in rows if row["level"] == 2 and row["country"] == "DE")[
        :count
    ]


def fits_the_screen(page):
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_menu_button_folds_the_header_on_a_phone_and_works_by_keyboard(page):
    page.set_viewport_size(PHONE)
    page.goto("/organisations/")
    button = page.get_by_role("button", name="Menu")
    directory_link = page.locator(".site-nav").get_by_role("link", name="Directory")

    assert button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "site-menu"
    assert directory_link.is_hidden()
    assert page.locator(".site-header").bounding_box()["height"] < 100

    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert directory_link.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Home"
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert directory_link.is_hidden()
    assert page.evaluate("document.activeElement.className") == "menu-button"
    page.keyboard.press("Space")
    assert directory_link.is_visible()
    assert fits_the_screen(page)


def test_menu_button_hides_on_a_wide_screen(page):
    page.set_viewport_size(DESKTOP)
    page.goto("/")

    assert page.get_by_role("button", name="Menu").is_hidden()
    assert page.locator(".site-nav").get_by_role("link", name="Directory").is_visible()


def test_navigation_stays_open_on_a_phone_without_scripts(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/calls/")

        assert page.locator(".menu-button").is_hidden()
        assert page.locator(".site-nav").get_by_role("link", name="Directory").is_visible()
        assert page.locator(".site-nav").get_by_role("link", name="Events").is_visible()
    finally:
        context.close()


def test_directory_on_a_phone_shows_results_first_and_keeps_filters_open_across_updates(page):
    germany = CountryFactory(code="DE", iso_code="DE", name="Germany")
    france = CountryFactory(code="FR", iso_code="FR", name="France")
    OrganisationFactory(name="Mobility Valley Bavaria", acronym="MVB", country=germany)
    OrganisationFactory(name="Lyon Urban Trucks", country=france)
    page.set_viewport_size(PHONE)

    page.goto("/organisations/?type=cluster")
    filters = page.locator("#directory-filters")
    results = page.get_by_role("heading", name="Results", exact=True)

    assert filters.get_attribute("open") is None
    assert page.locator(".directory__filters-summary").inner_text() == "Filters (1 active)"
    assert results.bounding_box()["y"] < PHONE["height"]
    assert page.locator(".directory-item__name").first.is_visible()

    page.locator(".directory__filters-summary").click()
    page.check("#facet-country-DE")
    page.wait_for_selector("#directory-count:text('1 organisation found')")

    assert filters.get_attribute("open") == ""
    assert page.locator(".directory__filters-summary").inner_text() == "Filters (2 active)"
    assert "country=DE" in page.url
    assert page.locator(".directory-item__name").all_inner_texts() == [
        "Mobility Valley Bavaria (MVB)"
    ]
    assert fits_the_screen(page)
    page.locator(".directory__filters-summary").click()
    assert filters.get_attribute("open") is None
    page.set_viewport_size(DESKTOP)
    page.wait_for_selector("#directory-filters[open]")


def test_directory_on_a_wide_screen_shows_the_filters_open(page):
    OrganisationFactory(name="Mobility Valley Bavaria")
    page.set_viewport_size(DESKTOP)

    page.goto("/organisations/")

    assert page.locator("#directory-filters").get_attribute("open") == ""
    assert page.locator(".directory__filters-summary").inner_text() == "Filters"
    assert page.locator("#facet-current_label").is_visible()


def test_hotspots_fit_a_phone_and_the_region_table_pages_in_place(page):
    germany = CountryFactory(code="DE", iso_code="DE", name="Germany")
    codes = german_nuts2_codes(30)
    # The longest option of a select once set the width of the whole page.
    SectoralIndustryFactory(name="Information technology and analytical instruments")
    for code in codes:
        OrganisationFactory(region=RegionFactory(code=code, name=f"Region {code}", country=germany))
    page.set_viewport_size(PHONE)
    rows = page.locator("#hotspots-region-table tbody tr")

    page.goto("/regions/hotspots/")
    page.evaluate("window.notReloaded = true")

    assert fits_the_screen(page)
    assert rows.count() == 25
    page.locator("#hotspots-regions").get_by_role("link", name="Next").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#hotspots-regions-range:text('Regions 26 to 30 of 30')")
    page.wait_for_function("document.activeElement.id === 'hotspots-table'")

    assert page.evaluate("window.notReloaded") is True
    assert page.url.endswith("/regions/hotspots/?page=2")
    assert [row.get_attribute("data-region") for row in rows.all()] == codes[25:]
    assert page.locator('a.hotspots__region[data-region="DE11"]').count() == 1
    assert fits_the_screen(page)
