import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships.enums import PartnerSearchState
from partnerships.models import PartnerSearch, PartnerSearchComment, PartnerSearchInterest
from partnerships.models.partner_search import DESCRIPTION_MAX
from tests.factories import (
    CallFactory,
    CountryFactory,
    EmergingIndustryFactory,
    OrganisationFactory,
    PartnerSearchFactory,
    PartnerSearchInterestFactory,
    managed_organisation,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def in_days(days):
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def author():
    return managed_organisation("Battery Valley", "DE")


@pytest.fixture
def other():
    return managed_organisation("Lyon Cleantech", "FR")


def form_data(organisation, **overrides):
    return {
        "author": organisation.pk,
        "title": "Partners for a battery pilot",
        "description": "We look for recycling clusters.",
        "deadline": in_days(10).isoformat(),
        **overrides,
    }


def test_board_lists_open_searches_only(client):
    PartnerSearchFactory(title="Open one")
    PartnerSearchFactory(title="Drafted one", state=PartnerSearchState.DRAFT, published_at=None)
    PartnerSearchFactory(title="Found one", state=PartnerSearchState.FOUND)
    late = PartnerSearchFactory(title="Late one")
    PartnerSearch.objects.filter(pk=late.pk).update(deadline=in_days(-1))

    response = client.get("/partner-searches/")

    assert [s.title for s in response.context["searches"]] == ["Open one"]


def test_board_text_search_folds_accents(client):
    PartnerSearchFactory(title="Partners near Wrocław")
    PartnerSearchFactory(title="Partners in Lisbon")

    response = client.get("/partner-searches/", {"q": "wroclaw"})

    assert [s.title for s in response.context["searches"]] == ["Partners near Wrocław"]


def test_board_facets_count_within_the_other_choices(client):
    france, italy = CountryFactory(code="FR"), CountryFactory(code="IT")
    blue = EmergingIndustryFactory(name="Blue economy")
    PartnerSearchFactory(title="A", countries=[france], seeking_emerging=[blue])
    PartnerSearchFactory(title="B", countries=[italy], seeking_emerging=[blue])
    PartnerSearchFactory(title="C", countries=[italy])

    response = client.get("/partner-searches/", {"country": "FR"})

    groups = {group["name"]: group["options"] for group in response.context["facet_groups"]}
    assert [s.title for s in response.context["searches"]] == ["A"]
    assert [(o.value, o.count, o.selected) for o in groups["country"]] == [
        ("FR", 1, True),
        ("IT", 2, False),
    ]
    assert [(o.label, o.count) for o in groups["emerging_industry"]] == [("Blue economy", 1)]


def test_board_unknown_facet_value_is_an_error_not_an_empty_list(client):
    PartnerSearchFactory(title="A")

    response = client.get("/partner-searches/", {"country": "XX"})

    assert response.status_code == 200
    assert "Select a valid choice. XX is not one of the available choices." in (
        response.content.decode()
    )
    assert [s.title for s in response.context["searches"]] == ["A"]


def test_board_htmx_gets_the_results_partial(client):
    PartnerSearchFactory(title="A")

    response = client.get("/partner-searches/", HTTP_HX_REQUEST="true")

    assert [t.name for t in response.templates][0] == (
        "partnerships/includes/_partner_search_results.html"
    )


@pytest.mark.parametrize("count", [1, 3])
def test_board_query_count_does_not_grow_with_the_list(client, count):
    for _n in range(count):
        search = PartnerSearchFactory(
            countries=[CountryFactory(code="FR")], seeking_emerging=[EmergingIndustryFactory()]
        )
        PartnerSearchInterestFactory(search=search)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/partner-searches/")

    assert len(response.context["searches"]) == count
    assert len(queries) == 13


def test_create_and_publish(client, author):
    organisation, manager = author
    client.force_login(manager)

    response = client.post("/partner-searches/new/", form_data(organisation, publish="1"))

    search = PartnerSearch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == search.get_absolute_url()
    assert search.state == PartnerSearchState.PUBLISHED


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "   "}, "title", "This field is required."),
        ({"description": ""}, "description", "This field is required."),
        (
            {"description": "x" * (DESCRIPTION_MAX + 1)},
            "description",
            f"Ensure this value has at most {DESCRIPTION_MAX} characters (it has "
            f"{DESCRIPTION_MAX + 1}).",
        ),
        (
            {"title": "x" * 201},
            "title",
            "Ensure this value has at most 200 characters (it has 201).",
        ),
        (
            {"title": "Two\nlines"},
            "title",
            "Keep this on one line: line breaks, tabs and control characters are not allowed.",
        ),
        ({"deadline": "2001-01-01"}, "deadline", "Choose today or a later day."),
        ({"deadline": "soon"}, "deadline", "Enter a valid date."),
    ],
)
def test_create_bad_input_keeps_what_was_typed(client, author, overrides, field, message):
    organisation, manager = author
    client.force_login(manager)
    data = form_data(organisation, description="Typed text that must survive.") | overrides

    response = client.post("/partner-searches/new/", data)

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert response.context["form"]["description"].value() == data["description"]
    assert PartnerSearch.objects.count() == 0


def test_script_in_text_is_shown_as_text(client, author):
    organisation, manager = author
    client.force_login(manager)
    client.post(
        "/partner-searches/new/",
        form_data(organisation, title=f"Pilot {SCRIPT}", description=SCRIPT, publish="1"),
    )
    search = PartnerSearch.objects.get()

    page = client.get(search.get_absolute_url()).content.decode()

    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_interest_through_htmx_returns_the_card(client, author, other):
    organisation, _manager = author
    partner, partner_manager = other
    search = PartnerSearchFactory(author=organisation)
    client.force_login(partner_manager)

    response = client.post(
        f"/partner-searches/{search.pk}/interest/",
        {"organisation": partner.pk, "brings": "Forty SMEs."},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Lyon Cleantech&#x27;s interest is sent" in response.content.decode()
    assert PartnerSearchInterest.objects.get().brings == "Forty SMEs."


def test_interest_empty_keeps_the_form(client, author, other):
    organisation, _manager = author
    partner, partner_manager = other
    search = PartnerSearchFactory(author=organisation)
    client.force_login(partner_manager)

    response = client.post(
        f"/partner-searches/{search.pk}/interest/",
        {"organisation": partner.pk, "brings": "   "},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert response.context["interest_form"].errors == {"brings": ["This field is required."]}
    assert PartnerSearchInterest.objects.count() == 0


def test_interest_in_a_closed_search_is_refused(client, author, other):
    organisation, _manager = author
    partner, partner_manager = other
    search = PartnerSearchFactory(author=organisation, state=PartnerSearchState.FOUND)
    client.force_login(partner_manager)

    response = client.post(
        f"/partner-searches/{search.pk}/interest/",
        {"organisation": partner.pk, "brings": "Forty SMEs."},
    )

    assert response.status_code == 403
    assert PartnerSearchInterest.objects.count() == 0


def test_comment_on_a_closed_search_is_refused(client, author, other):
    organisation, _manager = author
    _partner, partner_manager = other
    search = PartnerSearchFactory(author=organisation, state=PartnerSearchState.ABANDONED)
    client.force_login(partner_manager)

    response = client.post(f"/partner-searches/{search.pk}/comments/", {"body": "Hello"})

    assert response.status_code == 403
    assert PartnerSearchComment.objects.count() == 0


def test_comment_too_long_keeps_the_text(client, author, other):
    organisation, _manager = author
    _partner, partner_manager = other
    search = PartnerSearchFactory(author=organisation)
    client.force_login(partner_manager)
    body = "y" * 2001

    response = client.post(
        f"/partner-searches/{search.pk}/comments/", {"body": body}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 400
    assert response.context["comment_form"]["body"].value() == body
    assert PartnerSearchComment.objects.count() == 0


def test_follow_toggles_through_htmx(client, author, other):
    organisation, _manager = author
    _partner, partner_manager = other
    search = PartnerSearchFactory(author=organisation)
    client.force_login(partner_manager)

    on = client.post(
        f"/partner-searches/{search.pk}/follow/", {"follow": "on"}, HTTP_HX_REQUEST="true"
    )
    off = client.post(
        f"/partner-searches/{search.pk}/follow/", {"follow": "off"}, HTTP_HX_REQUEST="true"
    )

    assert "You follow this search: you will hear of its updates." in on.content.decode()
    assert "You no longer follow this search." in off.content.decode()
    assert search.follows.count() == 0


def test_consortium_in_one_step(client, author, other):
    organisation, manager = author
    partner, _partner_manager = other
    call = CallFactory()
    search = PartnerSearchFactory(author=organisation, call=call)
    PartnerSearchInterestFactory(search=search, organisation=partner)
    client.force_login(manager)

    response = client.post(
        f"/partner-searches/{search.pk}/consortium/", {"organisations": [partner.pk]}
    )

    expression = organisation.led_expressions.get()
    assert response["Location"] == expression.get_absolute_url()
    assert list(expression.partners.values_list("organisation__name", flat=True)) == [
        "Lyon Cleantech"
    ]


def test_consortium_with_nobody_chosen_is_a_form_error(client, author, other):
    organisation, manager = author
    partner, _partner_manager = other
    search = PartnerSearchFactory(author=organisation, call=CallFactory())
    PartnerSearchInterestFactory(search=search, organisation=partner)
    client.force_login(manager)

    response = client.post(f"/partner-searches/{search.pk}/consortium/", {"title": "Kept"})

    assert response.status_code == 400
    assert response.context["consortium_form"].errors == {
        "organisations": ["Choose at least one interested organisation."]
    }
    assert response.context["consortium_form"]["title"].value() == "Kept"
    assert organisation.led_expressions.count() == 0


def test_interests_page_shows_them_side_by_side(client, author):
    organisation, manager = author
    search = PartnerSearchFactory(author=organisation)
    for name in ("Alpha Cluster", "Beta Cluster"):
        PartnerSearchInterestFactory(search=search, organisation=OrganisationFactory(name=name))
    client.force_login(manager)

    response = client.get(f"/partner-searches/{search.pk}/interests/")

    assert [i.organisation.name for i in response.context["interests"]] == [
        "Alpha Cluster",
        "Beta Cluster",
    ]


def test_rss_and_atom_feeds_list_open_searches(client):
    PartnerSearchFactory(title="Open one")
    PartnerSearchFactory(title="Drafted one", state=PartnerSearchState.DRAFT, published_at=None)

    rss = client.get("/partner-searches/feed/rss/")
    atom = client.get("/partner-searches/feed/atom/")

    assert rss["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert atom["Content-Type"] == "application/atom+xml; charset=utf-8"
    for feed in (rss, atom):
        body = feed.content.decode()
        assert body.count("Open one") == 1
        assert "Drafted one" not in body


def test_api_lists_open_searches_with_filters(api_client):
    france = CountryFactory(code="FR")
    PartnerSearchFactory(title="A", countries=[france])
    PartnerSearchFactory(title="B")
    PartnerSearchFactory(title="Drafted", state=PartnerSearchState.DRAFT, published_at=None)

    everything = api_client.get("/api/v1/partner-searches/")
    french = api_client.get("/api/v1/partner-searches/", {"country": "FR"})
    wrong = api_client.get("/api/v1/partner-searches/", {"country": "XX"})

    assert sorted(row["title"] for row in everything.json()["results"]) == ["A", "B"]
    assert [row["title"] for row in french.json()["results"]] == ["A"]
    assert french.json()["results"][0]["countries"] == ["FR"]
    assert wrong.status_code == 400
    assert wrong.json() == {
        "country": ["Select a valid choice. XX is not one of the available choices."]
    }


def test_api_detail_of_a_draft_is_404(api_client):
    draft = PartnerSearchFactory(state=PartnerSearchState.DRAFT, published_at=None)

    response = api_client.get(f"/api/v1/partner-searches/{draft.pk}/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No PartnerSearch matches the given query."}
