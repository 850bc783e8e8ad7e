import pytest
from django.urls import reverse

from events.enums import MeetingState, Preference, RegistrationState, WhoMayMeet
from events.matching import suggestions_for
from events.models import MeetingPreference
from matchmaking.explain import strongest
from matchmaking.models import WEIGHT_FIELDS, Recommendation, WeightProfile
from matchmaking.queries import explained_recommendations, vocabulary_names
from matchmaking.sentences import sentence
from matchmaking.services import run_recommendations
from partnerships.models import Organisation
from tests.factories import (
    CooperationItemFactory,
    CountryFactory,
    EmergingIndustryFactory,
    EventFactory,
    MeetingFactory,
    OrganisationFactory,
    RegionFactory,
    RegistrationFactory,
    SectoralIndustryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BRIDGE = (
    "both in Mobility Technologies from different sectors (Automotive and Information technology)"
)


@pytest.fixture
def world():
    germany = RegionFactory(code="DE11", country=CountryFactory(code="DE", name="Germany"))
    france = RegionFactory(code="FR10", country=CountryFactory(code="FR", name="France"))
    italy = RegionFactory(code="ITC1", country=CountryFactory(code="IT", name="Italy"))
    mobility = EmergingIndustryFactory(slug="mobility", name="Mobility Technologies")
    cars = SectoralIndustryFactory(slug="automotive", name="Automotive")
    chips = SectoralIndustryFactory(slug="it", name="Information technology")
    mobility.sectoral_industries.set([cars, chips])
    # Every organisation has the same description: the text makes them all related, the
    # bridge both declare tells the cross-sectoral pair apart.
    weights = dict.fromkeys(WEIGHT_FIELDS, 0.0) | {
        "cross_sector": 0.5,
        "text": 0.5,
        "international": 0.5,
    }
    WeightProfile.objects.update_or_create(slug="default", defaults={"name": "Default", **weights})
    home = OrganisationFactory(
        name="Home Cluster",
        region=france,
        sectoral_industries=[cars],
        emerging_industries=[mobility],
    )
    home.target_countries.set(["DE"])
    chip_valley = OrganisationFactory(
        name="Chip Valley",
        region=germany,
        sectoral_industries=[chips],
        emerging_industries=[mobility],
    )
    car_alliance = OrganisationFactory(
        name="Car Alliance",
        region=italy,
        sectoral_industries=[cars],
        emerging_industries=[mobility],
    )
    event = EventFactory()
    people = {
        "alice": RegistrationFactory(event=event, organisation=home, user__full_name="Alice"),
        "bob": RegistrationFactory(event=event, organisation=chip_valley, user__full_name="Bob"),
        "carol": RegistrationFactory(
            event=event, organisation=car_alliance, user__full_name="Carol"
        ),
        # A colleague of Alice, and a participant not approved yet: never suggested.
        "dave": RegistrationFactory(event=event, organisation=home, user__full_name="Dave"),
        "erin": RegistrationFactory(
            event=event,
            organisation=OrganisationFactory(
                region=germany, sectoral_industries=[chips], emerging_industries=[mobility]
            ),
            state=RegistrationState.PENDING,
        ),
    }
    return {
        "event": event,
        "home": home,
        "chip_valley": chip_valley,
        "car_alliance": car_alliance,
        **people,
    }


def _names(suggestions):
    return [s.registration.user.full_name for s in suggestions]


def _profile_page_view(organisation):
    """partner id -> (score, reasons) as the organisation's own recommendations show them."""
    names = vocabulary_names()
    return {
        rec.partner_id: (
            round(rec.score, 9),
            [sentence(reason, names) for reason in strongest(rec.reasons)],
        )
        for rec in explained_recommendations(organisation)
    }


def _seen(suggestions):
    return {s.registration.organisation_id: (round(s.score, 9), s.reasons) for s in suggestions}


def test_suggestions_score_pairs_as_a_full_run_does_and_rank_them(world):
    run_recommendations(WeightProfile.objects.get(slug="default"), k=5)
    reference = _profile_page_view(world["home"])
    # Every profile changed since the run: each pair is scored on the fly.
    Organisation.objects.update(needs_rescoring=True)
    world["alice"].organisation.refresh_from_db()

    suggestions = suggestions_for(world["alice"])

    assert _names(suggestions) == ["Bob", "Carol"]
    assert suggestions[0].score > suggestions[1].score
    assert _seen(suggestions) == {
        pk: reference[pk] for pk in (world["chip_valley"].pk, world["car_alliance"].pk)
    }
    assert BRIDGE in suggestions[0].reasons


def test_suggestions_use_the_stored_recommendation_where_there_is_one(world):
    run_recommendations(WeightProfile.objects.get(slug="default"), k=5)
    # The stored contributions are what the profile page shows; the event page agrees.
    stored = Recommendation.objects.filter(organisation=world["home"], partner=world["chip_valley"])
    stored.update(international=0.0125)
    expected = sum(stored.get().contributions.values())
    world["alice"].organisation.refresh_from_db()

    suggestions = suggestions_for(world["alice"])

    assert [s.registration.user.full_name for s in suggestions][0] == "Bob"
    assert suggestions[0].score == expected
    assert BRIDGE in suggestions[0].reasons


def test_suggestions_rescore_a_partner_whose_profile_changed_since_the_run(world):
    run_recommendations(WeightProfile.objects.get(slug="default"), k=5)
    world["chip_valley"].sectoral_industries.set([])
    Organisation.objects.filter(pk=world["chip_valley"].pk).update(needs_rescoring=True)
    world["alice"].organisation.refresh_from_db()

    suggestions = suggestions_for(world["alice"])
    run_recommendations(WeightProfile.objects.get(slug="default"), k=5)

    bob = suggestions[_names(suggestions).index("Bob")]
    assert (round(bob.score, 9), bob.reasons) == _profile_page_view(world["home"])[
        world["chip_valley"].pk
    ]
    assert BRIDGE not in bob.reasons


def test_suggestions_leave_out_people_marked_no_thanks(world):
    MeetingPreference.objects.create(
        registration=world["alice"], target=world["bob"], level=Preference.NO_THANKS
    )

    assert _names(suggestions_for(world["alice"])) == ["Carol"]


def test_suggestions_follow_the_event_rule_on_countries(world):
    event = world["event"]
    event.who_may_meet = WhoMayMeet.OTHER_COUNTRIES
    event.save()
    RegistrationFactory(
        event=event,
        organisation=OrganisationFactory(region=world["home"].region),
        user__full_name="Frank from France",
    )

    assert _names(suggestions_for(world["alice"])) == ["Bob", "Carol"]


def test_suggestions_show_an_open_meeting_and_complementary_offers(world):
    meeting = MeetingFactory(
        event=world["event"],
        requester=world["alice"],
        recipient=world["bob"],
        state=MeetingState.REQUESTED,
    )
    CooperationItemFactory(registration=world["alice"], direction="request", kind="technology")
    offer = CooperationItemFactory(
        registration=world["carol"], direction="offer", kind="technology", title="Battery packs"
    )
    CooperationItemFactory(registration=world["carol"], direction="offer", kind="business")

    bob, carol = suggestions_for(world["alice"])

    assert (bob.open_meeting, bob.complements) == (meeting, [])
    assert (carol.open_meeting, carol.complements) == (None, [offer])


def test_suggestions_page_offers_a_meeting_request_button(client, world):
    MeetingFactory(
        event=world["event"],
        requester=world["bob"],
        recipient=world["alice"],
        state=MeetingState.ACCEPTED,
    )
    client.force_login(world["alice"].user)

    response = client.get(reverse("events:suggestions", args=[world["event"].pk]))

    html = response.content.decode()
    event = world["event"]
    carol_url = reverse("events:meeting-request", args=[event.pk, world["carol"].pk])
    bob_url = reverse("events:meeting-request", args=[event.pk, world["bob"].pk])
    assert response.templates[0].name == "events/suggestions.html"
    assert f'href="{carol_url}"' in html
    assert f'href="{bob_url}"' not in html
    assert "Your meeting with them: accepted" in html
    carol = response.context["suggestions"][1]
    reasons = "; ".join(carol.reasons)
    assert f'<p class="recommendation__reasons">{reasons[0].upper()}{reasons[1:]}</p>' in html


def test_suggestions_fragment_for_htmx(client, world):
    client.force_login(world["alice"].user)

    response = client.get(
        reverse("events:suggestions", args=[world["event"].pk]), headers={"HX-Request": "true"}
    )

    assert response.templates[0].name == "events/includes/_suggestions.html"
    assert _names(response.context["suggestions"]) == ["Bob", "Carol"]


def test_event_page_loads_suggestions_only_for_approved_participants(client, world):
    url = reverse("events:event-detail", args=[world["event"].pk])
    suggestions_url = reverse("events:suggestions", args=[world["event"].pk])

    client.force_login(world["alice"].user)
    approved = client.get(url).content.decode()
    client.force_login(world["erin"].user)
    pending = client.get(url).content.decode()

    assert f'hx-get="{suggestions_url}"' in approved
    assert suggestions_url not in pending


@pytest.mark.parametrize("who", ["erin", "outsider"])
def test_suggestions_are_refused_to_anyone_but_approved_participants(client, world, who):
    user = world["erin"].user if who == "erin" else UserFactory()
    client.force_login(user)

    response = client.get(reverse("events:suggestions", args=[world["event"].pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_suggestions_query_count_does_not_grow(client, world, django_assert_max_num_queries, count):
    for _ in range(count):
        registration = RegistrationFactory(
            event=world["event"],
            organisation=OrganisationFactory(region=world["bob"].organisation.region),
        )
        CooperationItemFactory(registration=registration)
    client.force_login(world["alice"].user)

    # The profiles' declared objectives and the four seeking vocabularies are one prefetch each.
    with django_assert_max_num_queries(44):
        response = client.get(reverse("events:suggestions", args=[world["event"].pk]))

    assert len(response.context["suggestions"]) == 2 + count
