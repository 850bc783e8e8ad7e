import json
import shutil
import subprocess

import pytest
from django.core.management.base import CommandError

from clusterportal.management.commands import bench_web
from clusterportal.management.commands.bench_web import Result, format_table, parse_wrk, summary

RESULTS = [
    Result("bare", 1200.0, 10.0, 40.0, 70.0, 0),
    Result("directory", 600.0, 20.5, 60.25, 90.0, 0),
    Result("filtered directory", 300.0, 40.0, 80.0, 120.0, 1),
    Result("organisation page", 900.0, 12.0, 30.0, 50.0, 0),
    Result("api list", 420.0, 30.0, 70.0, 110.0, 2),
]


PUBLIC_PAGES = [
    Result("partnership page", 720.0, 9.0, 20.0, 31.25, 0),
    Result("event page", 660.0, 9.5, 22.0, 33.0, 0),
    Result("calls list", 1080.0, 8.0, 18.0, 25.0, 0),
    Result("hotspots", 540.0, 14.0, 35.0, 48.0, 1),
]


def test_summary_gives_the_ratios_to_the_bare_view_and_all_errors():
    assert summary(RESULTS) == {
        "directory_ratio": 0.5,
        "api_ratio": 0.35,
        "organisation_page_ratio": 0.75,
        "organisation_page_p99_ms": 50.0,
        "worst_ratio": 0.25,
        "worst_p99_ms": 120.0,
        "errors": 3,
    }


def test_summary_gives_each_public_page_its_share_and_p99():
    line = summary(RESULTS + PUBLIC_PAGES)

    assert {key: value for key, value in line.items() if key.startswith(("partner", "event"))} == {
        "partnership_page_ratio": 0.6,
        "partnership_page_p99_ms": 31.2,
        "event_page_ratio": 0.55,
        "event_page_p99_ms": 33.0,
    }
    assert (line["calls_list_ratio"], line["hotspots_ratio"], line["hotspots_p99_ms"]) == (
        0.9,
        0.45,
        48.0,
    )
    assert line["errors"] == 4


def test_summary_is_one_json_line():
    line = json.dumps(summary(RESULTS))

    assert line == (
        '{"directory_ratio": 0.5, "api_ratio": 0.35, "organisation_page_ratio": 0.75, '
        '"organisation_page_p99_ms": 50.0, "worst_ratio": 0.25, "worst_p99_ms": 120.0, '
        '"errors": 3}'
    )


def test_table_aligns_figures_and_shows_each_share_of_the_bare_view():
    lines = format_table(RESULTS)

    assert lines[0] == (
        "page                         req/s   p50 ms   p95 ms   p99 ms  errors  of bare"
    )
    assert lines[1] == "-" * 78
    assert lines[2] == (
        "bare                        1200.0     10.0     40.0     70.0       0     100%"
    )
    assert lines[3] == (
        "directory                    600.0     20.5     60.2     90.0       0      50%"
    )
    assert lines[6] == (
        "api list                     420.0     30.0     70.0    110.0       2      35%"
    )
    assert len(lines) == 7


def test_wrk_report_is_read_in_milliseconds_and_requests_per_second():
    output = (
        "Running 10s test @ http://127.0.0.1:8000\n"
        'RESULT {"requests": 5000, "seconds": 10.0, "p50": 12500, "p95": 40000, '
        '"p99": 81000, "errors": 4}\n'
    )

    assert parse_wrk("directory", output) == Result("directory", 500.0, 12.5, 40.0, 81.0, 4)


def test_a_missing_program_found_on_the_path_is_used(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda program: f"/opt/bin/{program}")

    assert bench_web.find_program("wrk", say=print) == "/opt/bin/wrk"


def test_a_missing_program_without_root_is_explained_in_one_line(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda program: None)
    monkeypatch.setattr(bench_web.os, "geteuid", lambda: 1000)

    with pytest.raises(CommandError) as raised:
        bench_web.find_program("wrk", say=print)

    assert str(raised.value) == (
        "wrk is not installed: install it with 'sudo apt-get install wrk' (Debian, Ubuntu) "
        "or 'brew install wrk' (macOS), then run this again."
    )


def test_a_missing_program_is_installed_with_apt_get_as_root(monkeypatch):
    installed = set()
    commands = []

    def which(program):
        return f"/usr/bin/{program}" if program in installed | {"apt-get"} else None

    def run(command, **kwargs):
        commands.append(command)
        # As on a fresh system: the install works only once the package lists are there.
        if command[:2] == ["apt-get", "install"] and ["apt-get", "update", "-q"] in commands:
            installed.add(command[-1])
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(shutil, "which", which)
    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.setattr(bench_web.os, "geteuid", lambda: 0)
    said = []

    found = bench_web.find_program("wrk", say=said.append)

    assert found == "/usr/bin/wrk"
    assert commands == [
        ["apt-get", "install", "-y", "-q", "wrk"],
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "wrk"],
    ]
    assert said == ["wrk is not installed: installing the Debian package wrk."]
