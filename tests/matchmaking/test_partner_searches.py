import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaking.features import OrganisationProfile
from matchmaking.partner_searches import (
    Wants,
    interest_reasons,
    score_pairs,
    search_profile,
    searches_for,
)
from matchmaking.queries import taxonomy_from_db
from partnerships.enums import MembershipRole
from tests.factories import (
    CountryFactory,
    EmergingIndustryFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnerSearchFactory,
    PartnerSearchInterestFactory,
    RegionFactory,
    SectoralIndustryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WEIGHTS = {"cross_sector": 0.5, "shared_focus": 0.5, "seeking": 0.5, "international": 0.5}


@pytest.fixture
def world():
    germany = RegionFactory(code="DE11", country=CountryFactory(code="DE", name="Germany"))
    france = RegionFactory(code="FR10", country=CountryFactory(code="FR", name="France"))
    italy = RegionFactory(code="ITC1", country=CountryFactory(code="IT", name="Italy"))
    mobility = EmergingIndustryFactory(slug="mobility", name="Mobility Technologies")
    food = EmergingIndustryFactory(slug="food", name="Food innovation")
    cars = SectoralIndustryFactory(slug="automotive", name="Automotive")
    chips = SectoralIndustryFactory(slug="it", name="Information technology")
    farms = SectoralIndustryFactory(slug="agri", name="Agriculture")
    mobility.sectoral_industries.set([cars, chips])
    food.sectoral_industries.set([farms])
    author = OrganisationFactory(
        name="Car Cluster", region=germany, sectoral_industries=[cars], emerging_industries=[]
    )
    reader = OrganisationFactory(
        name="Chip Valley",
        region=france,
        sectoral_industries=[chips],
        emerging_industries=[mobility],
    )
    farmer = OrganisationFactory(
        name="Farm Network", region=italy, sectoral_industries=[farms], emerging_industries=[food]
    )
    person = UserFactory()
    MembershipFactory(organisation=reader, user=person, role=MembershipRole.OWNER)
    mobility_search = PartnerSearchFactory(
        author=author, title="Mobility partners", seeking_emerging=[mobility]
    )
    food_search = PartnerSearchFactory(
        author=OrganisationFactory(name="Food Hub", region=germany, sectoral_industries=[farms]),
        title="Food partners",
        seeking_emerging=[food],
    )
    return {
        "author": author,
        "reader": reader,
        "farmer": farmer,
        "person": person,
        "mobility_search": mobility_search,
        "food_search": food_search,
    }


def test_search_profile_adds_what_the_search_seeks_to_its_author():
    author = OrganisationProfile(
        id=7, country="DE", region="DE11", seeking_sectors=frozenset({"it"}), text="cars"
    )

    profile = search_profile(
        author,
        Wants(emerging=frozenset({"mobility"}), countries=frozenset({"FR"}), text="chips"),
        row_id=-3,
    )

    assert profile.id == -3
    assert profile.seeking_sectors == frozenset({"it"})
    assert profile.seeking_emerging == frozenset({"mobility"})
    assert profile.target_countries == frozenset({"FR"})
    assert profile.text == "chips cars"


def test_score_pairs_keeps_only_relevant_partners(world):
    taxonomy = taxonomy_from_db()
    source = search_profile(
        OrganisationProfile(
            id=1,
            country="DE",
            region="DE11",
            sectors=frozenset({"automotive"}),
            emerging=frozenset({"mobility"}),
        ),
        Wants(emerging=frozenset({"mobility"})),
        row_id=-1,
    )
    fits = OrganisationProfile(
        id=2,
        country="FR",
        region="FR10",
        sectors=frozenset({"it"}),
        emerging=frozenset({"mobility"}),
    )
    unrelated = OrganisationProfile(
        id=3, country="IT", region="ITC1", sectors=frozenset({"agri"}), emerging=frozenset({"food"})
    )

    pairs = score_pairs([source], [fits, unrelated], taxonomy, [WEIGHTS])

    assert [(pair.search, pair.partner) for pair in pairs] == [(0, 0)]
    assert pairs[0].contributions["seeking"] > 0


def test_searches_for_ranks_the_fitting_search_with_its_reasons(world):
    rows = searches_for(world["person"])

    assert [row["search"].title for row in rows] == ["Mobility partners"]
    assert rows[0]["organisation"] == world["reader"]
    assert "Mobility Technologies" in rows[0]["reasons"]


def test_searches_for_leaves_out_answered_and_own_searches(world):
    PartnerSearchInterestFactory(search=world["mobility_search"], organisation=world["reader"])
    PartnerSearchFactory(author=world["reader"], title="Our own search")

    assert searches_for(world["person"]) == []


def test_searches_for_someone_without_an_organisation_is_empty(world):
    assert searches_for(UserFactory()) == []


def test_interest_reasons_explain_each_relevant_answer(world):
    search = world["mobility_search"]
    PartnerSearchInterestFactory(search=search, organisation=world["reader"])
    PartnerSearchInterestFactory(search=search, organisation=world["farmer"])

    reasons = interest_reasons(search)

    assert list(reasons) == [world["reader"].pk]
    assert "Mobility Technologies" in reasons[world["reader"].pk]["reasons"]


@pytest.mark.parametrize("extra", [0, 2])
def test_for_you_partial_on_the_dashboard(client, world, extra):
    for n in range(extra):
        PartnerSearchFactory(
            author=OrganisationFactory(name=f"Other car cluster {n}"),
            title=f"More mobility partners {n}",
            seeking_emerging=list(world["mobility_search"].seeking_emerging.all()),
        )
    client.force_login(world["person"])

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/partner-searches/for-you/", HTTP_HX_REQUEST="true")

    assert [t.name for t in response.templates][0] == (
        "matchmaking/includes/_partner_searches_for_you.html"
    )
    assert len(response.context["rows"]) == 1 + extra
    assert "Food partners" not in response.content.decode()
    assert len(queries) == 53


def test_interest_reasons_page_is_for_the_author_only(client, world):
    search = world["mobility_search"]
    PartnerSearchInterestFactory(search=search, organisation=world["reader"])
    author_manager = MembershipFactory(organisation=world["author"]).user

    client.force_login(world["person"])
    refused = client.get(f"/partner-searches/{search.pk}/interest-reasons/")
    client.force_login(author_manager)
    shown = client.get(f"/partner-searches/{search.pk}/interest-reasons/", HTTP_HX_REQUEST="true")

    assert refused.status_code == 403
    assert shown.status_code == 200
    assert [row["interest"].organisation for row in shown.context["rows"]] == [world["reader"]]
    assert shown.context["rows"][0]["fit"] is not None
