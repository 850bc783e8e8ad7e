"""Scheduling from wishes: the generated event and the benchmark's --preferences mode."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from events.scheduling import (
    Priority,
    Schedule,
    generate_preference_instance,
    schedule,
    spread,
    violations,
)


def test_wishes_become_one_meeting_per_pair_mutual_ones_must_meets():
    instance, wished = generate_preference_instance(
        participants=40, days=2, slots_per_day=4, tables=5, wishes=3, seed=3
    )

    pairs = [meeting.participants for meeting in instance.meetings]
    assert len(pairs) == len(set(pairs))
    assert all(len(wished[person]) == 3 for person in wished)
    for meeting in instance.meetings:
        a, b = meeting.participants
        mutual = b in wished[a] and a in wished[b]
        assert (meeting.priority == Priority.MUST) == mutual
        assert b in wished[a] or a in wished[b]


def test_spread_counts_meetings_per_person_including_those_with_none():
    instance, _wished = generate_preference_instance(
        participants=10, days=1, slots_per_day=2, tables=1, wishes=2, seed=1
    )
    nothing = Schedule(placements={}, unplaced=tuple(m.id for m in instance.meetings), stats={})

    figures = spread(instance, nothing)

    assert figures == {"min": 0, "max": 0, "mean": 0.0, "with_one_or_more": 0.0}


def test_a_schedule_from_wishes_keeps_every_rule():
    instance, _wished = generate_preference_instance(
        participants=60, days=3, slots_per_day=3, tables=8, wishes=4, seed=2
    )

    result = schedule(instance, time_budget=1.0)

    assert violations(instance, result) == []
    assert spread(instance, result)["max"] <= 9


def test_bench_preferences_prints_a_json_line_against_the_lp_bound():
    out = StringIO()

    call_command(
        "bench_scheduling",
        "--preferences",
        "--participants=80",
        "--days=2",
        "--slots-per-day=4",
        "--wishes=3",
        "--preference-tables=10",
        "--time-budget=1",
        stdout=out,
    )

    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert figures["mode"] == "preferences"
    assert figures["placed"] <= figures["bound"] <= figures["wished_meetings"]
    assert figures["placed_share_of_bound"] == round(figures["placed"] / figures["bound"], 4)
    assert figures["mutual_placed"] <= figures["mutual_bound"] <= figures["mutual_wishes"]
    assert figures["spread"]["min"] <= figures["spread"]["mean"] <= figures["spread"]["max"]


def test_bench_preferences_refuses_zero_days():
    with pytest.raises(CommandError) as error:
        call_command("bench_scheduling", "--preferences", "--days=0", stdout=StringIO())

    assert str(error.value) == "--days must be at least 1."
