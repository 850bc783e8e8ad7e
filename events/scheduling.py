"""Place accepted meeting requests into time slots and tables.

Pure core: plain dataclasses in, plain dicts out, no Django and no ORM, so the scheduler can be
tested and benchmarked alone. A service loads an event's accepted requests, availability and
existing bookings, calls `schedule`, and writes the result.

The problem is edge colouring of a multigraph: participants are vertices, meetings are edges
(or small hyperedges for three-way meetings), slots are colours. A participant sits in at most
one meeting per slot, only in slots they are available, and a slot holds at most as many
meetings as there are tables. Tables are interchangeable within a slot, so slots are chosen
first and table numbers handed out afterwards.

The objective is lexicographic: place as many must-meet meetings as possible, then as many
meetings in total. "No thanks" meetings are never placed (unless already booked).

`schedule` is a most-constrained-first greedy followed by ejection chains (move the meetings
that block a slot to other slots, recursively, to a bounded depth). `optimum` gives the exact
optimum of small instances and a valid upper bound (the LP relaxation) of large ones, both with
HiGHS through SciPy, so the heuristic can be measured against it.
"""

import math
import random
import time
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

FREE = -1
# Deeper chains find more room but cost exponentially more; three levels reach nearly every
# meeting an exact solver would place, on the event sizes we see, in well under a second.
MAX_CHAIN_DEPTH = 3
DEFAULT_TIME_BUDGET = 3.0
# The local search stops after this many moves in a row that found nothing better.
MAX_STALE_MOVES = 2000


class Priority(StrEnum):
    MUST = "must"
    MEET = "meet"
    # Someone declined the meeting: it is never scheduled, only reported as unplaced.
    NO_THANKS = "no_thanks"


@dataclass(frozen=True)
class Meeting:
    id: Hashable
    participants: tuple
    priority: Priority = Priority.MEET


@dataclass(frozen=True)
class Instance:
    """One event's scheduling problem.

    `tables` is a count (tables are then numbered 1..n) or a sequence of table ids.
    `availability` maps a participant to the slots they can attend; a participant who is
    missing attends every slot. `fixed` maps a meeting id to the (slot, table) that
    participants have already booked: those are kept exactly as they are.
    """

    slots: Sequence
    tables: int | Sequence
    meetings: Sequence[Meeting]
    availability: Mapping = field(default_factory=dict)
    fixed: Mapping = field(default_factory=dict)

    @property
    def table_ids(self):
        if isinstance(self.tables, int):
            return list(range(1, self.tables + 1))
        return list(self.tables)


@dataclass(frozen=True)
class Schedule:
    placements: dict  # meeting id -> (slot, table), fixed bookings included
    unplaced: tuple  # meeting ids, in input order
    stats: dict


@dataclass(frozen=True)
class Optimum:
    """What the best schedule could achieve.

    `must` is the most must-meet meetings any schedule places and `total` the most meetings
    any schedule places, priorities ignored (the two may come from different schedules).
    With `exact` both are proven optima and `lexicographic_total` is the most meetings placed
    by a schedule that places `must` must-meets; otherwise both are upper bounds (LP
    relaxation) and `lexicographic_total` is None.
    """

    must: int
    total: int
    exact: bool
    lexicographic_total: int | None = None
    seconds: float = 0.0


class _Problem:
    """Indexes an instance into integer arrays that the solver and the ILP share."""

    def __init__(self, instance):
        self.instance = instance
        self.slots = list(instance.slots)
        self.slot_index = {slot: index for index, slot in enumerate(self.slots)}
        if len(self.slot_index) != len(self.slots):
            raise ValueError("Slot ids must be unique.")
        self.table_ids = instance.table_ids
        if len(set(self.table_ids)) != len(self.table_ids):
            raise ValueError("Table ids must be unique.")
        self.capacity = len(self.table_ids)
        self.meetings = list(instance.meetings)
        self.meeting_index = {}
        for index, meeting in enumerate(self.meetings):
            if meeting.id in self.meeting_index:
                raise ValueError(f"Meeting {meeting.id!r} appears twice.")
            if not meeting.participants or len(set(meeting.participants)) != len(
                meeting.participants
            ):
                raise ValueError(f"Meeting {meeting.id!r} needs distinct participants.")
            self.meeting_index[meeting.id] = index

        people = {}
        for meeting in self.meetings:
            for person in meeting.participants:
                people.setdefault(person, len(people))
        self.people = people
        self.parts = [tuple(people[p] for p in m.participants) for m in self.meetings]
        self.must = [m.priority == Priority.MUST for m in self.meetings]

        every_slot = set(range(len(self.slots)))
        available = []
        for person in people:
            slots = instance.availability.get(person)
            if slots is None:
                available.append(every_slot)
            else:
                available.append({self.slot_index[s] for s in slots if s in self.slot_index})
        self.feasible = [
            sorted(set.intersection(*(available[p] for p in parts)))
            if meeting.priority != Priority.NO_THANKS
            else []
            for meeting, parts in zip(self.meetings, self.parts, strict=True)
        ]

        self.fixed = {}  # meeting index -> (slot index, table id)
        seen_people, seen_tables = set(), set()
        table_set = set(self.table_ids)
        for meeting_id, (slot, table) in instance.fixed.items():
            if meeting_id not in self.meeting_index:
                raise ValueError(f"Fixed booking for unknown meeting {meeting_id!r}.")
            if slot not in self.slot_index:
                raise ValueError(f"Fixed booking {meeting_id!r} uses unknown slot {slot!r}.")
            if table not in table_set:
                raise ValueError(f"Fixed booking {meeting_id!r} uses unknown table {table!r}.")
            m, s = self.meeting_index[meeting_id], self.slot_index[slot]
            if (s, table) in seen_tables:
                raise ValueError(f"Table {table!r} is booked twice in slot {slot!r}.")
            seen_tables.add((s, table))
            for p in self.parts[m]:
                if (p, s) in seen_people:
                    raise ValueError(f"A participant is booked twice in slot {slot!r}.")
                seen_people.add((p, s))
            self.fixed[m] = (s, table)
        self.fixed_busy = seen_people
        self.fixed_load = [0] * len(self.slots)
        for s, _table in self.fixed.values():
            self.fixed_load[s] += 1

    def open_slots(self, m):
        """Slots a movable meeting could take if nothing else but fixed bookings were placed."""
        return [
            s
            for s in self.feasible[m]
            if self.fixed_load[s] < self.capacity
            and not any((p, s) in self.fixed_busy for p in self.parts[m])
        ]


class _Solver:
    def __init__(self, problem, deadline):
        self.problem = problem
        self.deadline = deadline
        self.capacity = problem.capacity
        self.parts = problem.parts
        self.feasible = [problem.open_slots(m) for m in range(len(problem.meetings))]
        self.feasible_set = [set(slots) for slots in self.feasible]
        self.busy = [[FREE] * len(problem.slots) for _ in problem.people]
        self.load = [0] * len(problem.slots)
        self.members = [{} for _ in problem.slots]  # dicts as insertion-ordered sets
        self.slot_of = [FREE] * len(problem.meetings)
        self.placed = 0
        self.must_placed = 0
        self.is_must = problem.must
        self.meetings_of = [[] for _ in problem.people]
        for m, parts in enumerate(self.parts):
            if m not in problem.fixed:
                for p in parts:
                    self.meetings_of[p].append(m)
        self.pinned = [False] * len(problem.meetings)
        self.active = set()  # the meetings the current phase may place
        self.log = []
        for m, (s, _table) in problem.fixed.items():
            self.assign(m, s)
            self.pinned[m] = True
        self.log.clear()

    def assign(self, m, s):
        for p in self.parts[m]:
            self.busy[p][s] = m
        self.load[s] += 1
        self.members[s][m] = None
        self.slot_of[m] = s
        self.placed += 1
        self.must_placed += self.is_must[m]
        self.log.append((m, s, True))

    def unassign(self, m):
        s = self.slot_of[m]
        for p in self.parts[m]:
            self.busy[p][s] = FREE
        self.load[s] -= 1
        del self.members[s][m]
        self.slot_of[m] = FREE
        self.placed -= 1
        self.must_placed -= self.is_must[m]
        self.log.append((m, s, False))

    def rollback(self, mark):
        while len(self.log) > mark:
            m, s, assigned = self.log.pop()
            if assigned:
                self.unassign(m)
            else:
                self.assign(m, s)
            self.log.pop()

    def blockers(self, m, s):
        """Movable meetings that share a participant with `m` in slot `s`, or None if a
        pinned meeting (fixed booking or one already moved in this chain) is in the way."""
        found = []
        for p in self.parts[m]:
            other = self.busy[p][s]
            if other != FREE:
                if self.pinned[other]:
                    return None
                if other not in found:
                    found.append(other)
        return found

    def fits(self, m, s):
        return self.load[s] < self.capacity and all(self.busy[p][s] == FREE for p in self.parts[m])

    def movable(self, m, away_from):
        """Whether placed meeting `m` has a free slot other than its own and `away_from`."""
        own = self.slot_of[m]
        return any(t != own and t != away_from and self.fits(m, t) for t in self.feasible[m])

    def greedy(self, order):
        for m in order:
            if self.slot_of[m] != FREE:
                continue
            best = None
            for s in self.feasible[m]:
                # The emptiest slot keeps room everywhere for the meetings still to come.
                if self.fits(m, s) and (best is None or self.load[s] < self.load[best]):
                    best = s
            if best is not None:
                self.assign(m, best)

    def insert(self, m, depth):
        """Place `m`, moving blocking meetings along chains of at most `depth` moves."""
        if depth == 0:
            for s in self.feasible[m]:
                if self.fits(m, s):
                    self.assign(m, s)
                    return True
            return False
        for s in self.feasible[m]:
            if self.load[s] > self.capacity:
                # Mid-chain this slot already waits for an eviction; never stack a second.
                continue
            found = self.blockers(m, s)
            if found is None:
                continue
            full = self.load[s] - len(found) >= self.capacity
            # Cheap tests before moving anything: at the last level each blocker needs a free
            # slot, and evicting from a full slot is left to deeper chains.
            if depth == 1 and (full or not all(self.movable(o, s) for o in found)):
                continue
            mark = len(self.log)
            for other in found:
                self.unassign(other)
            self.assign(m, s)
            self.pinned[m] = True
            placed = all(self.insert(other, depth - 1) for other in found)
            if placed and full:
                placed = self._evict_one(s, depth - 1)
            self.pinned[m] = False
            if placed:
                return True
            self.rollback(mark)
        return False

    def _evict_one(self, s, depth):
        for other in list(self.members[s]):
            if self.pinned[other] or (depth == 0 and not self.movable(other, s)):
                continue
            mark = len(self.log)
            self.unassign(other)
            if self.insert(other, depth):
                return True
            self.rollback(mark)
        return False

    def swap(self, m):
        """Place `m` in a slot by exchanging two slots along a Kempe chain.

        In the meetings of slots a and b, the ones linked through shared participants form a
        component; every participant in it has at most one meeting in each of the two slots,
        so swapping the whole component never double-books anyone. Swapping the component
        that holds the meetings blocking `m` in slot a can free a for `m`; chains have no
        length limit, which is what bounded-depth moves miss.
        """
        for a in self.feasible[m]:
            if self.load[a] > self.capacity:
                continue
            found = self.blockers(m, a)
            if not found:
                continue
            for b in range(len(self.load)):
                if b == a:
                    continue
                component = self.component(found, a, b)
                if component is None:
                    continue
                to_b = sum(1 for x in component if self.slot_of[x] == a)
                to_a = len(component) - to_b
                if self.load[b] + to_b - to_a > self.capacity:
                    continue
                if self.load[a] - to_b + to_a + 1 > self.capacity:
                    continue
                mark = len(self.log)
                moves = [(x, b if self.slot_of[x] == a else a) for x in component]
                for x, _target in moves:
                    self.unassign(x)
                for x, target in moves:
                    self.assign(x, target)
                if all(self.busy[p][a] == FREE for p in self.parts[m]):
                    self.assign(m, a)
                    return True
                self.rollback(mark)
        return False

    def component(self, start, a, b):
        """Meetings in slots a and b linked to `start` by shared participants, or None if
        one of them is pinned or cannot attend the other slot."""
        seen = dict.fromkeys(start)
        queue = list(start)
        while queue:
            x = queue.pop()
            if self.pinned[x]:
                return None
            other = b if self.slot_of[x] == a else a
            if other not in self.feasible_set[x]:
                return None
            for p in self.parts[x]:
                for y in (self.busy[p][a], self.busy[p][b]):
                    if y != FREE and y not in seen:
                        seen[y] = None
                        queue.append(y)
        return list(seen)

    def score(self):
        return self.must_placed, self.placed

    def perturb(self, m, rng, depth):
        """Put unplaced `m` into a random slot, push out what is in the way, then repair
        around the people it touched. Returns False if the chosen slot cannot take `m`; the
        caller then rolls the log back.

        Trading one placed meeting for another changes nothing by itself, but it frees a
        different participant, whose own waiting meetings may then fit: that alternating
        exchange is how popular participants' limited slots go to the right partners.
        """
        slots = self.feasible[m]
        if not slots:
            return False
        s = rng.choice(slots)
        if self.load[s] > self.capacity:
            return False
        found = self.blockers(m, s)
        if found is None:
            return False
        for other in found:
            self.unassign(other)
        if self.load[s] >= self.capacity:
            spare = [o for o in self.members[s] if not self.pinned[o]]
            if not spare:
                return False
            victim = rng.choice(spare)
            self.unassign(victim)
            found.append(victim)
        self.assign(m, s)
        self.pinned[m] = True
        touched = {p for other in found for p in self.parts[other]}
        for other in found:
            self.insert(other, depth)
        for p in sorted(touched):
            for other in self.meetings_of[p]:
                if self.slot_of[other] == FREE and other in self.active:
                    self.insert(other, depth)
        self.pinned[m] = False
        return True

    def out_of_time(self):
        return time.perf_counter() > self.deadline


def schedule(
    instance,
    *,
    time_budget=DEFAULT_TIME_BUDGET,
    max_depth=MAX_CHAIN_DEPTH,
    max_stale=MAX_STALE_MOVES,
    seed=0,
):
    """Place as many must-meet meetings as possible, then as many meetings as possible.

    Deterministic: the same instance gives the same schedule (the time budget only cuts the
    improvement phase short on instances far bigger than an event).
    """
    started = time.perf_counter()
    problem = _Problem(instance)
    solver = _Solver(problem, started + time_budget)
    movable = [m for m in range(len(problem.meetings)) if m not in problem.fixed]

    degree = [0] * len(problem.people)
    for m in movable:
        for p in problem.parts[m]:
            degree[p] += 1

    def difficulty(m):
        # Scarce slots first, then meetings between busy people: those are hardest to fit later.
        return (
            not problem.must[m],
            len(solver.feasible[m]),
            -sum(degree[p] for p in problem.parts[m]),
            m,
        )

    total_capacity = solver.capacity * len(problem.slots)
    rng = random.Random(seed)

    def improve(waiting, depth):
        improved = False
        for m in sorted(waiting, key=difficulty):
            if solver.out_of_time() or solver.placed >= total_capacity:
                break
            if solver.slot_of[m] == FREE and (solver.insert(m, depth) or solver.swap(m)):
                improved = True
            solver.log.clear()
        return improved

    def search(candidates):
        """Large-neighbourhood search: random exchanges are kept when the score does not
        drop, so the search walks across equally good schedules to better ones."""
        best = solver.score()
        stale = 0
        while stale < max_stale and not solver.out_of_time():
            waiting = [m for m in candidates if solver.slot_of[m] == FREE]
            if not waiting or solver.placed >= total_capacity:
                return
            mark = len(solver.log)
            if not solver.perturb(rng.choice(waiting), rng, 1):
                solver.rollback(mark)
                stale += 1
                continue
            current = solver.score()
            if current < best:
                solver.rollback(mark)
                stale += 1
            else:
                stale = 0 if current > best else stale + 1
                best = current
            solver.log.clear()

    # Must-meets alone first; the meet-priority meetings then fill what is left, and no later
    # move lowers the number of must-meets placed.
    must = [m for m in movable if problem.must[m]]
    for candidates in (must, movable):
        solver.active = set(candidates)
        solver.greedy(sorted(candidates, key=difficulty))
        solver.log.clear()
        for depth in range(1, max_depth + 1):
            improve([m for m in candidates if solver.slot_of[m] == FREE], depth)
        search(candidates)

    placements = {}
    for s, members in enumerate(solver.members):
        taken = {problem.fixed[m][1] for m in members if m in problem.fixed}
        free_tables = iter(t for t in problem.table_ids if t not in taken)
        slot = problem.slots[s]
        for m in sorted(members):
            meeting_id = problem.meetings[m].id
            if m in problem.fixed:
                placements[meeting_id] = (slot, problem.fixed[m][1])
            else:
                placements[meeting_id] = (slot, next(free_tables))
    placements = {
        meeting.id: placements[meeting.id]
        for meeting in problem.meetings
        if meeting.id in placements
    }
    unplaced = tuple(m.id for m in problem.meetings if m.id not in placements)
    must_total = sum(problem.must)
    must_placed = sum(
        1
        for m, meeting in enumerate(problem.meetings)
        if problem.must[m] and meeting.id in placements
    )
    stats = {
        "meetings": len(problem.meetings),
        "placed": len(placements),
        "must_total": must_total,
        "must_placed": must_placed,
        "fixed": len(problem.fixed),
        "seconds": time.perf_counter() - started,
    }
    return Schedule(placements=placements, unplaced=unplaced, stats=stats)


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


def generate_instance(
    *,
    participants,
    requests,
    slots,
    tables,
    seed=0,
    must_share=0.25,
    fixed_share=0.05,
    partial_share=0.3,
    group_share=0.02,
):
    """A synthetic event shaped like real ones.

    Popularity is skewed (a few participants attract many requests), a share of participants
    arrive late or leave early, a few meetings have three participants, about a quarter of the
    requests are must-meets and some meetings were already booked by the participants.
    """
    rng = random.Random(seed)
    people = list(range(1, participants + 1))
    popularity = [rng.lognormvariate(0, 1) for _ in people]
    slot_ids = list(range(1, slots + 1))

    availability = {}
    for person in people:
        if rng.random() < partial_share:
            length = rng.randint(max(1, slots // 2), max(1, slots - 1))
            start = rng.randint(0, slots - length)
            availability[person] = set(slot_ids[start : start + length])

    meetings, seen = [], set()
    attempts = 0
    while len(meetings) < requests and attempts < requests * 20:
        attempts += 1
        size = 3 if rng.random() < group_share else 2
        group = {rng.choice(people)}
        while len(group) < size:
            group.add(rng.choices(people, weights=popularity)[0])
        key = frozenset(group)
        if key in seen:
            continue
        seen.add(key)
        priority = Priority.MUST if rng.random() < must_share else Priority.MEET
        meetings.append(
            Meeting(id=len(meetings) + 1, participants=tuple(sorted(group)), priority=priority)
        )

    fixed, busy, used = {}, set(), set()
    for meeting in rng.sample(meetings, round(len(meetings) * fixed_share)):
        slot = rng.choice(slot_ids)
        table = rng.randint(1, tables)
        if (slot, table) in used or any((p, slot) in busy for p in meeting.participants):
            continue
        if any(slot not in availability.get(p, slot_ids) for p in meeting.participants):
            continue
        used.add((slot, table))
        busy.update((p, slot) for p in meeting.participants)
        fixed[meeting.id] = (slot, table)

    return Instance(
        slots=slot_ids,
        tables=tables,
        meetings=meetings,
        availability=availability,
        fixed=fixed,
    )


def violations(instance, result):
    """Every way `result` breaks the rules of `instance`, as readable sentences (none: valid)."""
    problems = []
    meetings = {meeting.id: meeting for meeting in instance.meetings}
    slots = set(instance.slots)
    tables = set(instance.table_ids)
    people_at, tables_at = {}, {}
    for meeting_id, (slot, table) in result.placements.items():
        meeting = meetings.get(meeting_id)
        if meeting is None:
            problems.append(f"Unknown meeting {meeting_id!r} is placed.")
            continue
        if slot not in slots or table not in tables:
            problems.append(f"Meeting {meeting_id!r} is at an unknown slot or table.")
        fixed = instance.fixed.get(meeting_id)
        if fixed is not None and tuple(fixed) != (slot, table):
            problems.append(f"Fixed booking {meeting_id!r} was moved.")
        if (slot, table) in tables_at:
            problems.append(f"Table {table!r} holds two meetings in slot {slot!r}.")
        tables_at[slot, table] = meeting_id
        for person in meeting.participants:
            if (person, slot) in people_at:
                problems.append(f"Participant {person!r} has two meetings in slot {slot!r}.")
            people_at[person, slot] = meeting_id
            available = instance.availability.get(person)
            if fixed is None and available is not None and slot not in available:
                problems.append(f"Participant {person!r} is not available in slot {slot!r}.")
    for meeting_id in instance.fixed:
        if meeting_id not in result.placements:
            problems.append(f"Fixed booking {meeting_id!r} was dropped.")
    expected = [m.id for m in instance.meetings if m.id not in result.placements]
    if list(result.unplaced) != expected:
        problems.append("The unplaced list does not match the placements.")
    return problems
