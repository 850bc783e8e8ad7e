"""The scheduling problem's data types: an instance, its meetings, and the results.

`_Problem` indexes an instance into integer arrays for the solver and the bound.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


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
