"""Demo outcomes: what members of the demo organisations made of their suggested partners.

The organisations are scored with the default profile (a run, so the demo's pages show
lists), and a share of them give verdicts on their lists as people do: a partner they share
work with (sectors that meet in an emerging industry, the same focus, neighbouring
value-chain positions, S3 objectives, similar descriptions) is found useful or contacted;
one that is merely abroad or targets the same markets is often judged not relevant. The
verdicts are spread over the past year, so that a time-ordered weight fit has older outcomes
to train on and newer ones to test.

Safe to run again: nothing is added once any verdict is recorded.
"""

import datetime as dt

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.enums import FeedbackVerdict
from matchmaking.features import encode
from matchmaking.learning import pair_components
from matchmaking.models import Recommendation, RecommendationFeedback
from matchmaking.queries import scoring_profiles, taxonomy_from_db
from matchmaking.scoring import COMPONENTS
from matchmaking.services import DEFAULT_K, default_profile, run_recommendations

# What the demo's people value in a partner, per unweighted component: what the two do
# together far more than where the partner is.
PEOPLE_VALUE = {
    "cross_sector": 1.6,
    "shared_focus": 1.4,
    "value_chain": 0.8,
    "s3_objectives": 0.8,
    "text": 2.0,
    "seeking": 1.4,
    "international": 0.2,
    "partner_interest": 0.1,
    "shared_markets": 0.1,
    "strength": 0.3,
}
# Intercept of their logistic choice: a partner with nothing in common is rarely taken up.
BASELINE = -2.5
# Of the partners a person does not take up, the share they bother to mark as not relevant.
MARK_NOT_RELEVANT = 0.5
# Of the partners taken up, the share that are contacted rather than only found useful.
CONTACTED = 0.4


class Command(BaseCommand):
    help = _("Record plausible demo verdicts on suggested partners, spread over the past year.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--share",
            type=float,
            default=0.25,
            help=_("Share of the organisations whose people give verdicts."),
        )
        parser.add_argument("--seed", type=int, default=2016, help=_("Seed of the draws."))
        parser.add_argument("--days", type=int, default=365, help=_("Days the verdicts span."))

    def handle(self, *args, **options):
        if not 0 < options["share"] <= 1 or options["days"] < 1:
            raise CommandError(_("--share must lie in (0, 1] and --days be at least 1."))
        if RecommendationFeedback.objects.exists():
            self.stdout.write(_("Verdicts are already recorded: nothing added."))
            return
        profiles, _eligible = scoring_profiles()
        if len(profiles) < 2:
            raise CommandError(_("Too few organisations: run seed_demo first."))
        # The lists members see: verdicts are given on them, and the demo's pages show them.
        run = run_recommendations(default_profile(), k=DEFAULT_K)
        encoded = encode(profiles, taxonomy_from_db())
        row_of = {int(pk): row for row, pk in enumerate(encoded.ids)}
        rng = np.random.default_rng(options["seed"])
        looking = rng.choice(
            encoded.ids, size=max(1, int(encoded.size * options["share"])), replace=False
        )
        listed = list(
            Recommendation.objects.filter(run=run, organisation_id__in=looking.tolist())
            .order_by("organisation_id", "rank")
            .values_list("organisation_id", "partner_id", "score")
        )
        if not listed:
            raise CommandError(_("No organisation has a suggested partner to give a verdict on."))
        source = np.array([row_of[organisation] for organisation, _p, _s in listed])
        partner = np.array([row_of[pk] for _o, pk, _s in listed])
        scores = np.array([score for _o, _p, score in listed])

        components = pair_components(encoded, source, partner)
        value = components @ np.array([PEOPLE_VALUE[name] for name in COMPONENTS]) + BASELINE
        taken = rng.random(len(value)) < 1 / (1 + np.exp(-value))
        marked = ~taken & (rng.random(len(value)) < MARK_NOT_RELEVANT)
        contacted = rng.random(len(value)) < CONTACTED
        now = timezone.now()
        ages = rng.random(len(value)) * options["days"]
        verdicts = []
        for m in np.flatnonzero(taken | marked):
            if taken[m]:
                verdict = FeedbackVerdict.CONTACTED if contacted[m] else FeedbackVerdict.USEFUL
            else:
                verdict = FeedbackVerdict.NOT_RELEVANT
            verdicts.append(
                (
                    RecommendationFeedback(
                        organisation_id=int(encoded.ids[source[m]]),
                        partner_id=int(encoded.ids[partner[m]]),
                        verdict=verdict,
                        score=float(scores[m]),
                        run=run,
                    ),
                    now - dt.timedelta(days=float(ages[m])),
                )
            )
        with transaction.atomic():
            created = RecommendationFeedback.objects.bulk_create([item for item, _at in verdicts])
            # auto_now stamps every row with now; the verdicts were given over the past year.
            for item, (_item, at) in zip(created, verdicts, strict=True):
                item.created_at = at
            RecommendationFeedback.objects.bulk_update(created, ["created_at"], batch_size=1000)
        counts = dict.fromkeys(FeedbackVerdict.values, 0)
        for item in created:
            counts[item.verdict] += 1
        self.stdout.write(
            _(
                "%(total)s verdicts from %(organisations)s organisations: %(useful)s useful, "
                "%(contacted)s contacted, %(not_relevant)s not relevant."
            )
            % {
                "total": len(created),
                "organisations": len({item.organisation_id for item in created}),
                **counts,
            }
        )
