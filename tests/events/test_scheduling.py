import json
import random
from io import StringIO

import pytest
from django.core.management import call_command

from events.scheduling import (
    Instance,
    Meeting,
    Priority,
    Schedule,
    generate_instance,
    optimum,
    schedule,
    violations,
)

MUST, MEET = Priority.MUST, Priority.MEET


def random_instances(count, *, seed, max_participants):
    rng = random.Random(seed)
    for index in range(count):
        participants = rng.randint(6, max_participants)
        yield generate_instance(
            participants=participants,
            requests=rng.randint(participants, 4 * participants),
            slots=rng.randint(2, 8),
            tables=rng.randint(1, 15),
            seed=seed * 1000 + index,
            must_share=rng.choice([0.0, 0.25, 0.5]),
            fixed_share=rng.choice([0.0, 0.05, 0.2]),
            partial_share=rng.choice([0.0, 0.3, 0.7]),
            group_share=rng.choice([0.0, 0.1]),
        )


def assert_valid(instance, result):
    meetings = {meeting.id: meeting for meeting in instance.meetings}
    tables = set(instance.table_ids)
    seats, people = set(), set()
    for meeting_id, (slot, table) in result.placements.items():
        assert slot in instance.slots
        assert table in tables
        assert (slot, table) not in seats
        seats.add((slot, table))
        for person in meetings[meeting_id].participants:
            assert (person, slot) not in people
            people.add((person, slot))
            if meeting_id not in instance.fixed:
                assert slot in instance.availability.get(person, instance.slots)
    for meeting_id, booking in instance.fixed.items():
        assert result.placements[meeting_id] == booking
    placed = set(result.placements)
    assert sorted(placed | set(result.unplaced)) == sorted(meetings)
    assert placed.isdisjoint(result.unplaced)
    assert result.stats["placed"] == len(placed)
    assert violations(instance, result) == []


def test_schedule_random_instances_break_no_rule():
    checked = 0
    for instance in random_instances(40, seed=1, max_participants=80):
        result = schedule(instance, max_stale=200)

        assert_valid(instance, result)
        checked += 1
    assert checked == 40


def test_schedule_small_instances_reach_the_exact_optimum():
    at_optimum, compared = 0, 0
    for instance in random_instances(20, seed=2, max_participants=24):
        result = schedule(instance, max_stale=600)
        best = optimum(instance, exact=True)
        must_total = sum(m.priority == MUST for m in instance.meetings)

        assert_valid(instance, result)
        assert result.stats["must_placed"] <= best.must
        assert result.stats["placed"] <= best.total
        if best.must == must_total:
            assert result.stats["must_placed"] == must_total
        if result.stats["must_placed"] == best.must:
            assert best.lexicographic_total - 1 <= result.stats["placed"]
            assert result.stats["placed"] <= best.lexicographic_total
        compared += 1
        at_optimum += (result.stats["must_placed"], result.stats["placed"]) == (
            best.must,
            best.lexicographic_total,
        )
    assert compared == 20
    assert at_optimum >= 18


def test_optimum_lp_bound_is_never_below_the_exact_optimum():
    for instance in random_instances(8, seed=3, max_participants=20):
        exact = optimum(instance, exact=True)
        bound = optimum(instance)

        assert bound.exact is False
        assert bound.total >= exact.total
        assert bound.must >= exact.must
        assert exact.lexicographic_total <= exact.total


def test_schedule_same_input_gives_same_schedule():
    instance = generate_instance(participants=120, requests=400, slots=6, tables=20, seed=5)

    first = schedule(instance, max_stale=300)
    second = schedule(instance, max_stale=300)

    assert first.placements == second.placements
    assert first.unplaced == second.unplaced


def test_schedule_must_meet_wins_a_conflict_with_a_meet():
    instance = Instance(
        slots=["9:00"],
        tables=2,
        meetings=[
            Meeting(id="ab", participants=("a", "b"), priority=MEET),
            Meeting(id="ac", participants=("a", "c"), priority=MUST),
        ],
    )

    result = schedule(instance)

    assert result.placements == {"ac": ("9:00", 1)}
    assert result.unplaced == ("ab",)
    assert result.stats["must_placed"] == 1


def test_schedule_keeps_fixed_bookings_and_their_tables():
    instance = Instance(
        slots=[1, 2],
        tables=["T1", "T2"],
        meetings=[
            Meeting(id=1, participants=("a", "b")),
            Meeting(id=2, participants=("a", "c")),
            Meeting(id=3, participants=("d", "e")),
        ],
        fixed={1: (2, "T2")},
    )

    result = schedule(instance)

    assert result.placements == {1: (2, "T2"), 2: (1, "T1"), 3: (1, "T2")}
    assert result.unplaced == ()


def test_schedule_honours_availability_windows():
    instance = Instance(
        slots=[1, 2, 3],
        tables=1,
        meetings=[
            Meeting(id=1, participants=("a", "b")),
            Meeting(id=2, participants=("a", "c")),
            Meeting(id=3, participants=("d", "e")),
        ],
        availability={"b": {3}, "c": {2, 3}, "d": set()},
    )

    result = schedule(instance)

    assert result.placements == {1: (3, 1), 2: (2, 1)}
    assert result.unplaced == (3,)


def test_schedule_moves_a_meeting_to_make_room():
    # b can only attend slot 2, so b-d takes it and b-c cannot be placed. Greedy then puts a-c
    # in the emptier slot 1, where it blocks a-d; a-d fits only once a-c moves to slot 2.
    instance = Instance(
        slots=[1, 2],
        tables=3,
        meetings=[
            Meeting(id="bd", participants=("b", "d")),
            Meeting(id="ac", participants=("a", "c")),
            Meeting(id="bc", participants=("b", "c")),
            Meeting(id="ad", participants=("a", "d")),
        ],
        availability={"b": {2}},
    )

    greedy_only = schedule(instance, max_depth=0, max_stale=0)
    result = schedule(instance)

    assert greedy_only.stats["placed"] == 2
    assert result.placements == {"bd": (2, 1), "ac": (2, 2), "ad": (1, 1)}
    assert result.unplaced == ("bc",)
    assert optimum(instance, exact=True).total == 3


def test_instance_with_double_booked_fixed_bookings_is_rejected():
    instance = Instance(
        slots=[1],
        tables=2,
        meetings=[Meeting(id=1, participants=("a", "b")), Meeting(id=2, participants=("a", "c"))],
        fixed={1: (1, 1), 2: (1, 2)},
    )

    with pytest.raises(ValueError, match="booked twice in slot 1"):
        schedule(instance)


def test_violations_reports_every_broken_rule():
    instance = Instance(
        slots=[1, 2],
        tables=1,
        meetings=[
            Meeting(id=1, participants=("a", "b")),
            Meeting(id=2, participants=("a", "c")),
            Meeting(id=3, participants=("d", "e")),
        ],
        availability={"d": {1}},
        fixed={3: (1, 1)},
    )
    broken = Schedule(placements={1: (1, 1), 2: (1, 1), 3: (2, 1)}, unplaced=(), stats={})

    assert violations(instance, broken) == [
        "Table 1 holds two meetings in slot 1.",
        "Participant 'a' has two meetings in slot 1.",
        "Fixed booking 3 was moved.",
    ]


def test_bench_scheduling_prints_figures_and_a_json_line():
    out = StringIO()

    call_command(
        "bench_scheduling",
        "--participants=80",
        "--requests=240",
        "--slots=6",
        "--tables=10",
        "--small-participants=20",
        "--small-requests=50",
        "--small-slots=4",
        "--small-tables=6",
        stdout=out,
    )

    lines = out.getvalue().strip().splitlines()
    figures = json.loads(lines[-1])
    assert set(figures) == {
        "placed",
        "optimum_or_bound",
        "ratio",
        "seconds",
        "must_placed",
        "must_total",
        "must_bound",
        "bound_seconds",
        "small",
    }
    assert figures["placed"] <= figures["optimum_or_bound"] <= 60
    assert figures["ratio"] == round(figures["placed"] / figures["optimum_or_bound"], 4)
    assert figures["must_placed"] <= figures["must_bound"] <= figures["must_total"]
    assert figures["small"]["placed"] <= figures["small"]["optimum"]
    assert lines[0].split()[:2] == ["Instance", "Requests"]


def test_schedule_never_places_a_no_thanks_meeting():
    instance = Instance(
        slots=[1, 2],
        tables=2,
        meetings=[
            Meeting(id=1, participants=("a", "b"), priority=Priority.NO_THANKS),
            Meeting(id=2, participants=("a", "c")),
        ],
    )

    result = schedule(instance)

    assert result.placements == {2: (1, 1)}
    assert result.unplaced == (1,)
    assert optimum(instance, exact=True).total == 1
