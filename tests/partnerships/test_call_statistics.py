import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships import call_statistics
from partnerships.enums import CallState, ExpressionState, PartnerState
from partnerships.models import CallStage
from partnerships.services import log_action
from tests.factories import (
    CallFactory,
    CountryFactory,
    ExpressionFactory,
    ExpressionPartnerFactory,
    OrganisationFactory,
    RegionFactory,
    SectoralIndustryFactory,
    StrategicPartnershipFactory,
)

pytestmark = pytest.mark.django_db

S = ExpressionState


@pytest.fixture
def countries():
    return {
        code: CountryFactory(code=code, iso_code=code, name=name)
        for code, name in [("DE", "Germany"), ("FR", "France"), ("IT", "Italy")]
    }


def organisation_in(country):
    return OrganisationFactory(region=RegionFactory(country=country))


@pytest.fixture
def two_stage(countries):
    """Seven expressions on a two-stage call with a budget of 1,000,000."""
    call = CallFactory(state=CallState.DECIDED, budget=Decimal("1000000"))
    CallStage.objects.create(call=call, number=2, deadline=timezone.now() + dt.timedelta(days=60))
    energy = SectoralIndustryFactory(name="Energy")
    textiles = SectoralIndustryFactory(name="Textiles")
    now = timezone.now()

    def expression(state, *, lead, partners=(), budget=None, stage2=False, sectors=()):
        e = ExpressionFactory(
            call=call,
            lead=organisation_in(countries[lead]),
            state=state,
            budget_requested=budget,
            submitted_at=None if state == S.DRAFT else now,
            stage2_submitted_at=now if stage2 else None,
        )
        for code, confirmed in partners:
            ExpressionPartnerFactory(
                expression=e,
                organisation=organisation_in(countries[code]),
                state=PartnerState.CONFIRMED if confirmed else PartnerState.DECLINED,
            )
        e.sectoral_industries.set(sectors)
        return e

    expression(S.DRAFT, lead="DE", budget=Decimal("900000"), sectors=[energy])
    expression(S.INELIGIBLE, lead="DE", budget=Decimal("100000"))
    expression(S.STAGE1_REJECTED, lead="FR", budget=Decimal("200000"), sectors=[energy])
    withdrawn = expression(S.WITHDRAWN, lead="IT", budget=Decimal("300000"))
    log_action(withdrawn, "expression.eligible", actor=None)
    log_action(withdrawn, "expression.stage1_passed", actor=None)
    expression(
        S.REJECTED,
        lead="FR",
        partners=[("IT", True)],
        budget=Decimal("400000"),
        stage2=True,
        sectors=[textiles],
    )
    expression(
        S.SELECTED,
        lead="DE",
        partners=[("FR", True), ("IT", True), ("IT", False)],
        budget=Decimal("500000.50"),
        stage2=True,
        sectors=[energy, textiles],
    )
    expression(S.STAGE1_PASSED, lead="IT", budget=Decimal("250000"))
    return call


def test_funnel_counts_each_step_including_later_withdrawals(two_stage):
    steps = call_statistics.funnel(two_stage)

    assert [(s.key, s.value) for s in steps] == [
        ("started", 7),
        ("submitted", 6),
        ("eligible", 5),
        ("stage1_passed", 4),
        ("stage2_submitted", 2),
        ("selected", 1),
    ]


def test_funnel_of_a_single_stage_call_has_no_stage_steps():
    call = CallFactory()
    ExpressionFactory(call=call, state=S.SELECTED, submitted_at=timezone.now())
    ExpressionFactory(call=call)

    steps = call_statistics.funnel(call)

    assert [(s.key, s.value) for s in steps] == [
        ("started", 2),
        ("submitted", 1),
        ("eligible", 1),
        ("selected", 1),
    ]


def test_budget_requested_against_available(two_stage):
    rows = call_statistics.budget(two_stage)

    # Submitted and not withdrawn: 100,000 + 200,000 + 400,000 + 500,000.50 + 250,000.
    assert [(r.key, r.value) for r in rows] == [
        ("available", 1_000_000),
        ("requested", 1_450_000),
        ("requested_stage2", 900_000),
        ("selected", 500_000),
    ]
    assert call_statistics.oversubscription(two_stage, rows) == 145


def test_oversubscription_without_a_budget_is_none():
    call = CallFactory(budget=0)

    assert call_statistics.oversubscription(call, call_statistics.budget(call)) is None


def test_countries_count_leads_and_confirmed_partners_of_submitted_consortia(two_stage):
    rows = call_statistics.countries(two_stage)

    assert [(r.label, r.submitted, r.selected) for r in rows] == [
        ("France", 3, 1),
        ("Italy", 3, 1),
        ("Germany", 2, 1),
    ]


def test_sectors_count_submitted_and_selected_consortia(two_stage):
    rows = call_statistics.sectors(two_stage)

    assert [(r.label, r.submitted, r.selected) for r in rows] == [
        ("Energy", 2, 1),
        ("Textiles", 2, 1),
    ]


def test_statistics_page_shows_charts_with_tables_and_no_names(client, two_stage):
    response = client.get(reverse("partnerships:call-statistics", args=[two_stage.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert [(row["label"], row["value"]) for row in response.context["funnel"]] == [
        ("Drafts started", 7),
        ("Submitted", 6),
        ("Eligible", 5),
        ("Passed stage 1", 4),
        ("Submitted at stage 2", 2),
        ("Selected", 1),
    ]
    assert body.count('<figure class="chart"') == 4
    assert body.count('<details class="chart__table">') == 4
    assert "Submitted consortia asked for 145 % of the available budget." in body
    assert '<th scope="row">France</th><td class="numeric">3</td><td class="numeric">1</td>' in body
    for expression in two_stage.expressions.all():
        assert expression.title not in body
        assert expression.lead.name not in body


def test_statistics_page_links_to_the_partnerships_of_the_call(client, two_stage):
    StrategicPartnershipFactory(call=two_stage)
    StrategicPartnershipFactory(call=two_stage)

    response = client.get(reverse("partnerships:call-statistics", args=[two_stage.pk]))

    link = f'<a href="/partnerships/?call={two_stage.pk}">'
    assert f"{link}2 strategic partnerships came from this call</a>" in response.content.decode()


def test_statistics_page_of_an_empty_call(client):
    call = CallFactory()

    response = client.get(reverse("partnerships:call-statistics", args=[call.pk]))

    body = response.content.decode()
    assert "strategic partnership" not in body
    assert "No consortium has submitted yet." in body
    assert "The call is still open: these are the figures so far." in body


def test_statistics_of_a_draft_call_are_not_found(client):
    call = CallFactory(state=CallState.DRAFT)

    response = client.get(reverse("partnerships:call-statistics", args=[call.pk]))

    assert response.status_code == 404


def test_call_page_links_to_its_statistics(client):
    call = CallFactory()

    response = client.get(call.get_absolute_url())

    assert reverse("partnerships:call-statistics", args=[call.pk]) in response.content.decode()
