"""The matchmaking yardstick: planted partnerships, hand-graded cases, real consortia and
exposure, each against five baselines, with the engine's own parts as ablations (see
matchmaking.evaluation.scorers)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from matchmaking.enums import DEFAULT_WEIGHT_PROFILES, WeightProfileName
from matchmaking.evaluation import metrics
from matchmaking.evaluation.diagnosis import SIGNAL, diagnose
from matchmaking.evaluation.populations import DEFAULT_PRESENCE, SIGNALS, TUNING_SEED
from matchmaking.evaluation.run import evaluate
from matchmaking.models import WeightProfile

QUICK_ORGANISATIONS = 1500
# The seed the figures are reported on; weights are checked on TUNING_SEED only.
EVALUATION_SEED = 2016
SCORERS = ("engine", "random", "popularity", "geography", "jaccard", "tfidf")
BASELINES = SCORERS[1:]


def table(headers, rows):
    """Columns padded to their widest cell, first column left-aligned, the others right."""
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[c]) for row in cells) for c in range(len(headers))]

    def line(row):
        first = row[0].ljust(widths[0])
        return "  ".join([first] + [cell.rjust(widths[c]) for c, cell in enumerate(row) if c])

    return "\n".join(
        [line(cells[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in cells[1:]]
    )


def rounded(value, digits=3):
    return None if value is None else round(float(value), digits)


def shown(value, digits=3):
    return "-" if value is None else f"{value:.{digits}f}"


class Command(BaseCommand):
    help = _(
        "Measure recommendation quality on data no weight was tuned on: recall of planted "
        "partnerships (and as each signal is removed), hand-graded cases, real European cluster "
        "partnerships, and exposure, each against random, popularity, geography-only, "
        "theme-Jaccard and text TF-IDF baselines, with an ablation table of the engine's own "
        "parts. The last line is one JSON object."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=None)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--profile", default=WeightProfileName.DEFAULT)
        parser.add_argument("--k", type=int, default=20)
        parser.add_argument(
            "--diagnose",
            action="store_true",
            help=_(
                "Only say why planted partners are missed (weak geography), on the tuning "
                "seed unless --seed is given; no figures."
            ),
        )
        parser.add_argument(
            "--quick",
            action="store_true",
            help=_("A small population (for tests); the figures are not comparable."),
        )

    def handle(self, *args, **options):
        k = options["k"]
        if k < 1:
            raise CommandError(_("--k must be at least 1."))
        organisations = options["organisations"] or (
            QUICK_ORGANISATIONS if options["quick"] else 10_000
        )
        if organisations < 100:
            raise CommandError(_("At least 100 organisations are needed."))
        weights, origin = self.weights(options["profile"])
        if options["diagnose"]:
            seed = TUNING_SEED if options["seed"] is None else options["seed"]
            self.diagnosis(weights, organisations=organisations, seed=seed, k=k)
            return
        options["seed"] = EVALUATION_SEED if options["seed"] is None else options["seed"]
        result = evaluate(
            weights, organisations=organisations, seed=options["seed"], k=k, quick=options["quick"]
        )
        self.stdout.write(
            _("Weights: %(origin)s. %(n)s generated organisations, seed %(seed)s, k = %(k)s.")
            % {"origin": origin, "n": organisations, "seed": options["seed"], "k": k}
        )
        summary = self.quality(result, k)
        self.exposure(result)
        for note in result.notes:
            self.stdout.write(_("Note: %(note)s.") % {"note": note})
        summary |= {
            "coverage": rounded(result.coverage),
            "gini": rounded(result.gini),
            "gaming_growth": rounded(result.gaming_growth, 2),
            "largest_country_share": rounded(result.largest_country_share),
            "largest_country_share_max": rounded(result.largest_country_share_max),
            "unrelated_share": rounded(result.unrelated_share["engine"]),
            "organisations": organisations,
            "seed": options["seed"],
            "profile": options["profile"],
            "k": k,
            "seconds": round(result.seconds, 1),
        }
        self.stdout.write(json.dumps(summary))

    def diagnosis(self, weights, *, organisations, seed, k):
        found = diagnose(weights, organisations=organisations, seed=seed, k=k)
        self.stdout.write(
            _(
                "Planted partners, weak geography, %(n)s organisations, seed %(seed)s: "
                "%(found)s of %(pairs)s pairs in the top %(k)s."
            )
            % {"n": organisations, "seed": seed, "found": found.found, "pairs": found.pairs, "k": k}
        )
        rows = [
            [name, *(shown(value) for value in values[:3]), *(shown(v, 2) for v in values[3:])]
            for name, values in found.components.items()
        ]
        headers = [
            _("component"),
            _("found"),
            _("missed"),
            _("listed instead"),
            _("> %(s)s found") % {"s": SIGNAL},
            _("missed"),
            _("listed instead"),
        ]
        self.stdout.write(
            _("Mean unweighted component, and share of pairs above %(s)s:") % {"s": SIGNAL}
        )
        self.stdout.write(table(headers, rows) + "\n")
        self.stdout.write(_("Why missed pairs lost:"))
        rows = [[reason, count] for reason, count in found.reasons.items()]
        self.stdout.write(table([_("reason"), _("pairs")], rows) + "\n")
        self.stdout.write(_("Found, by the number of thematic components a pair has:"))
        rows = [
            [signals, total, shown(hit / total if total else None)]
            for signals, (total, hit) in found.by_signals.items()
        ]
        self.stdout.write(table([_("components"), _("pairs"), _("found")], rows) + "\n")

    def weights(self, slug):
        """The profile's weights from the database, else the shipped ones of that slug."""
        profile = WeightProfile.objects.filter(slug=slug).first()
        if profile is not None:
            return profile.weights, _("profile “%(slug)s” from the database") % {"slug": slug}
        if slug in DEFAULT_WEIGHT_PROFILES:
            return dict(DEFAULT_WEIGHT_PROFILES[slug]), _(
                "shipped defaults of “%(slug)s” (not in the database)"
            ) % {"slug": slug}
        raise CommandError(_("No weight profile with that slug."))

    def quality(self, result, k):
        rows, lifts = [], {}

        def add(label, figures, key):
            lift, best = metrics.lift(figures["engine"], {b: figures[b] for b in BASELINES})
            lifts[key] = (lift, best)
            rows.append(
                [label, *(shown(figures[s]) for s in SCORERS), f"{shown(lift, 2)} ({best})"]
            )

        add(
            _("planted, every signal present at %(p)s") % {"p": DEFAULT_PRESENCE},
            result.recall,
            "recall",
        )
        for signal in SIGNALS:
            figures = result.weakened[signal]
            if signal == "target_countries":
                label = _("planted, without target_countries (weak geography)")
            else:
                label = _("planted, without %(signal)s") % {"signal": signal}
            if figures is None:
                rows.append([label, *["-"] * len(SCORERS), "-"])
                continue
            add(label, figures, signal)
        add(
            _("hand-graded cases passed (%(n)s)") % {"n": result.held_out_cases},
            result.held_out,
            "held_out",
        )
        add(
            _("real consortia, fellow members found (%(c)s, %(m)s members)")
            % {"c": result.consortia_count, "m": result.consortia_members},
            result.consortia,
            "consortia",
        )
        self.stdout.write(
            _("Recall@%(k)s of planted partners (%(members)s members), held-out pass rate:")
            % {"k": k, "members": result.planted_members}
        )
        self.stdout.write(table([_("set"), *SCORERS, _("lift over best baseline")], rows) + "\n")
        if result.held_out_failed:
            self.stdout.write(_("Hand-graded cases the engine fails:"))
            self.stdout.write("".join(f"  - {failure}\n" for failure in result.held_out_failed))
        self.stdout.write(_("Real consortia (given one member, are the others in its list?):"))
        rows = [
            [name, size, _("inferred") if inferred else _("stated"), shown(ours), shown(themes)]
            for name, size, inferred, ours, themes in result.consortia_detail
        ]
        headers = [_("consortium"), _("members"), _("membership"), _("engine"), _("jaccard")]
        self.stdout.write(table(headers, rows) + "\n")
        self.stdout.write(_("Ablations (the engine without one of its own parts; not baselines):"))
        engine_row = [
            _("engine"),
            shown(result.recall["engine"]),
            shown(result.weak_geography["engine"]),
            shown(result.held_out["engine"]),
        ]
        rows = [engine_row] + [
            [
                name,
                shown(figures["recall"]),
                shown(figures["weak_geography"]),
                shown(figures["held_out"]),
            ]
            for name, figures in result.ablations.items()
        ]
        headers = [_("variant"), _("recall"), _("weak geography"), _("held-out pass rate")]
        self.stdout.write(table(headers, rows) + "\n")
        weak = result.weakened["target_countries"]
        return {
            f"recall_at_{k}": rounded(result.recall["engine"]),
            f"recall_at_{k}_weak_geography": rounded(weak["engine"]),
            "lift_over_best_baseline": rounded(lifts["recall"][0], 2),
            "best_baseline": lifts["recall"][1],
            "lift_weak_geography": rounded(lifts["target_countries"][0], 2),
            "held_out_pass_rate": rounded(result.held_out["engine"]),
            "held_out_lift": rounded(lifts["held_out"][0], 2),
            "escp_recall": rounded(result.consortia["engine"]),
            "baselines": {name: rounded(result.recall[name]) for name in BASELINES},
            "weakened": {
                signal: None if figures is None else rounded(figures["engine"])
                for signal, figures in result.weakened.items()
            },
            "held_out_failed": result.held_out_failed,
            "ablations": {
                name: {key: rounded(value) for key, value in figures.items()}
                for name, figures in result.ablations.items()
            },
        }

    def exposure(self, result):
        self.stdout.write(_("Exposure over every organisation's list (engine):"))
        rows = [
            [_("organisations in at least one list"), shown(result.coverage)],
            [_("Gini of appearances"), shown(result.gini)],
            [
                _("largest single-country share of a list, mean"),
                shown(result.largest_country_share),
            ],
            [
                _("largest single-country share of a list, max"),
                shown(result.largest_country_share_max),
            ],
            [
                _("listed partners sharing no theme (random lists: %(r)s)")
                % {"r": shown(result.unrelated_share["random"])},
                shown(result.unrelated_share["engine"]),
            ],
        ]
        self.stdout.write(table([_("figure"), _("value")], rows) + "\n")
        self.stdout.write(
            _("Gaming test: ordinary organisations declare every country a target (growth %(g)s):")
            % {"g": shown(result.gaming_growth, 2)}
        )
        rows = [
            [
                str(pk),
                country,
                int(before),
                int(after),
                shown(after / before if before else None, 2),
            ]
            for pk, country, before, after in result.gamers
        ]
        self.stdout.write(
            table(
                [_("organisation"), _("country"), _("lists before"), _("after"), _("growth")], rows
            )
            + "\n"
        )
