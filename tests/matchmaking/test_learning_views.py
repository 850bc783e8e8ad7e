import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaking import tasks
from matchmaking.enums import FitState
from matchmaking.models import WeightFit, WeightProfile
from matchmaking.services import fit_weight_profile, request_weight_fit
from partnerships.enums import PartnerState
from partnerships.models import AuditEntry
from tests.factories import (
    EmergingIndustryFactory,
    ExpressionPartnerFactory,
    OrganisationFactory,
    SectoralIndustryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("matchmaking:fit-list")


@pytest.fixture
def shipped():
    """A profile to compare with, and sixteen consortia formed over sixteen days."""
    cars = SectoralIndustryFactory(slug="automotive")
    chips = SectoralIndustryFactory(slug="it")
    EmergingIndustryFactory(slug="mobility").sectoral_industries.set([cars, chips])
    organisations = [
        OrganisationFactory(sectoral_industries=[cars if n % 2 else chips]) for n in range(20)
    ]
    start = dt.datetime(2026, 2, 2, 10, 0, tzinfo=dt.UTC)
    for n in range(16):
        ExpressionPartnerFactory(
            expression__lead=organisations[n],
            organisation=organisations[(n + 3) % 20],
            state=PartnerState.CONFIRMED,
            responded_at=start + dt.timedelta(days=n),
        )
    return WeightProfile.objects.create(
        slug="shipped", name="Shipped", international=0.6, strength=0.4, duplicate=0.5
    )


def test_staff_fit_weights_and_land_on_the_comparison(
    client, staff, shipped, django_capture_on_commit_callbacks
):
    client.force_login(staff)

    # No broker in tests: the queued task runs in process once the request commits.
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            LIST_URL, {"profile": shipped.pk, "test_share": "0.3", "negatives": "4"}
        )
    response = client.get(posted.url)

    fit = WeightFit.objects.get()
    assert fit.state == FitState.DONE
    assert (posted.status_code, posted.url) == (302, fit.get_absolute_url())
    assert (fit.profile, fit.by) == (shipped, staff)
    rows = response.context["rows"]
    assert [str(label) for label, _current, _fitted in rows][:2] == [
        "cross-sectoral linkage",
        "shared focus",
    ]
    by_label = {str(label): (current, fitted) for label, current, fitted in rows}
    assert by_label["international reach"] == (0.6, fit.weights["international"])
    assert rows[-1][1:] == (0.5, 0.5)
    html = response.content.decode()
    assert "Weights are being fitted: nothing changes until you adopt them." in html
    assert "hx-trigger" not in html
    assert "Adopt the fitted weights" in html
    shipped.refresh_from_db()
    assert shipped.international == 0.6


def test_a_queued_fit_shows_fitting_and_polls_its_result_until_done(
    client, staff, shipped, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        fit = request_weight_fit(shipped, by=staff, k=5)
    client.force_login(staff)
    result_url = reverse("matchmaking:fit-result", args=[fit.pk])

    page = client.get(fit.get_absolute_url()).content.decode()
    polled = client.get(result_url, headers={"HX-Request": "true"})
    plain = client.get(result_url)
    adopt = client.post(fit.get_absolute_url(), {"into": shipped.pk, "name": ""})

    assert len(queued) == 1
    assert "Queued: the fit starts as soon as a worker is free." in page
    assert f'hx-get="{result_url}" hx-trigger="every 2s"' in page
    assert "Adopt the fitted weights" not in page
    assert polled.templates[0].name == "matchmaking/includes/_weight_fit_result.html"
    assert 'hx-trigger="every 2s"' in polled.content.decode()
    assert (plain.status_code, plain.url) == (302, fit.get_absolute_url())
    assert adopt.status_code == 400
    assert adopt.context["form"].non_field_errors() == ["Only a finished fit can be adopted."]

    queued[0]()
    done = client.get(result_url, headers={"HX-Request": "true"}).content.decode()

    fit.refresh_from_db()
    assert fit.state == FitState.DONE
    assert set(fit.weights) >= {"cross_sector", "international"}
    assert "hx-trigger" not in done
    assert "Adopt the fitted weights" in done


def test_the_fit_task_run_twice_fits_once(staff, shipped):
    fit = WeightFit.objects.create(
        profile=shipped,
        current_weights=shipped.weights,
        state=FitState.QUEUED,
        parameters={"test_share": 0.3, "negatives": 4, "seed": 0, "k": 5},
        by=staff,
    )

    tasks.fit_weights(fit.pk)
    first = WeightFit.objects.get(pk=fit.pk)
    tasks.fit_weights(fit.pk)
    tasks.fit_weights(fit.pk + 1000)

    again = WeightFit.objects.get(pk=fit.pk)
    assert first.state == FitState.DONE
    assert (again.weights, again.figures, again.cutoff) == (
        first.weights,
        first.figures,
        first.cutoff,
    )
    assert AuditEntry.objects.filter(action="weights fitted", object_id=str(fit.pk)).count() == 1


def test_a_fit_the_outcomes_cannot_support_ends_failed_with_the_reason(client, staff):
    profile = WeightProfile.objects.create(slug="bare", name="Bare", international=1.0)
    fit = WeightFit.objects.create(
        profile=profile,
        current_weights=profile.weights,
        state=FitState.QUEUED,
        parameters={"test_share": 0.3, "negatives": 4, "seed": 0, "k": 5},
    )
    client.force_login(staff)

    tasks.fit_weights(fit.pk)

    fit.refresh_from_db()
    assert (fit.state, fit.error) == (
        FitState.FAILED,
        "0 positive outcomes are recorded; a fit needs at least 10.",
    )
    page = client.get(fit.get_absolute_url()).content.decode()
    assert "The fit failed: 0 positive outcomes are recorded" in page


def test_fit_without_enough_outcomes_shows_the_reason_and_records_nothing(client, staff):
    profile = WeightProfile.objects.create(slug="bare", name="Bare", international=1.0)
    client.force_login(staff)

    response = client.post(LIST_URL, {"profile": profile.pk, "test_share": "0.3", "negatives": 4})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "0 positive outcomes are recorded; a fit needs at least 10."
    ]
    assert WeightFit.objects.count() == 0


def test_fit_with_a_test_share_out_of_range_is_a_form_error(client, staff, shipped):
    client.force_login(staff)

    response = client.post(LIST_URL, {"profile": shipped.pk, "test_share": "0.9", "negatives": 4})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "test_share": ["Ensure this value is less than or equal to 0.5."]
    }
    assert WeightFit.objects.count() == 0


def test_members_who_are_not_staff_may_not_fit(client, shipped):
    client.force_login(UserFactory())

    page = client.get(LIST_URL)
    posted = client.post(LIST_URL, {"profile": shipped.pk, "test_share": "0.3", "negatives": 4})

    assert (page.status_code, posted.status_code) == (403, 403)
    assert WeightFit.objects.count() == 0


def test_staff_adopt_a_fit_as_a_new_profile(client, staff, shipped):
    fit = fit_weight_profile(shipped, by=staff, k=5)
    client.force_login(staff)

    response = client.post(fit.get_absolute_url(), {"into": "", "name": "Learnt"}, follow=True)

    adopted = WeightProfile.objects.get(slug="learnt")
    assert adopted.weights == fit.weights
    fit.refresh_from_db()
    assert fit.adopted_into == adopted
    html = response.content.decode()
    assert "The weights are now those of Learnt: the next run scores with them." in html
    assert "Adopt the fitted weights" not in html


def test_adopting_into_a_profile_and_naming_one_is_a_form_error(client, staff, shipped):
    fit = fit_weight_profile(shipped, by=staff, k=5)
    client.force_login(staff)

    response = client.post(fit.get_absolute_url(), {"into": shipped.pk, "name": "Both"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "name": ["Leave the name empty when adopting into a profile."]
    }
    fit.refresh_from_db()
    shipped.refresh_from_db()
    assert (fit.adopted_at, shipped.international) == (None, 0.6)


def test_adopting_a_fit_twice_shows_why_not(client, staff, shipped):
    fit = fit_weight_profile(shipped, by=staff, k=5)
    client.force_login(staff)
    client.post(fit.get_absolute_url(), {"into": shipped.pk, "name": ""})

    response = client.post(fit.get_absolute_url(), {"into": "", "name": "Again"})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["These weights were adopted already."]
    assert not WeightProfile.objects.filter(slug="again").exists()


def _fits(count):
    for n in range(count):
        WeightFit.objects.create(
            profile=WeightProfile.objects.first(),
            current_weights={},
            weights={},
            figures={"train_positives": n, "test_positives": 1, "auc_fitted": 0.7},
            cutoff=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
            by=UserFactory(),
            adopted_into=WeightProfile.objects.last(),
        )


@pytest.mark.parametrize("count", [1, 3])
def test_fit_list_queries_do_not_grow_with_the_fits(client, staff, count):
    _fits(count)
    client.force_login(staff)
    # Warm the session and the user's permission cache first.
    client.get(LIST_URL)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)

    assert len(response.context["fits"]) == count
    assert len(queries) == 6


def test_admin_lists_fits_and_refuses_to_add_or_change_them(client):
    _fits(1)
    fit = WeightFit.objects.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:matchmaking_weightfit_changelist"))
    add = client.get(reverse("admin:matchmaking_weightfit_add"))
    change = client.post(reverse("admin:matchmaking_weightfit_change", args=[fit.pk]), {})

    assert listing.status_code == 200
    assert str(fit) in listing.content.decode()
    assert (add.status_code, change.status_code) == (403, 403)
    assert WeightFit.objects.get().adopted_at is None
