"""Load the reference taxonomies shipped in partnerships/data; safe to run on every deploy."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from partnerships import page_cache
from partnerships.facet_loader import bump_directory_version
from partnerships.reference import MODELS, load_reference_data


class Command(BaseCommand):
    help = _(
        "Create or update countries, NUTS regions, industries, ecosystems, value-chain "
        "positions and S3 policy objectives from the shipped data files. Deletes nothing."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        results = load_reference_data()
        bump_directory_version()
        # Bulk writes pass no service: every stored public page goes (names, profiles).
        page_cache.bump(page_cache.ALL)
        elapsed = time.perf_counter() - started

        labels = {
            name: str(MODELS[name]._meta.verbose_name_plural).capitalize() for name in results
        }
        width = max(len(label) for label in labels.values()) + 2
        header = f"{_('Taxonomy'):<{width}}{_('In file'):>9}{_('Created'):>9}{_('Updated'):>9}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for name, result in results.items():
            self.stdout.write(
                f"{labels[name]:<{width}}{result.in_file:>9}{result.created:>9}{result.updated:>9}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Reference data loaded in %(seconds).1f s.") % {"seconds": elapsed}
            )
        )
