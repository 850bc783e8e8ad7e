"""A visitor narrows the partnership directory (the results change in place), opens a
partnership and reads its phases, then the statistics of the call it came from."""

import pytest

from partnerships.enums import CallState, ExpressionState, PartnershipPhase
from tests.factories import (
    CallFactory,
    ExpressionFactory,
    PartnershipMilestoneFactory,
    StrategicPartnershipFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_filters_partnerships_opens_one_and_reads_the_call_statistics(page):
    call = CallFactory(title="Going International 2016", state=CallState.DECIDED)
    ExpressionFactory(call=call, state=ExpressionState.SELECTED, submitted_at="2016-11-01T12:00Z")
    StrategicPartnershipFactory(name="Batteries to Japan", call=call)
    moving = StrategicPartnershipFactory(
        name="Textiles to Canada", call=call, phase=PartnershipPhase.IMPLEMENTATION
    )
    PartnershipMilestoneFactory(partnership=moving, title="Joint strategy adopted")
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    page.goto("/partnerships/")
    assert page.inner_text("#partnership-count") == "2 partnerships found"
    marker = page.evaluate("() => (window.fullPageMarker = 'kept')")
    page.select_option("#id_phase", "implementation")
    page.wait_for_selector("#partnership-count:has-text('1 partnership found')")
    assert page.evaluate("() => window.fullPageMarker") == marker
    assert "phase=implementation" in page.url
    assert "Batteries to Japan" not in page.inner_text("#partnership-results")

    page.click("text=Textiles to Canada")
    page.wait_for_selector("h1:has-text('Textiles to Canada')")
    current = page.locator(".timeline__phase[aria-current=step]")
    assert "Implementation" in current.inner_text()
    assert "Joint strategy adopted" in page.inner_text(".timeline")

    page.click("main aside >> text=Going International 2016")
    page.click("text=Statistics of this call")
    page.wait_for_selector("#chart-funnel")
    page.click("#chart-funnel summary")
    assert "Selected" in page.inner_text("#chart-funnel table")
    assert errors == []
