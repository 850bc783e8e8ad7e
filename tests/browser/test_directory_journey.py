"""A visitor types a word in the directory, then ticks a facet before the results of the word
are back: the URL, the form and the results end up in agreement, with both."""

import time

import pytest

from partnerships.views.directory import OrganisationListView
from tests.factories import CountryFactory, OrganisationFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_facet_ticked_while_a_typed_search_is_loading_is_kept(page, monkeypatch):
    france = RegionFactory(code="FR10", country=CountryFactory(code="FR", name="France"))
    poland = RegionFactory(code="PL21", country=CountryFactory(code="PL", name="Poland"))
    OrganisationFactory(name="Lyon Textile Cluster", acronym="LTC", region=france)
    OrganisationFactory(name="Oder Textile Cluster", region=poland)
    build = OrganisationListView.build

    def slow_without_a_facet(view, request):
        # The typed search answers slowly, as on a busy server: the tick comes meanwhile.
        if "country" not in request.GET:
            time.sleep(1.5)
        return build(view, request)

    page.goto("/organisations/")
    monkeypatch.setattr(OrganisationListView, "build", slow_without_a_facet)
    page.fill("#id_q", "textile")
    page.dispatch_event("#id_q", "keyup")
    page.wait_for_timeout(500)
    page.check("#facet-country-FR")
    page.wait_for_url("**country=FR**")
    page.wait_for_timeout(2000)

    assert "q=textile" in page.url
    assert "country=FR" in page.url
    assert page.is_checked("#facet-country-FR") is True
    assert page.input_value("#id_q") == "textile"
    assert page.locator("#directory-results .directory-item__name").all_inner_texts() == [
        "Lyon Textile Cluster (LTC)"
    ]
