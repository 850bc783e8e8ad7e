"""A member dismisses a suggested partner; staff fit weights on the outcomes and adopt them."""

import datetime as dt

import pytest

from matchmaking import tasks
from matchmaking.enums import FitState
from matchmaking.models import WeightFit, WeightProfile
from matchmaking.scoring import COMPONENTS
from matchmaking.services import run_recommendations
from partnerships.enums import MembershipRole, PartnerState
from tests.browser.session import log_in
from tests.factories import (
    EcosystemFactory,
    EmergingIndustryFactory,
    ExpressionPartnerFactory,
    MembershipFactory,
    OrganisationFactory,
    SectoralIndustryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_dismisses_a_partner_and_staff_adopt_learnt_weights(page):
    cars = SectoralIndustryFactory(slug="automotive")
    chips = SectoralIndustryFactory(slug="it")
    mobility = EmergingIndustryFactory(slug="mobility")
    mobility.sectoral_industries.set([cars, chips])
    # Cars and chips meet in mobility, which every one of them declares; the consortia below
    # (n with n + 3) also share an ecosystem, which only a third of the listed partners do.
    ecosystems = [EcosystemFactory(slug=slug) for slug in ("digital", "energy", "health")]
    organisations = [
        OrganisationFactory(
            name=f"Cluster {n:02}",
            sectoral_industries=[(cars, chips)[n % 2]],
            emerging_industries=[mobility],
            ecosystems=[ecosystems[n % 3]],
        )
        for n in range(20)
    ]
    start = dt.datetime(2026, 2, 2, 10, 0, tzinfo=dt.UTC)
    for n in range(16):
        ExpressionPartnerFactory(
            expression__lead=organisations[n],
            organisation=organisations[(n + 3) % 20],
            state=PartnerState.CONFIRMED,
            responded_at=start + dt.timedelta(days=n),
        )
    home = organisations[0]
    member = UserFactory(email="member@cluster.example")
    MembershipFactory(organisation=home, user=member, role=MembershipRole.EDITOR)
    shipped = WeightProfile.objects.create(
        slug="shipped", name="Shipped", cross_sector=0.5, international=0.5, duplicate=0.5
    )
    run_recommendations(shipped, k=3)
    staff = StaffFactory(email="staff@ec.europa.eu")

    # The member marks the first suggested partner as not relevant: it leaves the list.
    log_in(page, member.email)
    page.goto(f"/organisations/{home.pk}/recommended-partners/")
    listed = page.locator(".recommendation h3 a").all_inner_texts()
    page.locator(".recommendation").first.locator("button[value=not_relevant]").click()
    page.wait_for_selector(".message--success")
    assert page.inner_text(".message--success") == (
        f"{listed[0]} is off your list, and later runs leave it out."
    )
    assert page.locator(".recommendation h3 a").all_inner_texts() == listed[1:]
    page.context.clear_cookies()

    # Staff fit weights on the outcomes, compared with the shipped profile, and adopt them.
    log_in(page, staff.email)
    page.goto("/matching/learning/")
    page.select_option("#id_profile", str(shipped.pk))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/matching/learning/*/")
    fit = WeightFit.objects.get()
    # Without a broker the fit task runs in process once the request commits.
    assert page.inner_text(".message--success") == (
        "Weights are being fitted: nothing changes until you adopt them."
    )
    assert fit.state == FitState.DONE
    # One row per weight: every component and the near-duplicate penalty.
    assert page.locator("main table").nth(1).locator("tbody tr").count() == len(COMPONENTS) + 1
    page.select_option("#id_into", "")
    page.fill("#id_name", "Learnt from consortia")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".message--success")
    adopted = WeightProfile.objects.get(slug="learnt-from-consortia")
    assert adopted.weights == fit.weights
    assert "Adopted into Learnt from consortia" in page.inner_text("main")
    shipped.refresh_from_db()
    assert (shipped.cross_sector, shipped.international) == (0.5, 0.5)


def test_a_queued_fit_shows_fitting_then_its_result_without_a_reload(page):
    cars = SectoralIndustryFactory(slug="automotive")
    chips = SectoralIndustryFactory(slug="it")
    EmergingIndustryFactory(slug="mobility").sectoral_industries.set([cars, chips])
    organisations = [
        OrganisationFactory(sectoral_industries=[(cars, chips)[n % 2]]) for n in range(20)
    ]
    start = dt.datetime(2026, 2, 2, 10, 0, tzinfo=dt.UTC)
    for n in range(16):
        ExpressionPartnerFactory(
            expression__lead=organisations[n],
            organisation=organisations[(n + 3) % 20],
            state=PartnerState.CONFIRMED,
            responded_at=start + dt.timedelta(days=n),
        )
    shipped = WeightProfile.objects.create(
        slug="shipped", name="Shipped", cross_sector=0.5, international=0.5, duplicate=0.5
    )
    staff = StaffFactory(email="staff@ec.europa.eu")
    # Queued as a worker would find it: the page polls until the fit is done.
    fit = WeightFit.objects.create(
        profile=shipped,
        current_weights=shipped.weights,
        state=FitState.QUEUED,
        parameters={"test_share": 0.3, "negatives": 4, "seed": 0, "k": 5},
        by=staff,
    )

    log_in(page, staff.email)
    page.goto(fit.get_absolute_url())
    assert page.inner_text("#fit-result [role=status]") == (
        "Queued: the fit starts as soon as a worker is free."
    )
    assert page.locator("text=Adopt the fitted weights").count() == 0

    tasks.fit_weights(fit.pk)

    page.wait_for_selector("text=Adopt the fitted weights", timeout=10_000)
    assert page.locator("#fit-result [role=status]").count() == 0
    assert page.locator("#fit-result table").nth(1).locator("tbody tr").count() == (
        len(COMPONENTS) + 1
    )
