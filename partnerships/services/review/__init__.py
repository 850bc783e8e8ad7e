"""Writes of the review, one module per step: reviewer pools, conflicts of interest,
assignments, scores and consensus, decisions and the outbox of decision e-mails.
"""

from partnerships.services.review.assignment import (
    AssignmentReport,
    assign_reviewer,
    auto_assign,
    unassign,
)
from partnerships.services.review.common import (
    SCORE_STEP,
    StaleVersion,
)
from partnerships.services.review.conflicts import (
    Conflict,
    conflicts_for,
    declare_conflict,
)
from partnerships.services.review.decisions import (
    outcomes_for,
    propose_decisions,
    proposed_outcome,
    record_decision,
)
from partnerships.services.review.outbox import (
    release_decisions,
    send_outbox,
)
from partnerships.services.review.pool import (
    add_reviewer,
    remove_reviewer,
    set_same_country_rule,
)
from partnerships.services.review.redress import (
    handle_complaint,
    lodge_complaint,
    redress_deadline,
)
from partnerships.services.review.scoring import (
    parse_score,
    save_review,
    set_consensus,
    submit_review,
)

__all__ = [
    "handle_complaint",
    "lodge_complaint",
    "redress_deadline",
    "AssignmentReport",
    "Conflict",
    "SCORE_STEP",
    "StaleVersion",
    "add_reviewer",
    "assign_reviewer",
    "auto_assign",
    "conflicts_for",
    "declare_conflict",
    "outcomes_for",
    "parse_score",
    "propose_decisions",
    "proposed_outcome",
    "record_decision",
    "release_decisions",
    "remove_reviewer",
    "save_review",
    "send_outbox",
    "set_consensus",
    "set_same_country_rule",
    "submit_review",
    "unassign",
]
