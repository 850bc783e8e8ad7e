import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaking.enums import FeedbackVerdict, RunState
from matchmaking.models import RecommendationFeedback, RecommendationRun, WeightProfile
from matchmaking.services import give_feedback, run_recommendations
from partnerships.enums import MembershipRole
from tests.factories import (
    CountryFactory,
    EmergingIndustryFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    germany = RegionFactory(code="DE11", country=CountryFactory(code="DE", name="Germany"))
    france = RegionFactory(code="FR10", country=CountryFactory(code="FR", name="France"))
    mobility = EmergingIndustryFactory(slug="mobility", name="Mobility Technologies")
    cars = SectoralIndustryFactory(slug="automotive", name="Automotive")
    chips = SectoralIndustryFactory(slug="it", name="Information technology")
    mobility.sectoral_industries.set([cars, chips])
    home = OrganisationFactory(
        name="Home Cluster",
        region=france,
        sectoral_industries=[cars],
        emerging_industries=[mobility],
    )
    home.target_countries.set(["DE"])
    partner = OrganisationFactory(
        name="Chip Valley",
        region=germany,
        sectoral_industries=[chips],
        emerging_industries=[mobility],
    )
    member = UserFactory()
    MembershipFactory(organisation=home, user=member, role=MembershipRole.EDITOR)
    profile = WeightProfile.objects.create(
        slug="test", name="Test", cross_sector=0.5, international=0.5
    )
    run_recommendations(profile, k=5)
    return {
        "home": home,
        "partner": partner,
        "member": member,
        "mobility": mobility,
        "chips": chips,
    }


def fragment_url(organisation):
    return reverse("matchmaking:recommended-partners", args=[organisation.pk])


def test_member_sees_partner_score_reasons_and_contact_link(client, world):
    client.force_login(world["member"])

    response = client.get(fragment_url(world["home"]), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == (
        "matchmaking/includes/_recommended_partners.html"
    )
    rows = response.context["rows"]
    assert [row["recommendation"].partner for row in rows] == [world["partner"]]
    # Relevance 1 (the bridge both declare), raised by half for a partner in a target country.
    assert rows[0]["recommendation"].score == 1.5
    assert rows[0]["band"] == "strong match"
    assert rows[0]["reasons"] == (
        "both in Mobility Technologies from different sectors (Automotive and Information "
        "technology); partner in a target country (Germany)"
    )
    html = response.content.decode()
    assert "Both in Mobility Technologies" in html
    assert '<span class="badge">Strong match</span>' in html
    assert "score" not in html.lower().split("<main", 1)[-1]
    assert f'href="{world["partner"].get_absolute_url()}#contact"' in html


def test_page_without_htmx_renders_the_whole_page(client, world):
    client.force_login(world["member"])

    response = client.get(fragment_url(world["home"]))

    assert response.status_code == 200
    assert response.templates[0].name == "matchmaking/recommendation_list.html"
    assert "Chip Valley" in response.content.decode()


def test_outsiders_get_404_and_nothing_leaks(client, api_client, world):
    outsider = UserFactory()
    client.force_login(outsider)
    api_client.force_authenticate(outsider)
    feedback_url = reverse("matchmaking:recommendation-feedback", args=[world["home"].pk])

    page = client.get(fragment_url(world["home"]), headers={"HX-Request": "true"})
    posted = client.post(feedback_url, {"partner": world["partner"].pk, "verdict": "useful"})
    api = api_client.get(f"/api/v1/organisations/{world['home'].pk}/recommendations/")

    assert (page.status_code, posted.status_code, api.status_code) == (404, 404, 404)
    assert "Chip Valley" not in page.content.decode() + api.content.decode()
    assert RecommendationFeedback.objects.count() == 0


def test_slot_on_the_profile_page_only_for_members(client, world):
    slot = f'hx-get="{fragment_url(world["home"])}"'

    public = client.get(world["home"].get_absolute_url())
    client.force_login(world["member"])
    own = client.get(world["home"].get_absolute_url())

    assert (public.status_code, own.status_code) == (200, 200)
    assert slot not in public.content.decode()
    assert slot in own.content.decode()


def test_dashboard_loads_recommended_partners_of_each_organisation(client, world):
    client.force_login(world["member"])

    response = client.get(reverse("partnerships:dashboard"))

    assert f'hx-get="{fragment_url(world["home"])}"' in response.content.decode()


def test_feedback_is_stored_and_shown(client, world, staff):
    client.force_login(world["member"])
    url = reverse("matchmaking:recommendation-feedback", args=[world["home"].pk])

    response = client.post(
        url,
        {"partner": world["partner"].pk, "verdict": "contacted"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    feedback = RecommendationFeedback.objects.get()
    assert (feedback.organisation, feedback.partner, feedback.verdict, feedback.by) == (
        world["home"],
        world["partner"],
        FeedbackVerdict.CONTACTED,
        world["member"],
    )
    assert feedback.score == 1.5
    assert "Your feedback: Contacted" in response.content.decode()
    client.force_login(staff)
    runs_page = client.get(reverse("matchmaking:run-list"))
    assert list(runs_page.context["feedback"]) == [feedback]


def test_feedback_on_a_partner_not_recommended_is_refused(client, world):
    stranger = OrganisationFactory(name="Stranger")
    client.force_login(world["member"])
    url = reverse("matchmaking:recommendation-feedback", args=[world["home"].pk])

    response = client.post(url, {"partner": stranger.pk, "verdict": "useful"}, follow=True)
    bad_verdict = client.post(
        url, {"partner": world["partner"].pk, "verdict": "great"}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "This partner is not among your recommended partners."
    ]
    assert [str(m) for m in bad_verdict.context["messages"]] == [
        "Choose useful, not relevant or contacted."
    ]
    assert RecommendationFeedback.objects.count() == 0


def test_give_feedback_twice_keeps_one_row(world):
    for _ in range(2):
        give_feedback(world["home"], partner=world["partner"], verdict="useful", by=world["member"])

    assert RecommendationFeedback.objects.count() == 1


def test_api_lists_the_current_set_with_reasons(api_client, world):
    api_client.force_authenticate(world["member"])

    response = api_client.get(f"/api/v1/organisations/{world['home'].pk}/recommendations/")

    assert response.status_code == 200
    [item] = response.json()
    assert (item["rank"], item["partner"], item["partner_name"], item["score"]) == (
        1,
        world["partner"].pk,
        "Chip Valley",
        1.5,
    )
    assert item["band"] == "strong"
    assert [reason["code"] for reason in item["reasons"]] == ["cross_sector", "target_country"]
    assert item["reasons"][1]["text"] == "partner in a target country (Germany)"
    assert sum(item["contributions"].values()) == pytest.approx(1.5)


def test_runs_page_is_for_staff_only(client, world):
    client.force_login(world["member"])

    response = client.get(reverse("matchmaking:run-list"))

    assert response.status_code == 403


def test_staff_button_starts_a_full_run_and_progress_shows(
    client, staff, world, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    default = WeightProfile.objects.get(slug="default")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matchmaking:run-start"), {"profile": default.pk})

    assert response.status_code == 302
    run = RecommendationRun.objects.filter(profile=default).get()
    assert run.state == RunState.DONE
    progress = client.get(reverse("matchmaking:run-progress"))
    shown = {r.pk: (r.chunks_done, r.chunks_total) for r in progress.context["runs"]}
    assert shown[run.pk] == (1, 1)
    assert 'value="1"' in progress.content.decode()
    assert "hx-trigger" not in progress.content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return len(queries), len(response.context["rows"])


def test_fragment_query_count_does_not_grow_with_the_list(client, world):
    client.force_login(world["member"])
    one = count_queries(client, fragment_url(world["home"]))
    for n in range(2):
        OrganisationFactory(
            name=f"More {n}",
            region=world["partner"].region,
            sectoral_industries=[world["chips"]],
            emerging_industries=[world["mobility"]],
        )
    run_recommendations(WeightProfile.objects.get(slug="test"), k=5)

    three = count_queries(client, fragment_url(world["home"]))

    assert (one[1], three[1]) == (1, 3)
    assert three[0] == one[0]
