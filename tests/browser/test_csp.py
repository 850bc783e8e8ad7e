"""No Content Security Policy violation: not when htmx swaps parts of a page that carries
empty style attributes (as browser extensions and screenshot tools leave them), and not on
the browsable API, whose templates are DRF's."""

import pytest

from tests.factories import CountryFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective}: ${event.sample || event.blockedURI}`);
});
"""


def watch_csp(page):
    """The page's CSP violations, as the console reports them."""
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    return console


def violations(page, console):
    # Violation events are queued as tasks: let them arrive before reading.
    page.wait_for_timeout(100)
    return console + page.evaluate("window.cspViolations")


def forget_violations(page, console):
    page.wait_for_timeout(100)
    console.clear()
    page.evaluate("window.cspViolations = []")


def test_htmx_swaps_copy_no_style_attribute_onto_the_directory(page):
    germany = CountryFactory(code="DE", iso_code="DE", name="Germany")
    OrganisationFactory(name="Mobility Valley Bavaria", country=germany)
    OrganisationFactory(name="Lyon Urban Trucks")
    console = watch_csp(page)
    page.goto("/organisations/")
    # What an extension leaves behind; setting it from the page is itself refused, so only
    # what follows counts.
    page.evaluate(
        """document.querySelectorAll("[id]").forEach((element) =>
             element.setAttribute("style", ""))"""
    )
    forget_violations(page, console)

    page.check("#facet-country-DE")
    page.wait_for_selector("#directory-count:text('1 organisation found')")
    page.wait_for_timeout(200)  # htmx settles 20 ms after the swap

    assert "country=DE" in page.url
    assert violations(page, console) == []


def test_browsable_api_pages_have_no_csp_violation(page):
    OrganisationFactory(name="Mobility Valley Bavaria")
    console = watch_csp(page)

    found = {}
    for url in ("/api/v1/", "/api/v1/organisations/", "/api/v1/organisations/?ordering=name"):
        page.goto(url)
        found[url] = violations(page, console)
        forget_violations(page, console)
    page.get_by_role("button", name="Filters").click()
    page.wait_for_selector("#filtersModal input[name=search]", state="visible")
    found["filters"] = violations(page, console)

    assert page.locator("#filtersModal input[name=search]").bounding_box()["width"] == 350
    assert found == {
        "/api/v1/": [],
        "/api/v1/organisations/": [],
        "/api/v1/organisations/?ordering=name": [],
        "filters": [],
    }
