"""The exact optimum (ILP) or the LP-relaxation upper bound, with HiGHS through SciPy."""

import math
import time

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from events.scheduling.instance import Optimum, _Problem


def _model(problem):
    """Variables x[m, s] for movable meetings in open slots, and the rows that bind them."""
    columns = [
        (m, s)
        for m in range(len(problem.meetings))
        if m not in problem.fixed
        for s in problem.open_slots(m)
    ]
    rows, cols, upper = [], [], []

    def add_row(indices, bound):
        row = len(upper)
        rows.extend([row] * len(indices))
        cols.extend(indices)
        upper.append(bound)

    by_meeting, by_person_slot, by_slot = {}, {}, {}
    for j, (m, s) in enumerate(columns):
        by_meeting.setdefault(m, []).append(j)
        by_slot.setdefault(s, []).append(j)
        for p in problem.parts[m]:
            by_person_slot.setdefault((p, s), []).append(j)
    for indices in by_meeting.values():
        if len(indices) > 1:
            add_row(indices, 1)
    for indices in by_person_slot.values():
        if len(indices) > 1:
            add_row(indices, 1)
    for s, indices in by_slot.items():
        room = problem.capacity - problem.fixed_load[s]
        if len(indices) > room:
            add_row(indices, room)
    matrix = sparse.csr_array((np.ones(len(cols)), (rows, cols)), shape=(len(upper), len(columns)))
    return columns, matrix, np.array(upper, dtype=float)


def _solve(columns, matrix, upper, weights, *, integral, time_limit):
    if not columns:
        return 0.0, np.zeros(0)
    # No relative gap: with lexicographic weights HiGHS's default gap (1e-4) would accept a
    # solution a few meet-priority meetings short of the optimum.
    options = {"disp": False, "mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = time_limit
    constraints = [LinearConstraint(matrix, -np.inf, upper)] if matrix.shape[0] else []
    result = milp(
        -np.asarray(weights, dtype=float),
        constraints=constraints,
        integrality=np.full(len(columns), 1 if integral else 0),
        bounds=Bounds(0, 1),
        options=options,
    )
    # Stopped early, neither the LP value nor the best integer solution is a valid figure.
    if result.status != 0 or result.x is None:
        raise RuntimeError(f"HiGHS did not prove optimality: {result.message}")
    return -result.fun, result.x


def optimum(instance, *, exact=False, time_limit=None):
    """The exact optimum (`exact=True`, small instances) or the LP-relaxation upper bound.

    Fixed bookings count as placed in every schedule.
    """
    started = time.perf_counter()
    problem = _Problem(instance)
    columns, matrix, upper = _model(problem)
    is_must = np.array([problem.must[m] for m, _s in columns], dtype=bool)
    fixed_must = sum(1 for m in problem.fixed if problem.must[m])
    fixed_total = len(problem.fixed)
    # Round down with a little slack: HiGHS objectives carry floating-point noise.
    tolerance = 1e-6

    if not exact:
        must, _ = _solve(columns, matrix, upper, is_must, integral=False, time_limit=time_limit)
        total, _ = _solve(
            columns, matrix, upper, np.ones(len(columns)), integral=False, time_limit=time_limit
        )
        return Optimum(
            must=fixed_must + math.floor(must + tolerance),
            total=fixed_total + math.floor(total + tolerance),
            exact=False,
            seconds=time.perf_counter() - started,
        )

    # Every must-meet outweighs all meet-priority meetings together: a lexicographic objective.
    weights = np.where(is_must, len(columns) + 1.0, 1.0)
    _, chosen = _solve(columns, matrix, upper, weights, integral=True, time_limit=time_limit)
    picked = chosen > 0.5
    total, _ = _solve(
        columns, matrix, upper, np.ones(len(columns)), integral=True, time_limit=time_limit
    )
    return Optimum(
        must=fixed_must + int(np.count_nonzero(picked & is_must)),
        total=fixed_total + round(total),
        exact=True,
        lexicographic_total=fixed_total + int(np.count_nonzero(picked)),
        seconds=time.perf_counter() - started,
    )
