import datetime as dt
from decimal import Decimal as D

from partnerships.ranking import Candidate, Criterion, rank

RELEVANCE = Criterion(id=1, name="Relevance", weight=D(2), pass_mark=D(3))
IMPACT = Criterion(id=2, name="Impact", weight=D(1), pass_mark=D("2.5"))
CRITERIA = [RELEVANCE, IMPACT]
DAY = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def candidate(pk, individual=None, consensus=None, budget=100, submitted=0):
    return Candidate(
        id=pk,
        title=f"Consortium {pk}",
        budget_requested=D(budget),
        submitted_at=DAY + dt.timedelta(hours=submitted),
        individual=individual or {},
        consensus=consensus or {},
    )


def test_rank_weights_consensus_scores_over_reviewer_means():
    with_consensus = candidate(
        1, individual={1: [D(5), D(3)], 2: [D(4), D(4)]}, consensus={1: D(3)}
    )
    result = rank([with_consensus], CRITERIA, budget=1000)
    (row,) = result.rows
    assert row.scores == {1: D("3.00"), 2: D("4.00")}
    assert row.total == D("10.00")  # 2 x 3 + 1 x 4
    assert result.max_total == D(15)
    assert result.criteria == [RELEVANCE, IMPACT]
    assert row.passed is True


def test_rank_mean_and_spread_are_of_the_reviewers_weighted_totals():
    row = rank([candidate(1, individual={1: [D(5), D(3)], 2: [D(4), D(2)]})], CRITERIA, budget=0)
    (row,) = row.rows
    # Reviewer totals: 2x5+4 = 14 and 2x3+2 = 8.
    assert (row.mean, row.spread, row.reviews) == (D("11.00"), D("3.00"), 2)
    assert row.total == D("11.00")


def test_rank_fails_below_any_pass_mark_whatever_the_total():
    strong_but_failing = candidate(1, consensus={1: D(5), 2: D(2)})  # total 12
    weak_but_passing = candidate(2, consensus={1: D(3), 2: D(3)})  # total 9
    result = rank([strong_but_failing, weak_but_passing], CRITERIA, budget=1000)
    assert [r.id for r in result.rows] == [2, 1]
    assert [(r.rank, r.passed, r.failed_criteria) for r in result.rows] == [
        (1, True, []),
        (2, False, ["Impact"]),
    ]
    assert result.rows[1].cumulative_budget is None


def test_rank_at_the_pass_mark_passes():
    result = rank([candidate(1, consensus={1: D(3), 2: D("2.5")})], CRITERIA, budget=0)
    assert result.rows[0].passed is True


def test_rank_breaks_ties_by_earlier_submission_then_id():
    scores = {1: D(4), 2: D(4)}
    later = candidate(1, consensus=scores, submitted=5)
    earlier = candidate(2, consensus=scores, submitted=1)
    same_time_higher_id = candidate(3, consensus=scores, submitted=1)
    result = rank([same_time_higher_id, later, earlier], CRITERIA, budget=1000)
    assert [r.id for r in result.rows] == [2, 3, 1]
    assert [r.rank for r in result.rows] == [1, 2, 3]


def test_rank_draws_the_budget_line_after_the_last_fully_covered_expression():
    rows = [
        candidate(1, consensus={1: D(5), 2: D(5)}, budget=400),
        candidate(2, consensus={1: D(4), 2: D(4)}, budget=400),
        candidate(3, consensus={1: D(3), 2: D(3)}, budget=300),
        candidate(4, consensus={1: D(3), 2: D(1)}, budget=50),  # fails
    ]
    result = rank(rows, CRITERIA, budget=1000)
    assert [(r.id, r.cumulative_budget, r.within_budget) for r in result.rows] == [
        (1, D(400), True),
        (2, D(800), True),
        (3, D(1100), False),
        (4, None, False),
    ]
    assert result.budget_line_after == 1
    assert [r.budget_line_before for r in result.rows] == [False, False, True, False]
    assert [r.id for r in result.funded] == [1, 2]


def test_rank_without_a_line_when_the_budget_covers_everything():
    result = rank([candidate(1, consensus={1: D(5), 2: D(5)}, budget=10)], CRITERIA, budget=10)
    assert result.budget_line_after is None
    assert result.rows[0].within_budget is True


def test_rank_puts_unscored_expressions_last_without_a_rank():
    scored = candidate(1, consensus={1: D(1), 2: D(1)})
    half_scored = candidate(2, individual={1: [D(5)]})
    result = rank([half_scored, scored], CRITERIA, budget=0)
    assert [(r.id, r.rank, r.complete, r.total) for r in result.rows] == [
        (1, 1, True, D("3.00")),
        (2, None, False, None),
    ]
