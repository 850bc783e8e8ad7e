import datetime as dt

import pytest
from django.urls import reverse

from events.views import EVENTS_PER_PAGE
from tests.factories import CountryFactory, EventFactory, SectoralIndustryFactory

pytestmark = pytest.mark.django_db


def _upcoming(n, **kwargs):
    start = dt.date.today() + dt.timedelta(days=10 + n)
    return EventFactory(
        title=f"Event {n:02d}", starts_on=start, ends_on=start + dt.timedelta(days=1), **kwargs
    )


def _titles(response):
    return [event.title for event in response.context["events"]]


def test_event_list_is_paginated_and_page_links_keep_the_filters(client):
    france = CountryFactory(code="FR")
    for n in range(EVENTS_PER_PAGE + 3):
        _upcoming(n, country=france)
    _upcoming(99)

    response = client.get(reverse("events:event-list"), {"country": "FR", "page": "2"})

    html = response.content.decode()
    assert _titles(response) == [f"Event {n:02d}" for n in range(EVENTS_PER_PAGE, 23)]
    assert response.context["page"].paginator.count == EVENTS_PER_PAGE + 3
    assert 'href="?country=FR&amp;page=1"' in html
    assert "23 events found" in html


@pytest.mark.parametrize(("page", "expected"), [("x", 1), ("9", 2)])
def test_event_list_page_out_of_range_shows_the_nearest_page(client, page, expected):
    for n in range(EVENTS_PER_PAGE + 1):
        _upcoming(n)

    response = client.get(reverse("events:event-list"), {"page": page})

    assert response.context["page"].number == expected


def test_event_list_page_number_alone_is_not_a_filter(client):
    _upcoming(1)

    response = client.get(reverse("events:event-list"), {"page": "1"})

    assert (response.context["form"].is_bound, _titles(response)) == (False, ["Event 01"])


def test_event_list_htmx_request_gets_the_results_and_the_count(client):
    sector = SectoralIndustryFactory(slug="automotive")
    _upcoming(1).sectoral_industries.set([sector])
    _upcoming(2)

    response = client.get(
        reverse("events:event-list"), {"sector": "automotive"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert [t.name for t in response.templates][0] == "events/includes/_event_results.html"
    assert _titles(response) == ["Event 01"]
    assert '<p id="event-count" hx-swap-oob="innerHTML">' in html
    assert "1 event found" in html
    assert "<html" not in html


def test_event_list_htmx_request_with_bad_dates_shows_the_error(client):
    _upcoming(1)

    response = client.get(
        reverse("events:event-list"),
        {"date_from": "2027-01-10", "date_to": "2027-01-01"},
        headers={"HX-Request": "true"},
    )

    assert _titles(response) == []
    assert "Until: The end of the range is before its start." in response.content.decode()


def test_event_list_page_form_updates_the_results_with_htmx_and_without(client):
    response = client.get(reverse("events:event-list"))

    html = response.content.decode()
    list_url = reverse("events:event-list")
    assert f'<form id="event-filters" class="card" method="get" action="{list_url}"' in html
    assert f'hx-get="{list_url}" hx-target="#event-results" hx-push-url="true"' in html


@pytest.mark.parametrize("count", [1, 3])
def test_event_list_htmx_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    for n in range(count):
        _upcoming(n).sectoral_industries.set([SectoralIndustryFactory()])

    with django_assert_max_num_queries(8):
        response = client.get(reverse("events:event-list"), headers={"HX-Request": "true"})

    assert len(_titles(response)) == count


def test_event_list_filters_have_no_dashes_placeholders(client):
    event = EventFactory()
    event.sectoral_industries.add(SectoralIndustryFactory())

    html = client.get(reverse("events:event-list")).content.decode()

    assert "---------" not in html
    assert '<option value="" selected>Any country</option>' in html
    assert '<option value="" selected>Any sector</option>' in html
    assert '<form id="event-filters" class="card"' in html


def test_event_detail_offers_no_register_after_registration_closed(client, user):
    event = EventFactory(
        registration_closes=dt.datetime(2020, 1, 1, 12, 0, tzinfo=dt.UTC),
    )
    client.force_login(user)

    html = " ".join(client.get(event.get_absolute_url()).content.decode().split())

    assert reverse("events:event-register", args=[event.pk]) not in html
    assert "Registration for this event is closed." in html


def test_event_detail_offers_register_while_registration_is_open(client, user):
    event = EventFactory()
    client.force_login(user)

    html = client.get(event.get_absolute_url()).content.decode()

    assert f'href="{reverse("events:event-register", args=[event.pk])}"' in html


def test_event_detail_gives_the_closing_time_in_the_event_time_zone(client):
    event = EventFactory(
        time_zone="America/Mexico_City",
        registration_closes=dt.datetime(2030, 9, 25, 5, 59, tzinfo=dt.UTC),
    )

    html = " ".join(client.get(event.get_absolute_url()).content.decode().split())

    assert (
        "<dt>Registration closes</dt><dd>24 September 2030, 23:59 (America/Mexico_City)</dd>"
        in html
    )
