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

from events.scheduling.bound import optimum
from events.scheduling.generated import (
    generate_instance,
    generate_preference_instance,
    spread,
    violations,
)
from events.scheduling.instance import Instance, Meeting, Optimum, Priority, Schedule
from events.scheduling.solver import DEFAULT_TIME_BUDGET, MAX_CHAIN_DEPTH, MAX_STALE_MOVES, schedule

__all__ = [
    "DEFAULT_TIME_BUDGET",
    "MAX_CHAIN_DEPTH",
    "MAX_STALE_MOVES",
    "Instance",
    "Meeting",
    "Optimum",
    "Priority",
    "Schedule",
    "generate_instance",
    "generate_preference_instance",
    "optimum",
    "schedule",
    "spread",
    "violations",
]
