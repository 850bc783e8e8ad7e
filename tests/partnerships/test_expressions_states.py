import itertools

import pytest
from django.core.exceptions import ValidationError

from partnerships.enums import (
    CALL_TRANSITIONS,
    EXPRESSION_TRANSITIONS,
    PARTNER_TRANSITIONS,
    CallState,
    ExpressionState,
    PartnerState,
)
from partnerships.statemachine import ensure_transition

E = ExpressionState
# Written out by hand from the issue, independently of the table in enums.py.
EXPRESSION_ALLOWED = {
    (E.DRAFT, E.SUBMITTED),
    (E.DRAFT, E.WITHDRAWN),
    (E.SUBMITTED, E.ELIGIBLE),
    (E.SUBMITTED, E.INELIGIBLE),
    (E.SUBMITTED, E.WITHDRAWN),
    (E.ELIGIBLE, E.STAGE1_PASSED),
    (E.ELIGIBLE, E.STAGE1_REJECTED),
    (E.ELIGIBLE, E.SELECTED),
    (E.ELIGIBLE, E.RESERVE),
    (E.ELIGIBLE, E.REJECTED),
    (E.STAGE1_PASSED, E.STAGE2_SUBMITTED),
    (E.STAGE1_PASSED, E.WITHDRAWN),
    (E.STAGE2_SUBMITTED, E.SELECTED),
    (E.STAGE2_SUBMITTED, E.RESERVE),
    (E.STAGE2_SUBMITTED, E.REJECTED),
    (E.STAGE2_SUBMITTED, E.WITHDRAWN),
    (E.RESERVE, E.SELECTED),
    (E.RESERVE, E.REJECTED),
}
C = CallState
CALL_ALLOWED = {
    (C.DRAFT, C.OPEN),
    (C.OPEN, C.CLOSED),
    (C.CLOSED, C.OPEN),
    (C.CLOSED, C.IN_EVALUATION),
    (C.IN_EVALUATION, C.DECIDED),
}
P = PartnerState
PARTNER_ALLOWED = {
    (P.INVITED, P.CONFIRMED),
    (P.INVITED, P.DECLINED),
    (P.CONFIRMED, P.DECLINED),
    (P.DECLINED, P.INVITED),
}


def _check(table, choices, allowed, current, to):
    if (current, to) in allowed:
        ensure_transition(table, current=current, to=to, choices=choices)
    else:
        with pytest.raises(ValidationError) as error:
            ensure_transition(table, current=current, to=to, choices=choices)
        assert error.value.code == "invalid_transition"


@pytest.mark.parametrize(("current", "to"), list(itertools.product(E.values, E.values)))
def test_expression_transition_every_pair(current, to):
    _check(EXPRESSION_TRANSITIONS, E, EXPRESSION_ALLOWED, current, to)


@pytest.mark.parametrize(("current", "to"), list(itertools.product(C.values, C.values)))
def test_call_transition_every_pair(current, to):
    _check(CALL_TRANSITIONS, C, CALL_ALLOWED, current, to)


@pytest.mark.parametrize(("current", "to"), list(itertools.product(P.values, P.values)))
def test_partner_transition_every_pair(current, to):
    _check(PARTNER_TRANSITIONS, P, PARTNER_ALLOWED, current, to)


def test_expression_transitions_cover_every_state():
    assert set(EXPRESSION_TRANSITIONS) == set(E.values)
    assert set(CALL_TRANSITIONS) == set(C.values)
