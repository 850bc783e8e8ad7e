"""Rebuild partnerships/data/nuts2_grid.json, the tile-grid layout of the hotspots map."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerships.hotspots import GRID_FILE, GridError, grid_document, layout_regions
from partnerships.reference import DATA_DIR


class Command(BaseCommand):
    help = _("Rebuild the NUTS-2 tile grid of the regional hotspots map from the region file.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=str(GRID_FILE), help=_("Where to write the JSON file.")
        )

    def handle(self, *args, output, **options):
        # The shipped region file, not the database: the layout must not depend on what
        # happens to be loaded, so two runs anywhere give the same file.
        with open(DATA_DIR / "regions.json", encoding="utf-8") as handle:
            rows = json.load(handle)
        regions = [(row["code"], row["country"]) for row in rows if row["level"] == 2]
        try:
            cells = layout_regions(regions)
        except GridError as error:
            raise CommandError(str(error)) from error
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(grid_document(cells))
        self.stdout.write(
            _("Placed %(count)d regions in %(path)s") % {"count": len(cells), "path": output}
        )
