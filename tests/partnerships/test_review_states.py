import itertools

import pytest
from django.core.exceptions import ValidationError

from partnerships.enums import (
    DECISION_TRANSITIONS,
    OUTBOX_TRANSITIONS,
    REVIEW_TRANSITIONS,
    DecisionState,
    OutboxState,
    ReviewState,
)
from partnerships.statemachine import ensure_transition

# Written out by hand, independently of the tables in enums.py.
REVIEW_ALLOWED = {(ReviewState.DRAFT, ReviewState.SUBMITTED)}
DECISION_ALLOWED = {(DecisionState.PENDING, DecisionState.RELEASED)}
OUTBOX_ALLOWED = {(OutboxState.PENDING, OutboxState.SENT)}

CASES = [
    (table, choices, allowed, current, to)
    for table, choices, allowed in (
        (REVIEW_TRANSITIONS, ReviewState, REVIEW_ALLOWED),
        (DECISION_TRANSITIONS, DecisionState, DECISION_ALLOWED),
        (OUTBOX_TRANSITIONS, OutboxState, OUTBOX_ALLOWED),
    )
    for current, to in itertools.product(choices, repeat=2)
]


@pytest.mark.parametrize(
    ("table", "choices", "allowed", "current", "to"),
    CASES,
    ids=[f"{c.__name__}:{a}->{b}" for _t, c, _al, a, b in CASES],
)
def test_review_state_machines_allow_exactly_the_listed_moves(table, choices, allowed, current, to):
    if (current, to) in allowed:
        ensure_transition(table, current=current, to=to, choices=choices)
    else:
        with pytest.raises(ValidationError) as error:
            ensure_transition(table, current=current, to=to, choices=choices)
        assert error.value.code == "invalid_transition"


def test_review_state_tables_cover_every_state():
    assert set(REVIEW_TRANSITIONS) == set(ReviewState)
    assert set(DECISION_TRANSITIONS) == set(DecisionState)
    assert set(OUTBOX_TRANSITIONS) == set(OutboxState)
