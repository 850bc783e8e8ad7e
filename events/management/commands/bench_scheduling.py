"""Measure the meeting scheduler against the exact optimum or a proven upper bound.

Needs no database: instances are generated, and the last line is one JSON object so that a
script can track the figures over time.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from events.scheduling import (
    generate_instance,
    generate_preference_instance,
    optimum,
    schedule,
    spread,
    violations,
)


class Command(BaseCommand):
    help = _(
        "Schedule a large generated event and compare with the LP upper bound, then a small "
        "one and compare with the exact optimum. The last line is one JSON object."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=1000)
        parser.add_argument("--requests", type=int, default=3000)
        parser.add_argument("--slots", type=int, default=16)
        parser.add_argument("--tables", type=int, default=60)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--time-budget", type=float, default=3.0)
        # Twenty tables for eight slots: the participants' own agendas, not the room, limit
        # this instance, which is the hard part of the problem.
        parser.add_argument("--small-participants", type=int, default=60)
        parser.add_argument("--small-requests", type=int, default=150)
        parser.add_argument("--small-slots", type=int, default=8)
        parser.add_argument("--small-tables", type=int, default=20)
        # From wishes instead of accepted requests: 1,000 people over three days by default.
        parser.add_argument("--preferences", action="store_true")
        parser.add_argument("--days", type=int, default=3)
        parser.add_argument("--slots-per-day", type=int, default=12)
        parser.add_argument("--wishes", type=int, default=6)
        parser.add_argument("--preference-tables", type=int, default=200)

    def handle(self, *args, **options):
        for name in ("participants", "requests", "slots", "tables", "small_slots"):
            if options[name] < 1:
                raise CommandError(_("--%(name)s must be at least 1.") % {"name": name})
        if options["preferences"]:
            return self.preferences(options)

        large = self.run(
            exact=False,
            seed=options["seed"],
            time_budget=options["time_budget"],
            participants=options["participants"],
            requests=options["requests"],
            slots=options["slots"],
            tables=options["tables"],
        )
        small = self.run(
            exact=True,
            seed=options["seed"],
            time_budget=options["time_budget"],
            participants=options["small_participants"],
            requests=options["small_requests"],
            slots=options["small_slots"],
            tables=options["small_tables"],
        )

        header = (
            f"{_('Instance'):<34}{_('Requests'):>9}{_('Must placed'):>16}{_('Placed'):>8}"
            f"{_('Best'):>8}{_('Ratio'):>8}{_('Seconds'):>9}{_('Bound s'):>9}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in (large, small):
            must = f"{row['must_placed']}/{row['must_total']} ({row['must_best']})"
            self.stdout.write(
                f"{row['label']:<34}{row['meetings']:>9}{must:>16}{row['placed']:>8}"
                f"{row['best']:>8}{row['ratio']:>8.4f}{row['seconds']:>9.2f}"
                f"{row['bound_seconds']:>9.2f}"
            )
        self.stdout.write(
            _(
                "Best: LP-relaxation upper bound on the large instance, exact optimum (HiGHS) "
                "on the small one; in brackets, the same for must-meets. Both schedules were "
                "checked: nobody double-booked, no table used twice, availability honoured, "
                "fixed bookings kept."
            )
        )
        self.stdout.write(
            json.dumps(
                {
                    "placed": large["placed"],
                    "optimum_or_bound": large["best"],
                    "ratio": round(large["ratio"], 4),
                    "seconds": round(large["seconds"], 3),
                    "must_placed": large["must_placed"],
                    "must_total": large["must_total"],
                    "must_bound": large["must_best"],
                    "bound_seconds": round(large["bound_seconds"], 3),
                    "small": {
                        "placed": small["placed"],
                        "optimum": small["best"],
                        "ratio": round(small["ratio"], 4),
                        "must_placed": small["must_placed"],
                        "must_optimum": small["must_best"],
                        "seconds": round(small["seconds"], 3),
                    },
                }
            )
        )

    def run(self, *, exact, seed, time_budget, participants, requests, slots, tables):
        instance = generate_instance(
            participants=participants, requests=requests, slots=slots, tables=tables, seed=seed
        )
        result = schedule(instance, time_budget=time_budget)
        problems = violations(instance, result)
        if problems:
            raise CommandError(_("The schedule is invalid: %(problem)s") % {"problem": problems[0]})
        best = optimum(instance, exact=exact)
        # Exactly: the most meetings among schedules with the most must-meets, which is what
        # the scheduler aims for. As a bound: the LP bound on all meetings, which is above it.
        target = best.lexicographic_total if exact else best.total
        kind = _("exact") if exact else _("LP bound")
        return {
            "label": f"{participants}p {slots}s {tables}t ({kind})",
            "meetings": len(instance.meetings),
            "placed": result.stats["placed"],
            "must_placed": result.stats["must_placed"],
            "must_total": result.stats["must_total"],
            "must_best": best.must,
            "best": target,
            "ratio": result.stats["placed"] / target if target else 1.0,
            "seconds": result.stats["seconds"],
            "bound_seconds": best.seconds,
        }

    def preferences(self, options):
        for name in ("days", "slots_per_day", "wishes", "preference_tables"):
            if options[name] < 1:
                name = name.replace("_", "-")
                raise CommandError(_("--%(name)s must be at least 1.") % {"name": name})
        instance, _wished = generate_preference_instance(
            participants=options["participants"],
            days=options["days"],
            slots_per_day=options["slots_per_day"],
            tables=options["preference_tables"],
            wishes=options["wishes"],
            seed=options["seed"],
        )
        result = schedule(instance, time_budget=options["time_budget"])
        problems = violations(instance, result)
        if problems:
            raise CommandError(_("The schedule is invalid: %(problem)s") % {"problem": problems[0]})
        bound = optimum(instance, exact=False)
        figures = spread(instance, result)
        placed = result.stats["placed"]
        row = {
            "mode": "preferences",
            "participants": options["participants"],
            "days": options["days"],
            "wished_meetings": len(instance.meetings),
            "mutual_wishes": result.stats["must_total"],
            "placed": placed,
            "bound": bound.total,
            "placed_share_of_bound": round(placed / bound.total, 4) if bound.total else 1.0,
            "mutual_placed": result.stats["must_placed"],
            "mutual_bound": bound.must,
            "with_one_or_more": figures["with_one_or_more"],
            "spread": {key: figures[key] for key in ("min", "max", "mean")},
            "seconds": round(result.stats["seconds"], 3),
            "bound_seconds": round(bound.seconds, 3),
        }
        self.stdout.write(
            _(
                "%(participants)s participants, %(days)s days: %(placed)s of %(wished)s wished-for "
                "meetings placed, LP bound %(bound)s (%(share).2f%%); mutual wishes %(mutual)s of "
                "%(mutual_total)s; %(with_one).1f%% have a meeting; per person %(min)s to %(max)s, "
                "mean %(mean)s; %(seconds).2f s (bound %(bound_seconds).1f s)."
            )
            % {
                "participants": row["participants"],
                "days": row["days"],
                "placed": placed,
                "wished": row["wished_meetings"],
                "bound": row["bound"],
                "share": 100 * row["placed_share_of_bound"],
                "mutual": row["mutual_placed"],
                "mutual_total": row["mutual_wishes"],
                "with_one": 100 * row["with_one_or_more"],
                "min": figures["min"],
                "max": figures["max"],
                "mean": figures["mean"],
                "seconds": row["seconds"],
                "bound_seconds": row["bound_seconds"],
            }
        )
        self.stdout.write(json.dumps(row))
