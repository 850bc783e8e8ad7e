"""Load-test the portal as production runs it: gunicorn, production settings, Redis cache.

Creates and seeds its own PostgreSQL database when it is missing, starts its own Redis and a
gunicorn with 2 x cores + 1 workers, warms every worker, then drives each page with wrk at a
fixed number of connections. Prints a table of req/s and latency percentiles, each page's
throughput as a share of a bare Django view's, and as its last line one JSON object.

wrk and redis-server come from Debian packages of the same names: when one is missing and
the command runs as root on a system with apt-get, it installs the package; otherwise it
says in one line how to get it.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

ROOT = Path(settings.BASE_DIR)
BARE = "bare"
# The public pages about one thing and the lists besides the directory, each reported in the
# last line with its share of the bare view and its p99.
PAGES = ("organisation page", "partnership page", "event page", "calls list", "hotspots")
# The programs the run needs, and the Debian package each comes in.
PROGRAMS = {"wrk": "wrk", "redis-server": "redis-server"}
# wrk reports the latency percentiles, request count and errors through this script.
REPORT_LUA = """
local paths = {%(paths)s}
local next_path = 0
request = function()
  next_path = next_path %% #paths + 1
  return wrk.format("GET", paths[next_path])
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%f, "p50": %%d, "p95": %%d, "p99": %%d, '
    .. '"errors": %%d}\\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
"""


@dataclass
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def ratio(result, bare):
    if not bare.requests_per_second:
        return 0.0
    return result.requests_per_second / bare.requests_per_second


def format_table(results):
    """The results as aligned lines, each page's throughput also as a share of the bare view."""
    bare = results[0]
    header = (
        f"{_('page'):<24}{_('req/s'):>10}{_('p50 ms'):>9}{_('p95 ms'):>9}{_('p99 ms'):>9}"
        f"{_('errors'):>8}{_('of bare'):>9}"
    )
    lines = [header, "-" * len(header)]
    for result in results:
        lines.append(
            f"{result.name:<24}{result.requests_per_second:>10.1f}{result.p50_ms:>9.1f}"
            f"{result.p95_ms:>9.1f}{result.p99_ms:>9.1f}{result.errors:>8}"
            f"{ratio(result, bare):>9.0%}"
        )
    return lines


def summary(results):
    """The last line: each page's share of the bare view (and the public pages' p99), the
    worst share and p99 of any page, and every error of every page."""
    by_name = {result.name: result for result in results}
    bare = by_name[BARE]
    line = {
        "directory_ratio": round(ratio(by_name["directory"], bare), 3),
        "api_ratio": round(ratio(by_name["api list"], bare), 3),
    }
    for name in PAGES:
        if name in by_name:
            key = name.replace(" ", "_")
            line[f"{key}_ratio"] = round(ratio(by_name[name], bare), 3)
            line[f"{key}_p99_ms"] = round(by_name[name].p99_ms, 1)
    pages = [result for result in results if result.name != BARE]
    line["worst_ratio"] = round(min(ratio(result, bare) for result in pages), 3)
    line["worst_p99_ms"] = round(max(result.p99_ms for result in pages), 1)
    line["errors"] = sum(result.errors for result in results)
    return line


def find_program(program, *, say):
    """The path of `program`, installed from its Debian package first when that is possible."""
    found = shutil.which(program)
    if found:
        return found
    package = PROGRAMS[program]
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say(
            _("%(program)s is not installed: installing the Debian package %(package)s.") % locals()
        )
        environment = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        # A fresh system may have no package lists yet: fetch them once and try again.
        for refresh in (False, True):
            if refresh:
                subprocess.run(["apt-get", "update", "-q"], env=environment, capture_output=True)
            subprocess.run(
                ["apt-get", "install", "-y", "-q", package], env=environment, capture_output=True
            )
            found = shutil.which(program)
            if found:
                return found
    raise CommandError(
        _(
            "%(program)s is not installed: install it with 'sudo apt-get install %(package)s' "
            "(Debian, Ubuntu) or 'brew install %(package)s' (macOS), then run this again."
        )
        % locals()
    )


def parse_wrk(name, output):
    for line in output.splitlines():
        if line.startswith("RESULT "):
            figures = json.loads(line.removeprefix("RESULT "))
            return Result(
                name=name,
                requests_per_second=figures["requests"] / figures["seconds"],
                p50_ms=figures["p50"] / 1000,
                p95_ms=figures["p95"] / 1000,
                p99_ms=figures["p99"] / 1000,
                errors=figures["errors"],
            )
    raise CommandError(_("wrk printed no result for %(name)s:\n%(output)s") % locals())


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()


def wait_until_up(url, process, *, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError(_("The server stopped while starting up."))
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise CommandError(_("The server did not answer %(url)s in time.") % {"url": url})


class Command(BaseCommand):
    help = _("Load-test the pages under gunicorn with wrk and compare them to a bare view.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url",
            default=os.environ.get(
                "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cp_bench_web"
            ),
            help=_("PostgreSQL database of its own; created and seeded when missing."),
        )
        parser.add_argument("--organisations", type=int, default=10_000)
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--seconds", type=int, default=10, help=_("Timed run per page."))
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)

    def handle(self, *args, **options):
        self.programs = {
            program: find_program(program, say=self.stdout.write) for program in PROGRAMS
        }
        database_url = options["database_url"]
        if not database_url.startswith("postgres"):
            raise CommandError(_("bench_web needs a PostgreSQL database URL."))
        with tempfile.TemporaryDirectory(prefix="bench-web-") as scratch:
            scratch = Path(scratch)
            redis_port, web_port = free_port(), free_port()
            environment = self.production_environment(
                database_url, f"redis://127.0.0.1:{redis_port}/0", scratch
            )
            redis = subprocess.Popen(
                [
                    self.programs["redis-server"],
                    "--port",
                    str(redis_port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
            )
            processes = [redis]
            try:
                self.prepare_database(database_url, environment, options["organisations"])
                self.run_step(["manage.py", "collectstatic", "--noinput", "-v0"], environment)
                web = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "clusterportal.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{web_port}",
                        "--workers",
                        str(options["workers"]),
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=environment,
                )
                processes.insert(0, web)
                base = f"http://127.0.0.1:{web_port}"
                wait_until_up(f"{base}/bench/bare/", web, timeout=120)
                results = []
                for name, paths in self.targets(environment):
                    # Each page is built once, as a visitor before the run would have (the
                    # shared cache then holds it for every worker), and every worker builds
                    # its directory index and opens its connections: the run measures the
                    # steady state, not the first visits.
                    for path in paths:
                        fetch(f"{base}{path}")
                    self.wrk(base, name, paths, seconds=3, connections=options["connections"])
                    results.append(
                        self.wrk(
                            base,
                            name,
                            paths,
                            seconds=options["seconds"],
                            connections=options["connections"],
                        )
                    )
            finally:
                for process in processes:
                    process.terminate()
                    process.wait(timeout=30)
        self.stdout.write(
            _("%(workers)s gunicorn workers, %(connections)s connections, %(seconds)s s a page")
            % options
        )
        for line in format_table(results):
            self.stdout.write(line)
        self.stdout.write(json.dumps(summary(results)))

    def production_environment(self, database_url, cache_url, scratch):
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "CELERY_", "CACHE_URL", "REDIS_URL", "OIDC_"))
        }
        return environment | {
            "DJANGO_SETTINGS_MODULE": "clusterportal.settings",
            "ROOT_URLCONF": "clusterportal.management.bench_urls",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "CACHE_URL": cache_url,
            "STATIC_ROOT": str(scratch / "static"),
            "LOG_LEVEL": "WARNING",
            # The load generator is one client at one address: no rate limit applies to it
            # (the user limit counts anonymous requests per address too).
            "API_THROTTLE_ANON": "off",
            "API_THROTTLE_USER": "off",
        }

    def run_step(self, arguments, environment):
        done = subprocess.run(
            [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True
        )
        if done.returncode:
            raise CommandError(f"{' '.join(arguments)}:\n{done.stderr[-3000:]}")
        return done.stdout

    def prepare_database(self, database_url, environment, organisations):
        parts = urlsplit(database_url)
        name = parts.path.lstrip("/")
        server = parts._replace(path="/postgres").geturl()
        connection = psycopg2.connect(server)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cursor.fetchone() is None:
                    self.stdout.write(_("Creating database %(name)s") % {"name": name})
                    cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        self.run_step(["manage.py", "migrate", "--noinput", "-v0"], environment)
        self.run_step(["manage.py", "load_reference_data"], environment)
        self.run_step(
            [
                "manage.py",
                "seed_demo",
                "--organisations",
                str(organisations),
                "--seed",
                "2016",
                "--if-empty",
            ],
            environment,
        )
        # Calls, strategic partnerships and events for their pages (each safe to run again;
        # the events need the demo staff user as their organiser).
        self.run_step(["manage.py", "create_demo_users", "--verbosity", "0"], environment)
        self.run_step(["manage.py", "seed_partnerships"], environment)
        self.run_step(["manage.py", "seed_events"], environment)
        # A freshly seeded table has no planner statistics yet; a live database gets them from
        # autovacuum, and without them PostgreSQL sorts the whole table for one page.
        connection = psycopg2.connect(database_url)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        finally:
            connection.close()

    def targets(self, environment):
        code = (
            "import django, json; django.setup(); "
            "from partnerships.models import Organisation as O; "
            "v = O.objects.filter(validation_state='verified'); "
            "o = v.order_by('?').values_list('pk', flat=True)[:200]; "
            "c = v.values_list('country_id', flat=True).order_by('country_id').first(); "
            "s = v.filter(country_id=c).values_list('sectoral_industries__slug', flat=True)"
            ".exclude(sectoral_industries__slug=None).first(); "
            "from partnerships.models import StrategicPartnership as P; "
            "p = P.objects.exclude(call__state='draft').values_list('pk', flat=True); "
            "from events.models import Event as E; "
            "e = E.objects.values_list('pk', flat=True); "
            "print(json.dumps([list(o), c, s, list(p), list(e)]))"
        )
        organisation_ids, country, sector, partnership_ids, event_ids = json.loads(
            self.run_step(["-c", code], environment).splitlines()[-1]
        )
        if not partnership_ids or not event_ids:
            raise CommandError(_("The seeded database has no partnership or no event to load."))
        return [
            (BARE, ["/bench/bare/"]),
            ("directory", ["/organisations/"]),
            ("filtered directory", [f"/organisations/?country={country}&sector={sector}"]),
            ("organisation page", [f"/organisations/{pk}/" for pk in organisation_ids]),
            ("api list", ["/api/v1/organisations/"]),
            ("partnership page", [f"/partnerships/{pk}/" for pk in partnership_ids]),
            ("event page", [f"/events/{pk}/" for pk in event_ids]),
            ("calls list", ["/calls/"]),
            ("hotspots", ["/regions/hotspots/"]),
        ]

    def wrk(self, base, name, paths, *, seconds, connections):
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(REPORT_LUA % {"paths": ", ".join(json.dumps(path) for path in paths)})
            script.flush()
            done = subprocess.run(
                [
                    self.programs["wrk"],
                    "-t",
                    "2",
                    "-c",
                    str(connections),
                    "-d",
                    f"{seconds}s",
                    "--timeout",
                    "10s",
                    "-s",
                    script.name,
                    base,
                ],
                capture_output=True,
                text=True,
            )
        if done.returncode:
            raise CommandError(done.stderr)
        return parse_wrk(name, done.stdout)
