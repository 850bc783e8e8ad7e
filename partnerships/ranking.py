"""The ranking of one review stage, as plain functions over plain data (no ORM).

A criterion counts with its consensus score when the moderator has written one, otherwise
with the mean of the submitted individual scores. An expression fails when any criterion is
below its pass mark. Passing expressions come first, by weighted total (highest first), then
by earlier submission and lower id, so equal totals always rank the same way. The requested
budgets of passing expressions add up down the table; the budget line falls after the last
one the call's budget still covers in full.
"""

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Criterion:
    id: int
    name: str
    weight: Decimal
    pass_mark: Decimal


@dataclass
class Candidate:
    id: int
    title: str
    budget_requested: Decimal | None
    submitted_at: object = None
    # {criterion id: [score of each submitted review]}
    individual: dict = field(default_factory=dict)
    # {criterion id: consensus score}
    consensus: dict = field(default_factory=dict)


@dataclass
class RankedRow:
    candidate: Candidate
    rank: int | None
    scores: dict  # {criterion id: the score that counts, or None}
    total: Decimal | None
    passed: bool
    complete: bool
    failed_criteria: list
    mean: Decimal | None
    spread: Decimal | None
    reviews: int
    cumulative_budget: Decimal | None = None
    within_budget: bool = False
    # The first passing row the budget no longer covers: the budget line is drawn above it.
    budget_line_before: bool = False

    @property
    def id(self):
        return self.candidate.id


@dataclass
class Ranking:
    rows: list
    max_total: Decimal
    budget: Decimal
    # Index in `rows` after which the budget runs out; None when every passing row fits.
    budget_line_after: int | None
    criteria: list = field(default_factory=list)

    @property
    def funded(self):
        return [row for row in self.rows if row.within_budget]


def _q(value):
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _mean(values):
    return sum(values, Decimal(0)) / len(values)


def counted_scores(candidate, criteria):
    """{criterion id: consensus score, else mean of individual scores, else None}."""
    scores = {}
    for criterion in criteria:
        if criterion.id in candidate.consensus:
            scores[criterion.id] = Decimal(candidate.consensus[criterion.id])
        elif candidate.individual.get(criterion.id):
            scores[criterion.id] = _mean([Decimal(s) for s in candidate.individual[criterion.id]])
        else:
            scores[criterion.id] = None
    return scores


def weighted_total(scores, criteria):
    return sum((criterion.weight * scores[criterion.id] for criterion in criteria), Decimal(0))


def reviewer_totals(candidate, criteria):
    """Each submitted review's weighted total, from the individual scores in review order."""
    counts = {len(candidate.individual.get(c.id, [])) for c in criteria}
    reviews = min(counts) if counts else 0
    return [
        sum(
            (c.weight * Decimal(candidate.individual[c.id][index]) for c in criteria),
            Decimal(0),
        )
        for index in range(reviews)
    ]


def score_row(candidate, criteria):
    scores = counted_scores(candidate, criteria)
    complete = bool(criteria) and all(score is not None for score in scores.values())
    failed = [c.name for c in criteria if scores[c.id] is not None and scores[c.id] < c.pass_mark]
    totals = reviewer_totals(candidate, criteria)
    return RankedRow(
        candidate=candidate,
        rank=None,
        scores={key: (_q(value) if value is not None else None) for key, value in scores.items()},
        total=_q(weighted_total(scores, criteria)) if complete else None,
        passed=complete and not failed,
        complete=complete,
        failed_criteria=failed,
        mean=_q(_mean(totals)) if totals else None,
        spread=_q(statistics.pstdev(totals)) if len(totals) > 1 else (_q(0) if totals else None),
        reviews=len(totals),
    )


def _order_key(row):
    submitted = row.candidate.submitted_at
    return (
        0 if row.passed else (1 if row.complete else 2),
        -(row.total if row.total is not None else Decimal(0)),
        (submitted is None, submitted or 0),
        row.candidate.id,
    )


def rank(candidates, criteria, *, budget):
    """Score, order and place the budget line over `candidates` for one stage."""
    criteria = list(criteria)
    rows = sorted((score_row(c, criteria) for c in candidates), key=_order_key)
    budget = Decimal(budget)
    cumulative = Decimal(0)
    line_after = None
    still_within = True
    for index, row in enumerate(rows):
        if row.complete:
            row.rank = index + 1
        if not row.passed:
            continue
        cumulative += Decimal(row.candidate.budget_requested or 0)
        row.cumulative_budget = cumulative
        row.within_budget = still_within and cumulative <= budget
        if still_within and not row.within_budget:
            still_within = False
            row.budget_line_before = True
            line_after = index - 1
    return Ranking(
        rows=rows,
        max_total=sum((c.weight * 5 for c in criteria), Decimal(0)),
        budget=budget,
        budget_line_after=line_after,
        criteria=criteria,
    )
