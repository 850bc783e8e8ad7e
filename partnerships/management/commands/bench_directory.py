"""Time the organisation directory on a large data set: whole pages and the search query alone.

Seeds demo organisations with seed_demo when the database holds fewer than asked, builds the
in-memory facet index once (timed on its own: the cold start of a worker), then requests
typical searches and facet combinations through the Django test client with the index warm,
and the regional hotspots map with a few filters. Pages are timed as rendered, with the public
page cache off (every new combination of filters is a miss); the same pages served from that
cache are timed apart. The last line printed is one JSON object, for scripts.
"""

import json
import statistics
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.utils.translation import gettext as _

from partnerships.facet_loader import directory_index
from partnerships.models import Organisation

SCENARIOS = [
    "",
    "q=mobility",
    "country=DE",
    "sector=automotive&current_label=on",
    "q=food&country=FR&size=large",
    "q=digital&label_level=gold",
    "emerging_industry=mobility-technologies&sort=size",
    "country=IT&type=cluster&sort=newest",
    "q=health&sort=name&page=3",
]
# The regional hotspots map counts from the same in-memory index.
HOTSPOT_SCENARIOS = [
    "",
    "country=DE&current_label=on&measure=employees",
    "dimension=emerging&emerging_industry=digital-industries&label_level=gold",
]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class QueryTimer:
    """Records the time of each SQL statement run while it is installed."""

    def __init__(self):
        self.timings = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timings.append((sql, (time.perf_counter() - started) * 1000))

    def search_ms(self):
        # The full-text query: the only one of a page that reads more than its twenty rows.
        return sum(ms for sql, ms in self.timings if "websearch_to_tsquery" in sql)


class Command(BaseCommand):
    help = _("Measure p50/p95 server time of directory searches and facet combinations.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisations",
            type=int,
            default=100_000,
            help=_("Seed demo data up to this many organisations first."),
        )
        parser.add_argument(
            "--requests", type=int, default=30, help=_("Timed requests per scenario.")
        )

    def handle(self, *args, **options):
        wanted, repeats = options["organisations"], options["requests"]
        if repeats < 1:
            raise CommandError(_("At least one request per scenario is needed."))
        existing = Organisation.objects.count()
        if existing < wanted:
            call_command("seed_demo", organisations=wanted - existing, stdout=self.stdout)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # A freshly bulk-loaded table has no statistics and no visibility map yet; a live
            # database gets both from autovacuum. (VACUUM cannot run inside a transaction.)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        total = Organisation.objects.count()
        started = time.perf_counter()
        directory_index()
        build_ms = (time.perf_counter() - started) * 1000

        client = Client()
        page_times, search_times, cached_times, rows = [], [], [], []
        for query in SCENARIOS:
            url = f"/organisations/?{query}"
            response = client.get(url)  # warm up caches and connections, untimed
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            pages, searches, databases, hits = [], [], [], []
            with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
                for _attempt in range(repeats):
                    timer = QueryTimer()
                    with connection.execute_wrapper(timer):
                        started = time.perf_counter()
                        client.get(url)
                        pages.append((time.perf_counter() - started) * 1000)
                    searches.append(timer.search_ms())
                    databases.append(sum(ms for _sql, ms in timer.timings))
            if settings.PUBLIC_PAGE_CACHE_SECONDS:
                for _attempt in range(repeats):
                    started = time.perf_counter()
                    client.get(url)
                    hits.append((time.perf_counter() - started) * 1000)
            page_times += pages
            search_times += searches
            cached_times += hits
            rows.append((query or _("(no filter)"), pages, searches, databases, hits))

        hotspot_times = []
        for query in HOTSPOT_SCENARIOS:
            url = f"/regions/hotspots/?{query}"
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            for _attempt in range(repeats):
                started = time.perf_counter()
                client.get(url)
                hotspot_times.append((time.perf_counter() - started) * 1000)

        header = (
            f"{_('scenario'):<52}{_('page p50'):>10}{_('page p95'):>10}"
            f"{_('search p95'):>12}{_('all SQL p95'):>13}{_('cached p95'):>12}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for query, pages, searches, databases, hits in rows:
            cached = f"{percentile(hits, 0.95):>12.1f}" if hits else f"{'-':>12}"
            self.stdout.write(
                f"{query[:51]:<52}{statistics.median(pages):>10.1f}{percentile(pages, 0.95):>10.1f}"
                f"{percentile(searches, 0.95):>12.1f}{percentile(databases, 0.95):>13.1f}{cached}"
            )
        self.stdout.write(_("Pages rendered with the page cache off; cached: served from it."))
        self.stdout.write(
            json.dumps(
                {
                    "organisations": total,
                    "page_p95_ms": round(percentile(page_times, 0.95), 1),
                    "search_db_p95_ms": round(percentile(search_times, 0.95), 1),
                    "cached_page_p95_ms": (
                        round(percentile(cached_times, 0.95), 1) if cached_times else None
                    ),
                    "hotspots_p95_ms": round(percentile(hotspot_times, 0.95), 1),
                    "index_build_ms": round(build_ms, 1),
                }
            )
        )
