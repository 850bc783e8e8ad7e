import datetime as dt
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from events.enums import MeetingOutcome, MeetingState
from matchmaking.enums import FeedbackVerdict, PairOutcome
from matchmaking.models import RecommendationFeedback, WeightFit, WeightProfile
from matchmaking.outcomes import Outcome, fold_outcomes, outcome_log
from matchmaking.queries import current_recommendations
from matchmaking.scoring import COMPONENTS, THEMATIC
from matchmaking.services import (
    adopt_weight_fit,
    fit_weight_profile,
    give_feedback,
    rescore_organisations,
    run_recommendations,
)
from partnerships.enums import MembershipRole, PartnerState
from partnerships.models import AuditEntry
from tests.factories import (
    CountryFactory,
    EmergingIndustryFactory,
    ExpressionPartnerFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def at(days):
    return START + dt.timedelta(days=days)


def test_outcome_log_reads_feedback_consortia_and_event_outcomes():
    home, partner, other = OrganisationFactory.create_batch(3)
    feedback = RecommendationFeedback.objects.create(
        organisation=home, partner=partner, verdict=FeedbackVerdict.NOT_RELEVANT
    )
    RecommendationFeedback.objects.filter(pk=feedback.pk).update(created_at=at(1))
    ExpressionPartnerFactory(
        expression__lead=home, organisation=other, state=PartnerState.CONFIRMED, responded_at=at(2)
    )
    ExpressionPartnerFactory(expression__lead=home, organisation=partner, responded_at=at(2))
    MeetingFactory(
        requester__organisation=partner,
        recipient__organisation=other,
        state=MeetingState.ACCEPTED,
        responded_at=at(3),
        outcome=MeetingOutcome.AGREEMENT,
        outcome_at=at(4),
    )
    MeetingFactory(
        requester__organisation=other, recipient__organisation=home, state=MeetingState.REQUESTED
    )

    outcomes = sorted(outcome_log(), key=lambda record: (record.at, record.organisation_id))

    assert [(o.organisation_id, o.partner_id, o.positive, o.at, o.kinds) for o in outcomes] == [
        (home.pk, partner.pk, False, at(1), (PairOutcome.NOT_RELEVANT,)),
        (home.pk, other.pk, True, at(2), (PairOutcome.CONSORTIUM,)),
        (
            partner.pk,
            other.pk,
            True,
            at(3),
            (PairOutcome.AGREEMENT, PairOutcome.MEETING_ACCEPTED),
        ),
        (other.pk, partner.pk, True, at(4), (PairOutcome.AGREEMENT,)),
    ]
    assert [o.weight for o in outcomes] == [2.0, 4.0, 4.0, 4.0]


def test_fold_outcomes_makes_a_pair_positive_from_its_first_positive_outcome():
    outcomes = [
        Outcome(1, 2, PairOutcome.NOT_RELEVANT, at(1)),
        Outcome(1, 2, PairOutcome.CONTACTED, at(5)),
        Outcome(1, 2, PairOutcome.USEFUL, at(3)),
        Outcome(3, 3, PairOutcome.USEFUL, at(3)),
    ]

    [record] = fold_outcomes(outcomes)

    assert (record.positive, record.at, record.weight) == (True, at(3), 2.0)
    assert record.kinds == (PairOutcome.CONTACTED, PairOutcome.NOT_RELEVANT, PairOutcome.USEFUL)


@pytest.fixture
def listed():
    """Home with three partners listed, best first: Alpha, Beta, Gamma; and a member."""
    country = CountryFactory(code="DE", name="Germany")
    cars = SectoralIndustryFactory(slug="automotive")
    chips = SectoralIndustryFactory(slug="it")
    mobility = EmergingIndustryFactory(slug="mobility")
    mobility.sectoral_industries.set([cars, chips])
    home = OrganisationFactory(
        name="Home", sectoral_industries=[cars], emerging_industries=[mobility]
    )
    # Equally relevant to Home (cars and chips meet in mobility, which all declare): the
    # larger and then the older partner ranks first.
    partners = [
        OrganisationFactory(
            name=name,
            region=RegionFactory(country=country),
            sectoral_industries=[chips],
            emerging_industries=[mobility],
            members_smes=size,
        )
        for name, size in (("Alpha", 400), ("Beta", 100), ("Gamma", 50))
    ]
    member = UserFactory()
    MembershipFactory(organisation=home, user=member, role=MembershipRole.EDITOR)
    profile = WeightProfile.objects.create(
        slug="test",
        name="Test",
        cross_sector=0.5,
        shared_focus=0.3,
        strength=0.4,
        international=0.1,
    )
    run_recommendations(profile, k=2)
    return {"home": home, "partners": partners, "member": member, "profile": profile}


def shown(organisation):
    return [rec.partner.name for rec in current_recommendations(organisation)]


def test_not_relevant_removes_the_partner_from_the_page_and_api_at_once(client, api_client, listed):
    home, alpha = listed["home"], listed["partners"][0]
    client.force_login(listed["member"])
    api_client.force_authenticate(listed["member"])
    assert shown(home) == ["Alpha", "Beta"]

    answer = client.post(
        reverse("matchmaking:recommendation-feedback", args=[home.pk]),
        {"partner": alpha.pk, "verdict": FeedbackVerdict.NOT_RELEVANT},
        headers={"HX-Request": "true"},
    )
    page = client.get(
        reverse("matchmaking:recommended-partners", args=[home.pk]), headers={"HX-Request": "true"}
    )
    api = api_client.get(f"/api/v1/organisations/{home.pk}/recommendations/")

    assert [row["recommendation"].partner.name for row in answer.context["rows"]] == ["Beta"]
    assert answer.context["notice"] == "Alpha is off your list, and later runs leave it out."
    assert [row["recommendation"].partner.name for row in page.context["rows"]] == ["Beta"]
    assert [row["partner_name"] for row in api.json()] == ["Beta"]
    assert RecommendationFeedback.objects.get().verdict == FeedbackVerdict.NOT_RELEVANT


def test_not_relevant_partner_stays_out_of_later_runs_which_fill_the_list(listed):
    home, alpha = listed["home"], listed["partners"][0]
    give_feedback(home, partner=alpha, verdict=FeedbackVerdict.NOT_RELEVANT, by=listed["member"])

    run_recommendations(listed["profile"], k=2)

    assert shown(home) == ["Beta", "Gamma"]
    assert [rec.rank for rec in current_recommendations(home)] == [1, 2]
    # Other organisations' lists still hold Alpha.
    assert "Alpha" in shown(listed["partners"][1])


def test_useful_feedback_leaves_the_partner_listed(listed):
    home, alpha = listed["home"], listed["partners"][0]

    give_feedback(home, partner=alpha, verdict=FeedbackVerdict.USEFUL, by=listed["member"])
    run_recommendations(listed["profile"], k=2)

    assert shown(home) == ["Alpha", "Beta"]


@pytest.fixture
def outcomes_world():
    """Twenty organisations over two sectors; consortia formed only within a sector group."""
    cars = SectoralIndustryFactory(slug="automotive")
    chips = SectoralIndustryFactory(slug="it")
    EmergingIndustryFactory(slug="mobility").sectoral_industries.set([cars, chips])
    organisations = [
        OrganisationFactory(sectoral_industries=[cars if n % 2 else chips]) for n in range(20)
    ]
    for n in range(16):
        lead, partner = organisations[n], organisations[(n + 3) % 20]
        ExpressionPartnerFactory(
            expression__lead=lead,
            organisation=partner,
            state=PartnerState.CONFIRMED,
            responded_at=at(n),
        )
    profile = WeightProfile.objects.create(
        slug="shipped", name="Shipped", international=0.6, strength=0.4, duplicate=0.5
    )
    return {"organisations": organisations, "profile": profile}


def test_fit_weight_profile_records_the_fit_and_changes_no_profile(outcomes_world, staff):
    profile = outcomes_world["profile"]
    before = profile.weights

    fit = fit_weight_profile(profile, by=staff, k=5)

    profile.refresh_from_db()
    assert profile.weights == before
    assert (fit.profile, fit.by, fit.current_weights) == (profile, staff, before)
    assert set(fit.weights) == {*COMPONENTS, "duplicate"}
    assert fit.weights["duplicate"] == 0.5
    # The profile weighs no theme: the fitted thematic shares keep a total of 1; geography
    # and standing are on the scorer's own scale.
    assert sum(fit.weights[name] for name in THEMATIC) == pytest.approx(1.0)
    assert all(fit.weights[name] >= 0 for name in COMPONENTS)
    # 16 outcomes: the older 11 train, the newest 5 (30 %, cut at one moment) test.
    figures = fit.figures
    assert (figures["train_positives"], figures["test_positives"]) == (11, 5)
    assert figures["sampled_negatives"] == 64
    assert figures["train_outcomes"] + figures["test_outcomes"] == 80
    assert fit.cutoff == at(11)
    assert 0 <= figures["recall_fitted"] <= 1 and 0 <= figures["recall_current"] <= 1
    entry = AuditEntry.objects.get(action="weights fitted")
    assert (entry.object_id, entry.actor, entry.data) == (str(fit.pk), staff, figures)


def test_fit_weight_profile_with_too_few_outcomes_says_so_and_records_nothing(staff):
    OrganisationFactory.create_batch(3)
    profile = WeightProfile.objects.create(slug="shipped", name="Shipped", international=1.0)

    with pytest.raises(ValidationError, match="0 positive outcomes are recorded"):
        fit_weight_profile(profile, by=staff)

    assert WeightFit.objects.count() == 0


def test_adopt_weight_fit_into_a_new_profile_then_refuses_a_second_time(outcomes_world, staff):
    fit = fit_weight_profile(outcomes_world["profile"], by=staff, k=5)

    profile = adopt_weight_fit(fit, by=staff, name="Learnt in January")

    fit.refresh_from_db()
    assert (profile.slug, profile.name, profile.weights) == (
        "learnt-in-january",
        "Learnt in January",
        fit.weights,
    )
    assert (fit.adopted_into, fit.adopted_at is not None) == (profile, True)
    entry = AuditEntry.objects.get(action="weights adopted")
    assert (entry.object_id, entry.actor, entry.data) == (
        str(profile.pk),
        staff,
        {"fit": fit.pk, **fit.weights},
    )
    with pytest.raises(ValidationError, match="adopted already"):
        adopt_weight_fit(fit, by=staff, into=outcomes_world["profile"])
    outcomes_world["profile"].refresh_from_db()
    assert outcomes_world["profile"].international == 0.6


def test_adopt_weight_fit_into_an_existing_profile(outcomes_world, staff):
    shipped = outcomes_world["profile"]
    fit = fit_weight_profile(shipped, by=staff, k=5)
    profiles = WeightProfile.objects.count()

    adopt_weight_fit(fit, by=staff, into=shipped)

    shipped.refresh_from_db()
    assert shipped.weights == fit.weights
    assert WeightProfile.objects.count() == profiles


def test_adopt_weight_fit_needs_exactly_one_target(outcomes_world, staff):
    fit = fit_weight_profile(outcomes_world["profile"], by=staff, k=5)

    for target in ({}, {"into": outcomes_world["profile"], "name": "Both"}, {"name": "  "}):
        with pytest.raises(ValidationError, match="Choose a profile"):
            adopt_weight_fit(fit, by=staff, **target)

    fit.refresh_from_db()
    assert fit.adopted_at is None


def test_learn_weights_prints_a_table_and_json_last(outcomes_world):
    output = StringIO()

    call_command("learn_weights", "--profile", "shipped", "--k", "5", stdout=output)

    lines = output.getvalue().strip().splitlines()
    fit = WeightFit.objects.get()
    assert lines[1].split() == ["component", "shipped", "fitted"]
    assert lines[2].split() == [
        "cross_sector",
        "0.000",
        f"{fit.weights['cross_sector']:.3f}",
    ]
    summary = json.loads(lines[-1])
    assert (summary["fit"], summary["profile"], summary["train_positives"]) == (
        fit.pk,
        "shipped",
        11,
    )
    assert list(summary["weights"]) == list(COMPONENTS)
    assert fit.by is None


def test_learn_weights_with_an_unknown_profile_fails_clearly():
    with pytest.raises(CommandError, match="No weight profile with the slug nope"):
        call_command("learn_weights", "--profile", "nope")


def test_learn_weights_refuses_a_test_share_out_of_range():
    with pytest.raises(CommandError, match="--test-share"):
        call_command("learn_weights", "--test-share", "1.5")


def test_fit_dates_come_from_timezone_aware_outcomes(outcomes_world, staff):
    fit = fit_weight_profile(outcomes_world["profile"], by=staff, k=5)

    assert timezone.is_aware(fit.cutoff)


def test_not_relevant_partner_stays_out_of_an_incremental_refresh(listed):
    home, alpha = listed["home"], listed["partners"][0]
    give_feedback(home, partner=alpha, verdict=FeedbackVerdict.NOT_RELEVANT, by=listed["member"])

    rescore_organisations([home.pk], profile=listed["profile"])

    assert shown(home) == ["Beta", "Gamma"]
