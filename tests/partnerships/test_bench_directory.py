import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_bench_directory_times_rendered_pages_apart_from_cached_ones(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    OrganisationFactory.create_batch(3, description="Mobility, digital, food and health.")
    output = StringIO()

    call_command("bench_directory", organisations=3, requests=2, stdout=output)

    lines = output.getvalue().splitlines()
    summary = json.loads(lines[-1])
    assert list(summary) == [
        "organisations",
        "page_p95_ms",
        "search_db_p95_ms",
        "cached_page_p95_ms",
        "hotspots_p95_ms",
        "index_build_ms",
    ]
    assert summary["organisations"] == 3
    assert summary["cached_page_p95_ms"] is not None
    scenarios = lines[2:11]
    assert [row.split()[0] for row in scenarios][1:4] == [
        "q=mobility",
        "country=DE",
        "sector=automotive&current_label=on",
    ]
    # A rendered page reads its rows from the database; a page from the cache reads nothing.
    assert all(float(row.split()[-2]) > 0 for row in scenarios)
