from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from matchmaking.enums import RunState, WeightProfileName
from matchmaking.models import RecommendationRun, WeightProfile
from matchmaking.queries import run_progress_of
from matchmaking.services import CHUNK_SIZE, DEFAULT_K, start_full_run


class Command(BaseCommand):
    help = _(
        "Start a full re-score: one run split into chunk tasks for the Celery workers (run in "
        "this process when no broker is configured)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--profile", default=WeightProfileName.DEFAULT, help=_("Weight profile slug.")
        )
        parser.add_argument(
            "--k", type=int, default=DEFAULT_K, help=_("Partners per organisation.")
        )
        parser.add_argument(
            "--chunk-size", type=int, default=CHUNK_SIZE, help=_("Organisations per chunk task.")
        )
        parser.add_argument(
            "--if-none",
            action="store_true",
            help=_("Do nothing when a run has already finished (set-up runs it every time)."),
        )

    def handle(self, *args, **options):
        if options["if_none"] and RecommendationRun.objects.filter(state=RunState.DONE).exists():
            self.stdout.write(_("Recommendations are there already: no new run."))
            return
        profile = WeightProfile.objects.filter(slug=options["profile"]).first()
        if profile is None:
            raise CommandError(
                _("No weight profile with the slug %(slug)s.") % {"slug": options["profile"]}
            )
        if options["k"] < 1 or options["chunk_size"] < 1:
            raise CommandError(_("--k and --chunk-size must be at least 1."))
        run = start_full_run(profile, k=options["k"], chunk_size=options["chunk_size"])
        run.refresh_from_db()
        done, failed, total = run_progress_of(run)
        self.stdout.write(
            _("Run %(run)s: %(state)s, %(done)s of %(total)s chunks done, %(failed)s failed.")
            % {
                "run": run.pk,
                "state": run.get_state_display(),
                "done": done,
                "total": total,
                "failed": failed,
            }
        )
