import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from matchmaking.enums import WeightProfileName
from matchmaking.learning import NEGATIVES_PER_POSITIVE, TEST_SHARE
from matchmaking.models import WeightProfile
from matchmaking.scoring import COMPONENTS
from matchmaking.services import DEFAULT_K, default_profile, fit_weight_profile


def _figure(value, digits=3):
    return "-" if value is None else f"{value:.{digits}f}"


class Command(BaseCommand):
    help = _(
        "Fit a weight profile on the recorded outcomes (older ones train, newer ones test) and "
        "compare it with a profile's weights on the newer ones. Records the fit; adopting it "
        "is done on the staff page."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--profile",
            default=WeightProfileName.DEFAULT,
            help=_("Slug of the weight profile to compare with."),
        )
        parser.add_argument(
            "--test-share",
            type=float,
            default=TEST_SHARE,
            help=_("Share of the newest outcomes held out."),
        )
        parser.add_argument(
            "--negatives",
            type=int,
            default=NEGATIVES_PER_POSITIVE,
            help=_("Random partners drawn per positive outcome."),
        )
        parser.add_argument("--seed", type=int, default=0, help=_("Seed of the draws."))
        parser.add_argument("--k", type=int, default=DEFAULT_K, help=_("List length for recall."))

    def handle(self, *args, **options):
        slug = options["profile"]
        profile = WeightProfile.objects.filter(slug=slug).first()
        if profile is None and slug == WeightProfileName.DEFAULT:
            profile = default_profile()
        if profile is None:
            raise CommandError(_("No weight profile with the slug %(slug)s.") % {"slug": slug})
        if not 0 < options["test_share"] < 1:
            raise CommandError(_("--test-share must lie strictly between 0 and 1."))
        if options["negatives"] < 1 or options["k"] < 1:
            raise CommandError(_("--negatives and --k must be at least 1."))
        try:
            fit = fit_weight_profile(
                profile,
                by=None,
                test_share=options["test_share"],
                negatives=options["negatives"],
                seed=options["seed"],
                k=options["k"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        figures = fit.figures
        write = self.stdout.write
        write(
            f"fit {fit.pk}: trained on {figures['train_outcomes']} outcomes "
            f"({figures['train_positives']} positive) before {fit.cutoff:%Y-%m-%d %H:%M}, "
            f"tested on {figures['test_outcomes']} newer ({figures['test_positives']} positive); "
            f"{figures['sampled_negatives']} sampled negatives"
        )
        write(f"{'component':<18}{profile.slug:>14}{'fitted':>10}")
        for name in COMPONENTS:
            write(f"{name:<18}{fit.current_weights[name]:>14.3f}{fit.weights[name]:>10.3f}")
        write(f"{'held out':<18}{profile.slug:>14}{'fitted':>10}")
        write(
            f"{'AUC':<18}{_figure(figures['auc_current']):>14}{_figure(figures['auc_fitted']):>10}"
        )
        recall = f"recall@{figures['k']}"
        write(
            f"{recall:<18}{_figure(figures['recall_current']):>14}"
            f"{_figure(figures['recall_fitted']):>10}"
        )
        write(
            json.dumps(
                {
                    "fit": fit.pk,
                    "profile": profile.slug,
                    **figures,
                    "weights": {name: round(fit.weights[name], 4) for name in COMPONENTS},
                }
            )
        )
