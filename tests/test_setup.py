"""`make setup` on the embedded database, as a newcomer's `make run` starts.

The rest of the suite runs on PostgreSQL, so a query only SQLite refuses (a union of ordered
querysets, once, in the demo events) would otherwise first show on a newcomer's machine.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The fewest organisations the demo partnerships, review and events can be built from.
ORGANISATIONS = 250

LOGINS = (
    "admin@clusterportal.example",
    "staff@clusterportal.example",
    "reviewer@clusterportal.example",
    "moderator@clusterportal.example",
    "manager@clusterportal.example",
    "partner@clusterportal.example",
    "organiser@clusterportal.example",
)


@pytest.mark.slow
def test_make_setup_builds_every_journey_of_the_demo_on_sqlite(tmp_path):
    database = tmp_path / "demo.sqlite3"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "CELERY_", "DEBUG"))
    } | {"DATABASE_URL": f"sqlite:///{database}"}

    result = subprocess.run(
        ["make", "setup", f"DEMO_ORGANISATIONS={ORGANISATIONS}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    printed = result.stdout.split("Demo logins for")[-1]
    assert [login for login in LOGINS if login not in printed] == []
    with sqlite3.connect(database) as connection:
        counts = {
            table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in (
                "partnerships_organisation",
                "partnerships_partnersearch",
                "partnerships_review",
                "events_meeting",
                "matchmaking_recommendation",
            )
        }
    assert counts["partnerships_organisation"] >= ORGANISATIONS
    assert [table for table, count in counts.items() if count == 0] == []
