"""Synthetic instances shaped like real events, and the checker for a schedule's rules."""

import random

from events.scheduling.instance import Instance, Meeting, Priority


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
