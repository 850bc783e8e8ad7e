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


def generate_preference_instance(
    *, participants, days, slots_per_day, tables, wishes=6, seed=0, partial_share=0.3
):
    """An event scheduled from the participants' wishes rather than accepted requests.

    Each participant wishes to meet `wishes` others, drawn with skewed popularity; a wish
    returned is a mutual one (a must-meet), a wish not returned is one-sided. Some people are
    there on only some of the days. Returns the instance and who wished whom.
    """
    rng = random.Random(seed)
    people = list(range(1, participants + 1))
    popularity = [rng.lognormvariate(0, 1) for _ in people]
    slot_ids = list(range(1, days * slots_per_day + 1))
    by_day = [slot_ids[d * slots_per_day : (d + 1) * slots_per_day] for d in range(days)]

    availability = {}
    for person in people:
        if days > 1 and rng.random() < partial_share:
            present = rng.sample(range(days), rng.randint(1, days - 1))
            availability[person] = {slot for day in present for slot in by_day[day]}

    wished = {}
    for person in people:
        chosen = set()
        while len(chosen) < wishes:
            other = rng.choices(people, weights=popularity)[0]
            if other != person:
                chosen.add(other)
        wished[person] = chosen

    meetings, seen = [], set()
    for person in people:
        for other in sorted(wished[person]):
            key = (min(person, other), max(person, other))
            if key in seen:
                continue
            seen.add(key)
            mutual = person in wished[other]
            meetings.append(
                Meeting(
                    id=len(meetings) + 1,
                    participants=key,
                    priority=Priority.MUST if mutual else Priority.MEET,
                )
            )
    instance = Instance(slots=slot_ids, tables=tables, meetings=meetings, availability=availability)
    return instance, wished


def spread(instance, result):
    """Meetings per participant who wished or was wished for: the fewest, the most, the mean,
    and the share with at least one."""
    counts = {}
    for meeting in instance.meetings:
        for person in meeting.participants:
            counts.setdefault(person, 0)
    participants = {meeting.id: meeting.participants for meeting in instance.meetings}
    for meeting_id in result.placements:
        for person in participants[meeting_id]:
            counts[person] += 1
    values = list(counts.values()) or [0]
    return {
        "min": min(values),
        "max": max(values),
        "mean": round(sum(values) / len(values), 2),
        "with_one_or_more": round(sum(1 for v in values if v) / len(values), 4),
    }


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
