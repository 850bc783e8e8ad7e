"""The heuristic: a most-constrained-first greedy, ejection chains, Kempe-chain swaps and a
large-neighbourhood search."""

import random
import time

from events.scheduling.instance import Schedule, _Problem

FREE = -1
# Deeper chains find more room but cost exponentially more; three levels reach nearly every
# meeting an exact solver would place, on the event sizes we see, in well under a second.
MAX_CHAIN_DEPTH = 3
DEFAULT_TIME_BUDGET = 3.0
# The local search stops after this many moves in a row that found nothing better.
MAX_STALE_MOVES = 2000


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
