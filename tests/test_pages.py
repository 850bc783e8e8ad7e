import datetime as dt
import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from partnerships.enums import LabelLevel, MemberType, ValidationState
from partnerships.queries import home_figures
from tests.factories import (
    CountryFactory,
    EcosystemFactory,
    EmergingIndustryFactory,
    LabelFactory,
    MembershipFactory,
    OrganisationFactory,
    PolicyObjectiveFactory,
    RegionFactory,
    S3PriorityFactory,
    SectoralIndustryFactory,
    StaffFactory,
    UserFactory,
    ValueChainPositionFactory,
)

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _expired_label(organisation, level):
    return LabelFactory(
        organisation=organisation,
        level=level,
        assessed_on=_today() - dt.timedelta(days=900),
        valid_until=_today() - dt.timedelta(days=170),
    )


def _html(response):
    return response.content.decode()


# --- Home page ----------------------------------------------------------------------------


@pytest.fixture
def home_data():
    germany = RegionFactory(country=CountryFactory(code="DE"))
    france = RegionFactory(country=CountryFactory(code="FR"))
    digital = EmergingIndustryFactory(name="Digital Industries")
    blue = EmergingIndustryFactory(name="Blue Growth Industries")
    gold = OrganisationFactory(region=germany, emerging_industries=[digital, blue])
    bronze = OrganisationFactory(region=germany, emerging_industries=[digital])
    unlabelled = OrganisationFactory(region=france)
    LabelFactory(organisation=gold, level=LabelLevel.GOLD)
    LabelFactory(organisation=gold, level=LabelLevel.BRONZE)
    LabelFactory(organisation=bronze, level=LabelLevel.BRONZE)
    _expired_label(bronze, LabelLevel.SILVER)
    _expired_label(unlabelled, LabelLevel.GOLD)
    # Neither drafts nor rejected profiles count, whatever they hold.
    draft = OrganisationFactory(
        region=RegionFactory(country=CountryFactory(code="IT")),
        validation_state=ValidationState.DRAFT,
        emerging_industries=[blue],
    )
    LabelFactory(organisation=draft, level=LabelLevel.SILVER)
    OrganisationFactory(region=france, validation_state=ValidationState.REJECTED)
    return {"digital": digital, "blue": blue}


def test_home_figures_count_public_organisations_by_best_current_label(home_data):
    figures = home_figures()

    assert figures == {
        "organisation_count": 3,
        "country_count": 2,
        "labelled_count": 2,
        "label_counts": [
            {"key": "gold", "label": "Gold", "value": 1},
            {"key": "silver", "label": "Silver", "value": 0},
            {"key": "bronze", "label": "Bronze", "value": 1},
        ],
        "emerging_industries": [
            {"key": home_data["digital"].slug, "label": "Digital Industries", "value": 2},
            {"key": home_data["blue"].slug, "label": "Blue Growth Industries", "value": 1},
        ],
    }


def test_home_page_shows_the_counts(client, home_data):
    response = client.get("/")

    html = _html(response)
    assert response.status_code == 200
    assert re.search(r'id="figure-organisations">(\d+)<', html).group(1) == "3"
    assert re.search(r'id="figure-countries">(\d+)<', html).group(1) == "2"
    assert re.search(r'id="figure-labelled">(\d+)<', html).group(1) == "2"
    table_rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td class="numeric">(\d+)</td></tr>', html
    )
    assert table_rows == [
        ("Gold", "1"),
        ("Silver", "0"),
        ("Bronze", "1"),
        ("Digital Industries", "2"),
        ("Blue Growth Industries", "1"),
    ]


def test_home_page_bar_lengths_follow_the_counts(client, home_data):
    response = client.get("/")

    # 300 units is the full bar, i.e. every public organisation.
    bars = re.findall(r'class="chart__bar chart__bar--(\w+)"[^>]*width="(\d+)"', _html(response))
    assert bars[:3] == [("gold", "100"), ("silver", "0"), ("bronze", "100")]


def test_home_page_query_count_is_fixed(client, django_assert_num_queries, home_data):
    with django_assert_num_queries(3):
        response = client.get("/")

    assert response.status_code == 200


def test_home_page_explains_the_portal_to_a_newcomer(client):
    html = _html(client.get("/"))

    for heading in (
        "Cluster managers register",
        "The Commission publishes calls",
        "Partners meet",
        "Cross-sectoral linkages",
        "International reach",
        "Shared smart-specialisation priorities",
        "Existing strengths",
    ):
        assert heading in html


# --- Base layout --------------------------------------------------------------------------


def test_base_layout_has_skip_link_landmarks_and_htmx(client):
    html = _html(client.get("/"))

    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main"' in html
    assert '<nav class="site-nav" aria-label="Main navigation">' in html
    assert html.count("<footer") == 1
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html
    assert 'href="/api/v1/organisations/"' in html
    assert 'href="/api/docs/"' in html
    assert "<script>" not in html
    assert "style=" not in html


def test_base_layout_has_a_language_switcher(client):
    html = _html(client.get("/"))

    assert '<form class="language-switcher inline-form" method="post" action="/i18n/setlang/">' in (
        html
    )
    assert re.findall(r'<option value="(\w+)" lang=', html) == ["en", "fr", "de"]


def test_language_switcher_changes_the_page_language(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    assert response.status_code == 302
    assert '<html lang="fr">' in _html(client.get("/"))


def test_base_layout_offers_login_to_anonymous_visitors(client):
    html = _html(client.get("/"))

    assert f'href="{resolve_url(settings.LOGIN_URL)}?next=/"' in html
    assert 'href="/accounts/signup/"' in html
    assert "Signed in as" not in html
    assert 'href="/admin/"' not in html


def test_base_layout_shows_signed_in_person_and_logout_form(client):
    client.force_login(UserFactory(full_name="Ana Lopez"))

    html = _html(client.get("/"))

    assert "Signed in as <strong>Ana</strong>" in html
    assert 'method="post" action="/accounts/logout/"' in html
    assert f'href="{resolve_url(settings.LOGIN_URL)}' not in html
    assert 'href="/admin/"' not in html


def test_base_layout_links_admin_for_staff(client):
    client.force_login(StaffFactory())

    assert 'href="/admin/"' in _html(client.get("/"))


# --- Organisation page --------------------------------------------------------------------


def _url(organisation):
    return f"/organisations/{organisation.pk}/"


def test_organisation_page_shows_current_label_badge(client):
    organisation = OrganisationFactory()
    LabelFactory(organisation=organisation, level=LabelLevel.BRONZE)
    LabelFactory(organisation=organisation, level=LabelLevel.GOLD)

    response = client.get(_url(organisation))

    assert response.status_code == 200
    assert response.context["current_label"].level == LabelLevel.GOLD
    assert '<span class="badge badge--gold">Gold label</span>' in _html(response)
    assert "badge--expired" not in _html(response)


def test_organisation_page_shows_an_expired_label_with_its_date(client):
    organisation = OrganisationFactory()
    label = _expired_label(organisation, LabelLevel.SILVER)

    response = client.get(_url(organisation))

    expected = f"Silver label expired on {date_format(label.valid_until, 'DATE_FORMAT')}"
    assert response.context["current_label"] is None
    assert f'<span class="badge badge--expired">{expected}</span>' in _html(response)


def test_organisation_page_shows_sectors_and_cross_sectoral_linkage(client):
    software, machinery, logistics = (
        SectoralIndustryFactory(name="Software"),
        SectoralIndustryFactory(name="Machinery"),
        SectoralIndustryFactory(name="Logistics"),
    )
    mobility = EmergingIndustryFactory(name="Mobility Technologies")
    mobility.sectoral_industries.set([software, machinery, SectoralIndustryFactory()])
    creative = EmergingIndustryFactory(name="Creative Industries")
    organisation = OrganisationFactory(
        sectoral_industries=[software, machinery, logistics],
        emerging_industries=[mobility, creative],
    )

    response = client.get(_url(organisation))

    html = _html(response)
    assert response.context["linkages"] == [(creative, []), (mobility, [machinery, software])]
    assert re.findall(r'<li class="tag">([^<]+)</li>', html)[:3] == [
        "Logistics",
        "Machinery",
        "Software",
    ]
    assert re.search(r"its sectors that meet here:\s+Machinery, Software\s+</li>", html)


def test_organisation_page_shows_members_by_type(client):
    organisation = OrganisationFactory(
        members_smes=40, members_large=5, members_research=12, members_public=3, members_civil=0
    )

    response = client.get(_url(organisation))

    assert response.context["member_rows"] == [
        {"key": MemberType.SMES, "label": "SMEs", "value": 40},
        {"key": MemberType.LARGE, "label": "Large companies", "value": 5},
        {"key": MemberType.RESEARCH, "label": "Research and education", "value": 12},
        {"key": MemberType.PUBLIC, "label": "Public bodies", "value": 3},
        {"key": MemberType.CIVIL, "label": "Civil society", "value": 0},
    ]
    assert re.findall(
        r'<tr><th scope="row">([^<]+)</th><td class="numeric">(\d+)</td></tr>', _html(response)
    ) == [
        ("SMEs", "40"),
        ("Large companies", "5"),
        ("Research and education", "12"),
        ("Public bodies", "3"),
        ("Civil society", "0"),
    ]
    assert "60 members" in _html(response)


def test_organisation_page_hides_contact_email_from_anonymous_visitors(client):
    organisation = OrganisationFactory(contact_email="office@cluster.example.eu")

    html = _html(client.get(_url(organisation)))

    assert "office@cluster.example.eu" not in html
    assert "Log in to see the contact e-mail" in html


def test_organisation_page_shows_contact_email_when_signed_in(client, user):
    organisation = OrganisationFactory(contact_email="office@cluster.example.eu")
    client.force_login(user)

    html = _html(client.get(_url(organisation)))

    assert '<a href="mailto:office@cluster.example.eu">office@cluster.example.eu</a>' in html
    assert "Log in to see the contact e-mail" not in html


@pytest.fixture
def foreign_draft():
    owner = UserFactory()
    organisation = OrganisationFactory(validation_state=ValidationState.DRAFT, owner=owner)
    return organisation, owner


def test_draft_organisation_is_404_for_anonymous_visitors(client, foreign_draft):
    organisation, _owner = foreign_draft

    assert client.get(_url(organisation)).status_code == 404


def test_draft_organisation_is_404_for_another_manager(client, foreign_draft):
    organisation, _owner = foreign_draft
    other = UserFactory()
    OrganisationFactory(owner=other)
    client.force_login(other)

    assert client.get(_url(organisation)).status_code == 404


def test_draft_organisation_is_shown_to_its_member(client, foreign_draft):
    organisation, owner = foreign_draft
    editor = MembershipFactory(organisation=organisation).user

    for person in (owner, editor):
        client.force_login(person)
        response = client.get(_url(organisation))
        assert response.status_code == 200
        assert response.context["organisation"] == organisation
        assert '<span class="badge badge--state">Draft</span>' in _html(response)


def test_draft_organisation_is_shown_to_staff(client, foreign_draft, staff):
    organisation, _owner = foreign_draft
    client.force_login(staff)

    response = client.get(_url(organisation))

    assert response.status_code == 200
    assert response.context["organisation"] == organisation


def test_unknown_organisation_is_404(client):
    assert client.get("/organisations/999999/").status_code == 404


def _full_profile(size):
    organisation = OrganisationFactory(
        sectoral_industries=SectoralIndustryFactory.create_batch(size),
        emerging_industries=EmergingIndustryFactory.create_batch(size),
        ecosystems=EcosystemFactory.create_batch(size),
        owner=UserFactory(),
    )
    for emerging in organisation.emerging_industries.all():
        emerging.sectoral_industries.set(organisation.sectoral_industries.all())
    organisation.value_chain_positions.set(ValueChainPositionFactory.create_batch(size))
    organisation.s3_priorities.set(S3PriorityFactory.create_batch(size))
    organisation.policy_objectives.set(PolicyObjectiveFactory.create_batch(size))
    organisation.seeking_sectors.set(SectoralIndustryFactory.create_batch(size))
    organisation.seeking_emerging.set(EmergingIndustryFactory.create_batch(size))
    organisation.seeking_ecosystems.set(EcosystemFactory.create_batch(size))
    organisation.seeking_value_chain.set(ValueChainPositionFactory.create_batch(size))
    organisation.target_countries.set(
        CountryFactory(code=code) for code in ("SE", "AT", "CZ")[:size]
    )
    for level in (LabelLevel.BRONZE, LabelLevel.SILVER, LabelLevel.GOLD)[:size]:
        LabelFactory(organisation=organisation, level=level)
    MembershipFactory.create_batch(size - 1, organisation=organisation)
    return organisation


# One query for the organisation, one per relation it shows, one for the people behind its
# memberships, one for the sectors of its emerging industries, one for S3 policy objectives,
# one for the results of its matchmaking meetings (the events app's section), and one each for
# its declared objectives and the four kinds of partner it seeks.
PROFILE_QUERIES = 18


def test_organisation_page_query_count_does_not_grow_with_the_profile(
    client, django_assert_num_queries
):
    small, large = _full_profile(1), _full_profile(3)

    with django_assert_num_queries(PROFILE_QUERIES):
        small_response = client.get(_url(small))
    with django_assert_num_queries(PROFILE_QUERIES):
        large_response = client.get(_url(large))

    assert small_response.status_code == 200
    assert large_response.status_code == 200
    assert len(large_response.context["organisation"].sectoral_industries.all()) == 3
    assert len(large_response.context["organisation"].labels.all()) == 3


@pytest.mark.django_db
def test_home_page_main_button_opens_the_directory_and_the_api_is_in_the_footer(client):
    html = " ".join(client.get("/").content.decode().split())
    header, footer = html.split('<footer class="site-footer">')

    assert '<a class="button" href="/organisations/">Browse the organisation directory</a>' in html
    assert "/api/" not in header
    assert '<a href="/api/docs/">API documentation</a>' in footer


@pytest.mark.django_db
def test_signing_in_lands_on_the_dashboard_with_links_to_the_work(client, user):
    user.set_password("a-long-test-password")
    user.save()

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "a-long-test-password"}
    )
    dashboard = " ".join(client.get(response["Location"]).content.decode().split())

    assert (response.status_code, response["Location"]) == (302, "/dashboard/")
    assert '<a href="/calls/#mine-title">My expressions of interest</a>' in dashboard
    assert '<a href="/events/mine/">My events and upcoming meetings</a>' in dashboard


@pytest.mark.django_db
def test_short_and_long_dates_are_written_the_same_way_in_english():
    moment = dt.datetime(2026, 12, 4, 9, 5)

    with translation.override("en"):
        short = date_format(moment, "SHORT_DATE_FORMAT")
        long = date_format(moment, "DATE_FORMAT")
        short_time = date_format(moment, "SHORT_DATETIME_FORMAT")

    assert (short, long, short_time) == ("4 Dec 2026", "4 December 2026", "4 Dec 2026, 09:05")
