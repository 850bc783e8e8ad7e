"""A lead manager asks for partner suggestions on the draft's page, sees them appear in place
with what each adds, and invites one with a single click."""

import pytest

from matchmaking import feature_loader
from partnerships.enums import CallType, PartnerState
from partnerships.models import ExpressionPartner
from tests.browser.session import log_in
from tests.factories import (
    CallFactory,
    CountryFactory,
    EmergingIndustryFactory,
    ExpressionFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_gets_suggestions_in_place_and_invites_one_with_a_click(page, monkeypatch):
    monkeypatch.setattr(feature_loader, "REFRESH_IN_BACKGROUND", False)
    blue = EmergingIndustryFactory(slug="blue-economy", name="Blue economy")
    call = CallFactory(type=CallType.ESCP_4I, min_partners=1, min_countries=2)
    call.emerging_industries.set([blue])
    france = RegionFactory(code="FR10", country=CountryFactory(code="FR", name="France"))
    poland = RegionFactory(code="PL21", country=CountryFactory(code="PL", name="Poland"))
    lead = OrganisationFactory(name="Lyon Cluster", region=france)
    OrganisationFactory(name="Paris Twin", region=france)
    oder = OrganisationFactory(name="Oder Cluster", region=poland, emerging_industries=[blue])
    expression = ExpressionFactory(call=call, lead=lead, title="Blue corridors")
    manager = MembershipFactory(organisation=lead, user=UserFactory()).user

    log_in(page, manager.email)
    page.goto(expression.get_absolute_url())
    page.click("text=Suggest partners that cover the call's countries and themes")
    page.wait_for_selector("#partner-suggestions h2:has-text('Suggested partners')")
    suggestion = page.locator("#partner-suggestions li.recommendation")
    assert suggestion.locator("h3 a").all_inner_texts() == ["Oder Cluster"]
    assert suggestion.locator("ul.checklist li").all_inner_texts() == [
        "Adds country Poland",
        "Covers emerging industry Blue economy",
    ]
    # Loaded in place: the page around it is still the expression's.
    assert page.url.endswith(expression.get_absolute_url())

    page.click("button:has-text('Invite Oder Cluster')")
    page.wait_for_selector("main tr:has-text('Oder Cluster'):has-text('Invited')")

    assert ExpressionPartner.objects.get(expression=expression).organisation == oder
    assert ExpressionPartner.objects.get(expression=expression).state == PartnerState.INVITED
