from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from partnerships import call_statistics
from partnerships.enums import (
    EXPRESSION_TRANSITIONS,
    CallState,
    ExpressionState,
    OrganisationType,
    PartnerState,
)
from partnerships.management.commands.seed_partnerships import Member, plan_consortia
from partnerships.models import (
    AuditEntry,
    Call,
    ExpressionOfInterest,
    Organisation,
    StrategicPartnership,
)
from partnerships.statemachine import ensure_transition
from tests.factories import CountryFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db

S = ExpressionState


def demo_organisations(count, codes=("DE", "FR", "IT", "ES")):
    """`count` verified cluster organisations spread over `codes`, written in one insert."""
    regions = [
        RegionFactory(country=CountryFactory(code=code, iso_code=code, name=f"Country {code}"))
        for code in codes
    ]
    Organisation.objects.bulk_create(
        [
            OrganisationFactory.build(
                region=regions[i % len(regions)],
                name=f"Demo cluster {i:03d}",
                acronym=f"DC{i:03d}",
                type=OrganisationType.CLUSTER,
            )
            for i in range(count)
        ]
    )


# Before the seeded tests: those see the seeded data until the module's end.
def test_seed_without_enough_organisations_explains_and_writes_nothing():
    demo_organisations(20)

    with pytest.raises(CommandError) as error:
        call_command("seed_partnerships")

    assert "need 38 verified cluster or business network organisations; there are 20" in str(
        error.value
    )
    assert StrategicPartnership.objects.count() == 0
    assert not Call.objects.filter(reference="escp-4i-2016").exists()


@pytest.fixture(scope="module")
def seeded(module_db):
    # Seeding takes seconds; the tests below read what it wrote (their own writes roll back).
    demo_organisations(140)
    call_command("seed_partnerships")


def test_escp_4i_has_15_funded_and_11_labelled_only_partnerships(seeded):
    call = Call.objects.get(reference="escp-4i-2016")
    partnerships = list(StrategicPartnership.objects.filter(call=call))

    assert call.state == CallState.DECIDED
    assert Counter(p.funded for p in partnerships) == {True: 15, False: 11}
    assert Counter((p.funded, p.phase) for p in partnerships) == {
        (True, "investment"): 5,
        (True, "implementation"): 6,
        (True, "preparatory"): 4,
        (False, "implementation"): 3,
        (False, "preparatory"): 8,
    }
    assert Counter(e.state for e in call.expressions.all()) == {
        S.SELECTED: 26,
        S.REJECTED: 9,
        S.INELIGIBLE: 3,
    }


def test_escp_4i_partnerships_have_their_consortium_milestones_and_outcomes(seeded):
    today = timezone.localdate()
    for partnership in StrategicPartnership.objects.prefetch_related(
        "members__organisation", "milestones", "outcomes", "expression__partners"
    ):
        members = list(partnership.members.all())
        confirmed = {
            p.organisation_id
            for p in partnership.expression.partners.all()
            if p.state == PartnerState.CONFIRMED
        }
        assert [m.organisation_id for m in members if m.is_coordinator] == [
            partnership.expression.lead_id
        ]
        assert {m.organisation_id for m in members if not m.is_coordinator} == confirmed
        assert len({m.organisation.country_id for m in members}) >= 3
        assert partnership.milestones.count() == 5
        assert all(m.reached_on <= today for m in partnership.milestones.all() if m.reached_on)
        reached = {m.phase for m in partnership.milestones.all() if m.reached_on}
        assert partnership.phase in reached
        expected_outcomes = {"preparatory": 2, "implementation": 3, "investment": 4}
        assert partnership.outcomes.count() == expected_outcomes[partnership.phase]


def test_innosup_reproduces_the_brief_figures(seeded):
    call = Call.objects.get(reference="innosup-1-2015")
    expressions = call.expressions.all()

    assert call.state == CallState.DECIDED
    assert expressions.filter(submitted_at__isnull=False).count() == 119
    assert expressions.filter(stage2_submitted_at__isnull=False).count() == 45
    assert expressions.filter(state=S.SELECTED).count() == 5
    assert Counter(e.state for e in expressions) == {
        S.SELECTED: 5,
        S.REJECTED: 40,
        S.WITHDRAWN: 2,
        S.STAGE1_REJECTED: 66,
        S.INELIGIBLE: 6,
        S.DRAFT: 14,
    }
    assert [(s.key, s.value) for s in call_statistics.funnel(call)] == [
        ("started", 133),
        ("submitted", 119),
        ("eligible", 113),
        ("stage1_passed", 47),
        ("stage2_submitted", 45),
        ("selected", 5),
    ]
    assert call_statistics.budget(call)[-1].value == 24_900_000


def test_every_seeded_expression_has_a_history_the_state_table_allows(seeded):
    trails = {}
    for entry in AuditEntry.objects.filter(
        content_type__model="expressionofinterest", action__startswith="expression."
    ).order_by("id"):
        trails.setdefault(int(entry.object_id), []).append(entry.data.get("to"))
    for expression in ExpressionOfInterest.objects.all():
        history = trails[expression.pk]
        assert history[0] is None  # "created"
        current = S.DRAFT
        for state in history[1:]:
            ensure_transition(EXPRESSION_TRANSITIONS, current=current, to=state, choices=S)
            current = state
        assert current == expression.state


def test_seeded_consortia_are_eligible_shapes(seeded):
    for expression in ExpressionOfInterest.objects.filter(submitted_at__isnull=False):
        partners = list(expression.partners.select_related("organisation"))
        countries = {expression.lead.country_id} | {p.organisation.country_id for p in partners}
        assert len(partners) >= 2
        assert len(countries) >= 3
        assert all(p.state == PartnerState.CONFIRMED for p in partners)
        assert expression.submitted_at < expression.call.stages.get(number=1).deadline


def test_seeding_again_changes_nothing(seeded):
    before = (
        ExpressionOfInterest.objects.count(),
        StrategicPartnership.objects.count(),
        AuditEntry.objects.count(),
    )

    call_command("seed_partnerships")

    assert (
        ExpressionOfInterest.objects.count(),
        StrategicPartnership.objects.count(),
        AuditEntry.objects.count(),
    ) == before


def test_plan_consortia_is_deterministic_with_distinct_leads_and_three_countries():
    pool = [Member(pk, ["DE", "FR", "IT"][pk % 3], f"A{pk}", None) for pk in range(1, 61)]

    first = plan_consortia(pool, 50, offset=7)
    again = plan_consortia(pool, 50, offset=7)

    assert first == again
    assert len({c.lead.pk for c in first}) == 50
    for consortium in first:
        assert len({m.country for m in (consortium.lead, *consortium.partners)}) == 3
        assert len(consortium.partners) == 2
