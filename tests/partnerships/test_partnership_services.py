import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerships import services
from partnerships.enums import (
    PARTNERSHIP_TRANSITIONS,
    CallState,
    ExpressionState,
    OutcomeKind,
    PartnershipPhase,
    PartnerState,
)
from partnerships.models import (
    AuditEntry,
    PartnershipMember,
    PartnershipMilestone,
    PartnershipOutcome,
    StrategicPartnership,
)
from tests.factories import (
    CallFactory,
    ExpressionFactory,
    ExpressionPartnerFactory,
    OrganisationFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def actions(partnership):
    return list(
        AuditEntry.objects.filter(
            content_type__model="strategicpartnership", object_id=str(partnership.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def selected():
    """A selected consortium: a lead, two confirmed partners, one declined and one invited."""
    call = CallFactory(state=CallState.DECIDED)
    expression = ExpressionFactory(
        call=call,
        title="Batteries beyond borders",
        objectives="Circular battery value chains.",
        state=ExpressionState.SELECTED,
    )
    for state in (
        PartnerState.CONFIRMED,
        PartnerState.CONFIRMED,
        PartnerState.DECLINED,
        PartnerState.INVITED,
    ):
        ExpressionPartnerFactory(expression=expression, state=state)
    return expression


def test_start_partnership_makes_lead_coordinator_and_confirmed_partners_members(selected):
    staff = StaffFactory()

    partnership = services.start_partnership(expression=selected, by=staff)

    confirmed = set(
        selected.partners.filter(state=PartnerState.CONFIRMED).values_list(
            "organisation_id", flat=True
        )
    )
    members = {
        (m.organisation_id, m.is_coordinator)
        for m in PartnershipMember.objects.filter(partnership=partnership)
    }
    assert members == {(selected.lead_id, True)} | {(pk, False) for pk in confirmed}
    assert partnership.call_id == selected.call_id
    assert partnership.name == "Batteries beyond borders"
    assert partnership.summary == "Circular battery value chains."
    assert partnership.phase == PartnershipPhase.PREPARATORY
    assert partnership.funded is True
    assert partnership.started_on == timezone.localdate()
    assert actions(partnership) == ["partnership.started"]
    entry = AuditEntry.objects.get(action="partnership.started")
    assert entry.actor == staff
    assert entry.data == {"expression": selected.pk, "call": selected.call_id, "funded": True}


def test_start_partnership_twice_returns_the_same_partnership(selected):
    staff = StaffFactory()
    first = services.start_partnership(expression=selected, by=staff)

    second = services.start_partnership(expression=selected, by=staff)

    assert second.pk == first.pk
    assert StrategicPartnership.objects.count() == 1
    assert PartnershipMember.objects.count() == 3
    assert actions(first) == ["partnership.started"]


def test_start_partnership_labelled_only(selected):
    partnership = services.start_partnership(
        expression=selected, by=StaffFactory(), funded=False, started_on=dt.date(2024, 3, 1)
    )

    assert (partnership.funded, partnership.started_on) == (False, dt.date(2024, 3, 1))


@pytest.mark.parametrize(
    "state",
    [s for s in ExpressionState.values if s != ExpressionState.SELECTED],
)
def test_start_partnership_refuses_an_expression_not_selected(state):
    expression = ExpressionFactory(state=state)

    with pytest.raises(ValidationError) as error:
        services.start_partnership(expression=expression, by=StaffFactory())

    assert error.value.code == "not_selected"
    assert StrategicPartnership.objects.count() == 0
    assert AuditEntry.objects.filter(action="partnership.started").count() == 0


def test_start_partnership_without_confirmed_partners_has_only_the_coordinator():
    expression = ExpressionFactory(state=ExpressionState.SELECTED)

    partnership = services.start_partnership(expression=expression, by=None)

    assert list(partnership.members.values_list("organisation_id", "is_coordinator")) == [
        (expression.lead_id, True)
    ]


@pytest.fixture
def partnership(selected):
    return services.start_partnership(expression=selected, by=StaffFactory())


@pytest.mark.parametrize("current", PartnershipPhase.values)
@pytest.mark.parametrize("to", PartnershipPhase.values)
def test_advance_phase_follows_the_transition_table(partnership, current, to):
    StrategicPartnership.objects.filter(pk=partnership.pk).update(phase=current)
    allowed = to in PARTNERSHIP_TRANSITIONS[current]

    if allowed:
        services.advance_phase(partnership=partnership, by=None, to=to)
    else:
        with pytest.raises(ValidationError):
            services.advance_phase(partnership=partnership, by=None, to=to)

    partnership.refresh_from_db()
    assert partnership.phase == (to if allowed else current)


def test_advance_phase_moves_to_the_next_phase_and_is_audited(partnership):
    staff = StaffFactory()

    services.advance_phase(partnership=partnership, by=staff)
    services.advance_phase(partnership=partnership, by=staff)

    partnership.refresh_from_db()
    assert partnership.phase == PartnershipPhase.INVESTMENT
    assert actions(partnership) == [
        "partnership.started",
        "partnership.phase_changed",
        "partnership.phase_changed",
    ]
    assert [
        e.data for e in AuditEntry.objects.filter(action="partnership.phase_changed").order_by("id")
    ] == [
        {"from": "preparatory", "to": "implementation"},
        {"from": "implementation", "to": "investment"},
    ]


def test_advance_phase_from_the_last_phase_is_refused(partnership):
    StrategicPartnership.objects.filter(pk=partnership.pk).update(phase=PartnershipPhase.INVESTMENT)

    with pytest.raises(ValidationError) as error:
        services.advance_phase(partnership=partnership, by=None)

    assert error.value.code == "last_phase"


def test_advance_phase_to_an_unknown_phase_is_refused(partnership):
    with pytest.raises(ValidationError) as error:
        services.advance_phase(partnership=partnership, by=None, to="launch")

    assert error.value.code == "invalid_phase"
    partnership.refresh_from_db()
    assert partnership.phase == PartnershipPhase.PREPARATORY


def test_add_and_reach_a_milestone(partnership):
    staff = StaffFactory()
    milestone = services.add_milestone(
        partnership=partnership,
        phase=PartnershipPhase.PREPARATORY,
        title="  Joint strategy drafted ",
        due_on=dt.date(2030, 1, 31),
        by=staff,
    )

    services.reach_milestone(milestone=milestone, by=staff, reached_on=dt.date(2024, 12, 1))

    milestone.refresh_from_db()
    assert (milestone.title, milestone.reached_on) == (
        "Joint strategy drafted",
        dt.date(2024, 12, 1),
    )
    assert actions(partnership) == [
        "partnership.started",
        "partnership.milestone_added",
        "partnership.milestone_reached",
    ]


def test_add_milestone_with_a_bad_phase_is_refused(partnership):
    with pytest.raises(ValidationError) as error:
        services.add_milestone(
            partnership=partnership, phase="launch", title="X", due_on=dt.date(2030, 1, 1), by=None
        )

    assert list(error.value.message_dict) == ["phase"]
    assert PartnershipMilestone.objects.count() == 0


def test_reach_milestone_of_a_phase_not_started_is_refused(partnership):
    milestone = services.add_milestone(
        partnership=partnership,
        phase=PartnershipPhase.INVESTMENT,
        title="First investment",
        due_on=dt.date(2030, 1, 1),
        by=None,
    )

    with pytest.raises(ValidationError) as error:
        services.reach_milestone(milestone=milestone, by=None)

    assert error.value.code == "phase_not_started"
    milestone.refresh_from_db()
    assert milestone.reached_on is None


def test_reach_milestone_twice_or_in_the_future_is_refused(partnership):
    milestone = services.add_milestone(
        partnership=partnership,
        phase=PartnershipPhase.PREPARATORY,
        title="Kick-off",
        due_on=dt.date(2030, 1, 1),
        by=None,
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as future:
        services.reach_milestone(milestone=milestone, by=None, reached_on=tomorrow)
    services.reach_milestone(milestone=milestone, by=None)
    with pytest.raises(ValidationError) as again:
        services.reach_milestone(milestone=milestone, by=None)

    assert list(future.value.message_dict) == ["reached_on"]
    assert again.value.code == "already_reached"
    milestone.refresh_from_db()
    assert milestone.reached_on == timezone.localdate()


def test_add_outcome_is_stored_and_audited(partnership):
    outcome = services.add_outcome(
        partnership=partnership,
        kind=OutcomeKind.INVESTMENT,
        description="Pilot line co-financed by two regions.",
        achieved_on=dt.date(2024, 6, 1),
        amount=Decimal("2500000.00"),
        by=StaffFactory(),
    )

    assert PartnershipOutcome.objects.get().pk == outcome.pk
    assert AuditEntry.objects.get(action="partnership.outcome_added").data == {
        "outcome": outcome.pk,
        "kind": "investment",
        "amount": "2500000.00",
    }


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "award"}, "kind"),
        ({"amount": Decimal("-1")}, "amount"),
        ({"description": "   "}, "description"),
        ({"achieved_on": dt.date.today() + dt.timedelta(days=2)}, "achieved_on"),
    ],
)
def test_add_outcome_bad_input_is_refused(partnership, kwargs, field):
    values = {
        "kind": OutcomeKind.AGREEMENT,
        "description": "Agreement signed.",
        "achieved_on": dt.date(2024, 6, 1),
        "amount": None,
    } | kwargs

    with pytest.raises(ValidationError) as error:
        services.add_outcome(partnership=partnership, by=None, **values)

    assert list(error.value.message_dict) == [field]
    assert PartnershipOutcome.objects.count() == 0


def test_members_are_unique_even_if_the_lead_is_listed_as_partner():
    lead = OrganisationFactory()
    expression = ExpressionFactory(lead=lead, state=ExpressionState.SELECTED)
    ExpressionPartnerFactory(expression=expression, organisation=lead, state=PartnerState.CONFIRMED)

    partnership = services.start_partnership(expression=expression, by=None)

    assert partnership.members.count() == 1
