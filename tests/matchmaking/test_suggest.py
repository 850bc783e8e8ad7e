import io
import json
import threading

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse

from matchmaking import feature_loader
from matchmaking.enums import (
    ThemeKind,
    WeightProfileName,
    profile_name_for_call,
)
from matchmaking.feature_loader import REFRESH_THREAD_NAME, suggestion_pool
from matchmaking.features import OrganisationProfile, Taxonomy
from matchmaking.models import WeightProfile
from matchmaking.queries import weights_for_call
from matchmaking.scoring import exact_contributions
from matchmaking.suggest import (
    EMERGING,
    EXTRA_PARTNERS,
    OBJECTIVE,
    SECTOR,
    Theme,
    build_pool,
    choose_partners,
    suggest,
)
from partnerships.enums import CallType, MembershipRole, PartnerState, ValidationState
from partnerships.facet_loader import bump_directory_version
from partnerships.models import ExpressionPartner, Organisation
from tests.factories import (
    CallFactory,
    CountryFactory,
    EmergingIndustryFactory,
    ExpressionFactory,
    ExpressionPartnerFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    StaffFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _refresh_in_request(monkeypatch):
    monkeypatch.setattr(feature_loader, "REFRESH_IN_BACKGROUND", False)


def rows_of(picks):
    return [pick.row for pick in picks]


# The pure choice ------------------------------------------------------------------------------


def test_choose_partners_fills_missing_countries_before_better_scores():
    # Row 0 is the lead (country 0); row 1 scores best but is from the lead's country.
    scores = np.array([0.0, 0.9, 0.5, 0.4, 0.8])
    country = np.array([0, 0, 1, 2, 1])

    picks = choose_partners(
        scores,
        country,
        np.zeros((5, 0), dtype=bool),
        eligible=np.ones(5, dtype=bool),
        consortium=[0],
        min_partners=2,
        min_countries=3,
    )

    assert rows_of(picks) == [4, 3]
    assert [pick.countries for pick in picks] == [(1,), (2,)]
    assert [pick.gain for pick in picks] == pytest.approx([1.8, 1.4])


def test_choose_partners_adds_a_partner_for_an_uncovered_theme():
    # Themes: the lead holds theme 0; row 2 alone brings theme 1.
    scores = np.array([0.0, 0.9, 0.3, 0.2])
    country = np.array([0, 1, 1, 1])
    themes = np.array([[1, 0], [0, 0], [0, 1], [1, 0]], dtype=bool)

    picks = choose_partners(
        scores,
        country,
        themes,
        eligible=np.ones(4, dtype=bool),
        consortium=[0],
        min_partners=1,
        min_countries=2,
    )

    assert rows_of(picks) == [1, 2]
    assert [(pick.countries, pick.themes) for pick in picks] == [((1,), ()), ((), (1,))]


def test_choose_partners_takes_at_least_min_partners_and_no_more_when_all_is_covered():
    scores = np.array([0.0, 0.1, 0.7, 0.3, 0.6, 0.2])
    country = np.array([0, 1, 2, 3, 4, 5])

    picks = choose_partners(
        scores,
        country,
        np.zeros((6, 0), dtype=bool),
        eligible=np.ones(6, dtype=bool),
        consortium=[0],
        min_partners=3,
        min_countries=1,
    )

    assert rows_of(picks) == [2, 4, 3]
    assert [pick.countries for pick in picks] == [(), (), ()]


def test_choose_partners_counts_the_partners_already_in():
    scores = np.array([0.0, 0.5, 0.7, 0.3])
    country = np.array([0, 1, 1, 1])

    picks = choose_partners(
        scores,
        country,
        np.zeros((4, 0), dtype=bool),
        eligible=np.ones(4, dtype=bool),
        consortium=[0, 1],
        min_partners=2,
        min_countries=2,
    )

    assert rows_of(picks) == [2]


def test_choose_partners_excludes_the_ineligible_the_lead_and_the_consortium():
    scores = np.array([0.0, 0.9, 0.8, 0.7, 0.1, 0.05])
    country = np.array([0, 1, 2, 3, 4, 5])
    eligible = np.array([True, True, False, True, True, True])

    picks = choose_partners(
        scores,
        country,
        np.zeros((6, 0), dtype=bool),
        eligible=eligible,
        consortium=[0, 1, 3],  # 1 and 3 are already invited
        min_partners=4,
        min_countries=1,
    )

    assert rows_of(picks) == [4, 5]


def test_choose_partners_is_bounded_beyond_what_the_call_needs():
    # Every candidate brings its own theme: coverage alone would take them all.
    n = 10
    scores = np.linspace(0.9, 0.0, n)
    themes = np.eye(n, dtype=bool)

    picks = choose_partners(
        scores,
        np.zeros(n, dtype=np.int64),
        themes,
        eligible=np.ones(n, dtype=bool),
        consortium=[0],
        min_partners=2,
        min_countries=1,
    )

    assert rows_of(picks) == [1, 2, 3, 4, 5]
    assert len(picks) == 2 + EXTRA_PARTNERS


def test_choose_partners_breaks_ties_by_score_then_lower_row():
    # Rows 1, 2 and 4 gain 1.4 from a new country; row 3 gains 1.4 from its score and a theme.
    scores = np.array([0.0, 0.4, 0.4, 0.9, 0.4])
    country = np.array([0, 1, 1, 0, 1])
    themes = np.array([[0], [0], [0], [1], [0]], dtype=bool)
    arguments = {"eligible": np.ones(5, dtype=bool), "consortium": [0], "min_countries": 2}

    first = choose_partners(scores, country, themes, min_partners=2, **arguments)
    again = choose_partners(scores, country, themes, min_partners=2, **arguments)
    without_row_3 = choose_partners(
        scores,
        country,
        themes[:, :0],
        eligible=np.array([1, 1, 1, 0, 1], dtype=bool),
        consortium=[0],
        min_countries=2,
        min_partners=1,
    )

    assert rows_of(first) == rows_of(again) == [3, 1]
    assert rows_of(without_row_3) == [1]


def test_choose_partners_returns_nothing_when_nobody_may_join():
    picks = choose_partners(
        np.array([0.0, 0.5]),
        np.array([0, 1]),
        np.zeros((2, 0), dtype=bool),
        eligible=np.array([True, False]),
        consortium=[0],
        min_partners=1,
        min_countries=2,
    )

    assert picks == []


# The core over encoded profiles ---------------------------------------------------------------


TAXONOMY = Taxonomy(
    sectors=("automotive", "it"),
    emerging=("blue", "mobility"),
    ecosystems=(),
    value_chain=(),
    objectives=("digital",),
    countries=("DE", "FR", "PL"),
    regions=("DE11", "FR10", "PL21"),
    sector_emerging={"automotive": frozenset({"mobility"}), "it": frozenset({"mobility"})},
)


def profile(pk, country, **fields):
    return OrganisationProfile(id=pk, country=country, region=f"{country}xx", **fields)


def test_suggest_scores_like_the_engine_and_says_what_each_partner_adds():
    profiles = [
        profile(
            10,
            "FR",
            sectors=frozenset({"automotive"}),
            emerging=frozenset({"mobility"}),
            target_countries=frozenset({"DE"}),
        ),
        profile(11, "DE", sectors=frozenset({"it"}), emerging=frozenset({"mobility"})),
        profile(12, "PL", emerging=frozenset({"blue", "mobility"})),
        profile(13, "FR", sectors=frozenset({"it"})),
    ]
    pool = build_pool(profiles, TAXONOMY, types=["cluster"] * 4, verified=[True, True, True, True])
    # Only what the two do together: 11 is linked across sectors in mobility, 12 shares the
    # focus on mobility, 13 shares nothing and is never suggested.
    weights = {"cross_sector": 0.5, "shared_focus": 0.5}

    suggestions = suggest(
        pool,
        weights,
        lead=0,
        themes=[Theme(EMERGING, "blue"), Theme(SECTOR, "it")],
        min_partners=1,
        min_countries=3,
    )

    assert [s.id for s in suggestions] == [11, 12]
    assert [(s.countries, s.themes) for s in suggestions] == [
        (("DE",), (Theme(SECTOR, "it"),)),
        (("PL",), (Theme(EMERGING, "blue"),)),
    ]
    exact = exact_contributions(pool.encoded, weights, np.array([0, 0]), np.array([1, 2]))
    for k, suggestion in enumerate(suggestions):
        assert suggestion.contributions == pytest.approx({n: v[k] for n, v in exact.items()})
        assert suggestion.score == pytest.approx(sum(suggestion.contributions.values()))
    assert suggestions[0].score == pytest.approx(1.0)


def test_pool_eligibility_by_type_label_and_verification():
    profiles = [
        profile(1, "FR"),
        profile(2, "DE", label_rank=2),
        profile(3, "DE"),
        profile(4, "PL", label_rank=1),
    ]
    pool = build_pool(
        profiles,
        TAXONOMY,
        types=["cluster", "cluster", "science_park", "cluster"],
        verified=[True, True, True, False],
    )

    assert pool.eligible().tolist() == [True, True, True, False]
    assert pool.eligible(types=["cluster"]).tolist() == [True, True, False, False]
    assert pool.eligible(label_required=True).tolist() == [False, True, False, False]
    assert pool.rows_of([4, 99, 2]).tolist() == [3, 1]


def test_theme_kinds_have_display_names():
    assert sorted(ThemeKind.values) == sorted([SECTOR, EMERGING, OBJECTIVE])


def test_call_types_map_to_weight_profiles():
    assert profile_name_for_call(CallType.ESCP_4I) == WeightProfileName.INTERNATIONALISATION
    assert profile_name_for_call(CallType.ESCP_S3) == WeightProfileName.SMART_SPECIALISATION
    assert profile_name_for_call(CallType.TWO_STAGE) == WeightProfileName.DEFAULT
    assert profile_name_for_call(CallType.OTHER) == WeightProfileName.DEFAULT


# The page -------------------------------------------------------------------------------------


@pytest.fixture
def consortium(db):
    france = RegionFactory(code="FR10", country=CountryFactory(code="FR", name="France"))
    germany = RegionFactory(code="DE11", country=CountryFactory(code="DE", name="Germany"))
    poland = RegionFactory(code="PL21", country=CountryFactory(code="PL", name="Poland"))
    italy = RegionFactory(code="ITC4", country=CountryFactory(code="IT", name="Italy"))
    portugal = RegionFactory(code="PT17", country=CountryFactory(code="PT", name="Portugal"))
    blue = EmergingIndustryFactory(slug="blue-economy", name="Blue economy")
    # Declared by the lead and the others: partners are only suggested for a theme they share.
    digital = EmergingIndustryFactory(slug="digital", name="Digital industries")
    call = CallFactory(type=CallType.ESCP_S3, min_partners=3, min_countries=4)
    call.emerging_industries.set([blue])
    lead = OrganisationFactory(name="Lyon Cluster", region=france, emerging_industries=[digital])
    expression = ExpressionFactory(call=call, lead=lead)
    invited = OrganisationFactory(name="Turin Cluster", region=italy)
    ExpressionPartnerFactory(expression=expression, organisation=invited)
    oder = OrganisationFactory(
        name="Oder Cluster", region=poland, emerging_industries=[blue, digital]
    )
    rhine = OrganisationFactory(name="Rhine Cluster", region=germany, emerging_industries=[digital])
    OrganisationFactory(name="Paris Twin", region=france, emerging_industries=[digital])
    OrganisationFactory(
        name="Warsaw Unverified",
        region=poland,
        emerging_industries=[blue],
        validation_state=ValidationState.DRAFT,
    )
    OrganisationFactory(
        name="Lisbon Park", region=portugal, emerging_industries=[blue], type="science_park"
    )
    manager = UserFactory()
    MembershipFactory(organisation=lead, user=manager, role=MembershipRole.OWNER)
    partner_manager = UserFactory()
    MembershipFactory(organisation=invited, user=partner_manager)
    return {
        "expression": expression,
        "manager": manager,
        "partner_manager": partner_manager,
        "oder": oder,
        "rhine": rhine,
        "portugal": portugal,
        "blue": blue,
        "digital": digital,
    }


def page_url(expression):
    return reverse("matchmaking:expression-suggestions", args=[expression.pk])


def reason_parts(reasons):
    return sorted(reasons.split("; "))


def expected_reasons(country):
    return sorted(
        [
            "the same focus on Digital industries",
            # Stop words and words every cluster uses ("cluster", "companies") are not quoted.
            "similar activities (research, institutes)",
            # Every organisation has 80 members, the median: none is "established".
            f"partner abroad ({country})",
        ]
    )


def engine_score(expression, partner, weights):
    """The pair's score as the matchmaking engine computes it, over this process's pool."""
    pool = suggestion_pool()
    lead_row, partner_row = pool.rows_of([expression.lead_id, partner.pk])
    contributions = exact_contributions(
        pool.encoded, weights, np.array([lead_row]), np.array([partner_row])
    )
    return float(sum(values[0] for values in contributions.values()))


def test_lead_manager_gets_partners_covering_countries_and_themes(client, consortium):
    client.force_login(consortium["manager"])

    response = client.get(page_url(consortium["expression"]))

    assert response.status_code == 200
    assert response.templates[0].name == "matchmaking/expression_suggestions.html"
    suggested = response.context["suggested"]
    assert [row["organisation"] for row in suggested.rows] == [
        consortium["oder"],
        consortium["rhine"],
    ]
    assert [row["adds"] for row in suggested.rows] == [
        ["adds country Poland", "covers emerging industry Blue economy"],
        ["adds country Germany"],
    ]
    assert [reason_parts(row["reasons"]) for row in suggested.rows] == [
        expected_reasons("Poland"),
        expected_reasons("Germany"),
    ]
    weights, _name = weights_for_call(consortium["expression"].call)
    assert weights == WeightProfile.objects.get(slug=WeightProfileName.SMART_SPECIALISATION).weights
    assert [row["score"] for row in suggested.rows] == pytest.approx(
        [
            engine_score(consortium["expression"], consortium["oder"], weights),
            engine_score(consortium["expression"], consortium["rhine"], weights),
        ]
    )
    assert suggested.profile == WeightProfileName.SMART_SPECIALISATION.label
    assert (suggested.partners_now, suggested.partners_after) == (1, 3)
    assert suggested.countries_now == ["France", "Italy"]
    assert suggested.countries_after == ["France", "Germany", "Italy", "Poland"]
    assert suggested.themes == [("Blue economy", "Emerging industry", False, True)]
    html = response.content.decode()
    invite = reverse("partnerships:expression-invite", args=[consortium["expression"].pk])
    assert html.count(f'action="{invite}"') == 2
    assert '<input type="hidden" name="name" value="Oder Cluster">' in html


def test_staff_weights_of_the_profile_are_used(client, consortium):
    # Only the text counts: every organisation has the same description, a cosine of 1.
    profile = WeightProfile.objects.get(slug=WeightProfileName.SMART_SPECIALISATION)
    for name in profile.weights:
        setattr(profile, name, 1.0 if name == "text" else 0.0)
    profile.save()
    client.force_login(consortium["manager"])

    response = client.get(page_url(consortium["expression"]))

    assert [row["score"] for row in response.context["suggested"].rows] == pytest.approx([1.0, 1.0])


def test_one_click_invites_the_suggested_partner(client, consortium):
    client.force_login(consortium["manager"])
    row = client.get(page_url(consortium["expression"])).context["suggested"].rows[0]

    response = client.post(
        reverse("partnerships:expression-invite", args=[consortium["expression"].pk]),
        {"name": row["invite_name"]},
    )

    assert response.status_code == 302
    assert ExpressionPartner.objects.get(organisation=consortium["oder"]).state == (
        PartnerState.INVITED
    )


def test_a_shared_name_is_invited_by_its_acronym(client, consortium):
    OrganisationFactory(name="Oder Cluster", region=consortium["portugal"], acronym="ODR2")
    consortium["oder"].acronym = "ODR"
    consortium["oder"].save(update_fields=["acronym"])
    client.force_login(consortium["manager"])
    row = client.get(page_url(consortium["expression"])).context["suggested"].rows[0]

    client.post(
        reverse("partnerships:expression-invite", args=[consortium["expression"].pk]),
        {"name": row["invite_name"]},
    )

    assert row["invite_name"] == "ODR"
    assert ExpressionPartner.objects.filter(organisation=consortium["oder"]).count() == 1


def test_already_invited_and_declined_partners_are_not_suggested_again(client, consortium):
    ExpressionPartnerFactory(
        expression=consortium["expression"],
        organisation=consortium["oder"],
        state=PartnerState.DECLINED,
    )
    client.force_login(consortium["manager"])

    suggested = client.get(page_url(consortium["expression"])).context["suggested"]

    names = [row["organisation"].name for row in suggested.rows]
    assert "Oder Cluster" not in names
    assert "Turin Cluster" not in names
    assert names[0] == "Rhine Cluster"


def test_htmx_gets_the_fragment(client, consortium):
    client.force_login(consortium["manager"])

    response = client.get(page_url(consortium["expression"]), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.templates[0].name == "matchmaking/includes/_partner_suggestions.html"
    assert "<html" not in response.content.decode()


def test_staff_see_the_suggestions_without_invite_buttons(client, consortium):
    client.force_login(StaffFactory())

    response = client.get(page_url(consortium["expression"]))

    assert response.status_code == 200
    assert len(response.context["suggested"].rows) == 2
    assert response.context["can_invite"] is False
    assert 'name="name"' not in response.content.decode()


def test_partner_manager_is_refused(client, consortium):
    client.force_login(consortium["partner_manager"])

    response = client.get(page_url(consortium["expression"]))

    assert response.status_code == 403


def test_another_manager_gets_404_and_nothing_leaks(client, consortium):
    other = UserFactory()
    MembershipFactory(organisation=OrganisationFactory(name="Elsewhere"), user=other)
    client.force_login(other)

    response = client.get(page_url(consortium["expression"]))

    assert response.status_code == 404
    assert "Oder Cluster" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, consortium):
    response = client.get(page_url(consortium["expression"]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_expression_page_links_suggestions_for_its_editors_only(client, consortium):
    expression = consortium["expression"]
    client.force_login(consortium["manager"])
    lead_html = client.get(expression.get_absolute_url()).content.decode()
    client.force_login(consortium["partner_manager"])
    partner_html = client.get(expression.get_absolute_url()).content.decode()

    assert f'href="{page_url(expression)}"' in lead_html
    assert page_url(expression) not in partner_html


def test_call_page_fragment_lists_the_managers_drafts(client, consortium):
    expression = consortium["expression"]
    url = reverse("matchmaking:call-suggestions", args=[expression.call_id])
    client.force_login(consortium["manager"])

    response = client.get(url, headers={"HX-Request": "true"})

    assert list(response.context["expressions"]) == [expression]
    assert f'href="{page_url(expression)}"' in response.content.decode()


def test_call_page_fragment_mentions_suggestions_to_other_managers(client, consortium):
    other = UserFactory()
    MembershipFactory(organisation=OrganisationFactory(name="Elsewhere"), user=other)
    client.force_login(other)

    response = client.get(
        reverse("matchmaking:call-suggestions", args=[consortium["expression"].call_id])
    )

    assert list(response.context["expressions"]) == []
    assert "its page suggests partners" in response.content.decode()
    assert page_url(consortium["expression"]) not in response.content.decode()


def test_call_page_loads_the_fragment_for_signed_in_people_only(client, consortium):
    call = consortium["expression"].call
    slot = reverse("matchmaking:call-suggestions", args=[call.pk])

    anonymous_html = client.get(call.get_absolute_url()).content.decode()
    client.force_login(consortium["manager"])
    manager_html = client.get(call.get_absolute_url()).content.decode()

    assert slot not in anonymous_html
    assert f'hx-get="{slot}"' in manager_html


def add_candidates(consortium, count):
    """`count` more eligible organisations, each bringing a country the call still needs."""
    codes = ["AT", "BE", "CZ"][:count]
    for code in codes:
        region = RegionFactory(code=f"{code}11", country=CountryFactory(code=code))
        OrganisationFactory(
            name=f"Candidate {code}", region=region, emerging_industries=[consortium["digital"]]
        )


@pytest.mark.parametrize("suggestions", [1, 3])
def test_page_queries_do_not_grow_with_the_suggestions(
    client, consortium, django_assert_num_queries, suggestions
):
    expression = consortium["expression"]
    call = expression.call
    # Only new countries are wanted: each candidate is one suggestion.
    call.emerging_industries.clear()
    call.min_countries = 2 + suggestions
    call.min_partners = 1
    call.eligible_types = ["business_network"]
    call.save()
    for organisation in (consortium["oder"], consortium["rhine"]):
        organisation.type = "science_park"
        organisation.save(update_fields=["type"])
    add_candidates(consortium, 3)
    Organisation.objects.filter(name__startswith="Candidate").update(type="business_network")
    bump_directory_version()
    client.force_login(consortium["manager"])
    client.get(page_url(expression))  # builds this process's pool

    # The profiles' declared objectives and the four kinds sought are five of them.
    with django_assert_num_queries(40):
        response = client.get(page_url(expression))

    assert len(response.context["suggested"].rows) == suggestions


def test_pool_is_rebuilt_for_an_organisation_it_does_not_hold(client, consortium):
    client.force_login(consortium["manager"])
    client.get(page_url(consortium["expression"]))
    late = OrganisationFactory(
        name="Late Cluster", region=RegionFactory(code="AT11", country=CountryFactory(code="AT"))
    )
    expression = ExpressionFactory(call=consortium["expression"].call, lead=late)
    MembershipFactory(organisation=late, user=consortium["manager"])

    response = client.get(page_url(expression))

    assert response.status_code == 200
    assert late.pk in suggestion_pool().encoded.ids.tolist()


def test_stale_pool_is_rebuilt_in_the_request_when_background_refresh_is_off(consortium):
    before = suggestion_pool()
    late = OrganisationFactory(name="Late Cluster")
    bump_directory_version()

    after = suggestion_pool()

    assert after is not before
    assert late.pk in after.encoded.ids.tolist()
    assert suggestion_pool() is after


def refresh_threads():
    return [t for t in threading.enumerate() if t.name == REFRESH_THREAD_NAME]


@pytest.mark.django_db(transaction=True)
def test_stale_pool_keeps_serving_while_a_thread_builds_the_next(monkeypatch):
    monkeypatch.setattr(feature_loader, "REFRESH_IN_BACKGROUND", True)
    OrganisationFactory(name="Early Cluster")
    before = suggestion_pool(rebuild=True)
    late = OrganisationFactory(name="Late Cluster")
    bump_directory_version()

    served = suggestion_pool()
    for thread in refresh_threads():
        thread.join(timeout=60)

    assert served is before
    assert late.pk not in served.encoded.ids.tolist()
    assert late.pk in suggestion_pool().encoded.ids.tolist()
    assert refresh_threads() == []


def test_bench_suggest_reports_its_timings():
    out = io.StringIO()

    call_command("bench_suggest", organisations=300, leads=3, min_partners=2, stdout=out)

    summary = json.loads(out.getvalue().splitlines()[-1])
    assert (summary["organisations"], summary["leads"]) == (300, 3)
    assert summary["partners_suggested_mean"] >= 2
    assert summary["suggest_max_s"] >= summary["suggest_median_s"] > 0
