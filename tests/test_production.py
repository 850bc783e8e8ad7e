import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.test.utils import override_settings

from clusterportal import settings as portal_settings
from clusterportal.jsonlog import JsonFormatter

ROOT = Path(django_settings.BASE_DIR)
POLICY = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def directives(header):
    # django-csp writes the directives in no fixed order.
    pairs = (directive.split() for directive in header.split(";"))
    return {name: sources for name, *sources in pairs}


def production_environment(tmp_path, **extra):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "SECURE_", "ALLOWED_HOSTS"))
    }
    environment |= {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.eu",
        "CSRF_TRUSTED_ORIGINS": "https://portal.example.eu",
        "SITE_URL": "https://portal.example.eu",
        "SECURE_SSL_REDIRECT": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
    }
    return environment | extra


def run_in_portal(arguments, environment):
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    result = run_in_portal(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_environment(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_fails_with_development_defaults(tmp_path):
    environment = production_environment(tmp_path, DEBUG="true", SECURE_SSL_REDIRECT="false")

    result = run_in_portal(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], environment
    )

    assert result.returncode == 1
    assert "security.W018" in result.stderr
    assert "security.W008" in result.stderr


def test_production_settings_come_from_the_environment_alone(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.ALLOWED_HOSTS, "
        "s.STORAGES['staticfiles']['BACKEND']]))"
    )
    environment = production_environment(
        tmp_path, DJANGO_SETTINGS_MODULE="clusterportal.settings", LOG_LEVEL="WARNING"
    )

    result = run_in_portal(["-c", code], environment)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        False,
        True,
        True,
        31536000,
        True,
        ["portal.example.eu"],
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    environment = production_environment(tmp_path, DJANGO_SETTINGS_MODULE="clusterportal.settings")
    del environment["SECRET_KEY"]

    result = run_in_portal(["-c", "import django; django.setup()"], environment)

    assert result.returncode == 1
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy(client):
    response = client.get("/")

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_api_docs_relax_style_src_alone_and_have_no_inline_script(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY | {
        "style-src": ["'self'", "'unsafe-inline'"]
    }
    assert "<script>" not in response.content.decode()


@pytest.mark.django_db
def test_api_docs_start_up_script_is_served_as_javascript(client):
    response = client.get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle" in response.content.decode()


def test_json_log_formatter_writes_one_object_with_extras():
    record = logging.LogRecord(
        "clusterportal.test", logging.WARNING, __file__, 1, "sent %d e-mails", (3,), None
    )
    record.created = 0.0
    record.organisation_id = 42

    line = JsonFormatter().format(record)

    assert json.loads(line) == {
        "time": "1970-01-01T00:00:00.000+00:00",
        "level": "WARNING",
        "logger": "clusterportal.test",
        "message": "sent 3 e-mails",
        "process": record.process,
        "organisation_id": 42,
    }


def test_json_log_formatter_keeps_the_traceback():
    try:
        raise ValueError("broken upload")
    except ValueError:
        record = logging.LogRecord(
            "clusterportal.test", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )

    entry = json.loads(JsonFormatter().format(record))

    assert entry["message"] == "failed"
    assert entry["exception"].splitlines()[-1] == "ValueError: broken upload"


def test_log_format_json_makes_the_processes_log_json(tmp_path):
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('clusterportal.worker').warning('queue %s is long', 'default')"
    )
    environment = production_environment(
        tmp_path, DJANGO_SETTINGS_MODULE="clusterportal.settings", LOG_FORMAT="json"
    )

    result = run_in_portal(["-c", code], environment)

    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(entry["logger"], entry["message"]) for entry in entries][-1] == (
        "clusterportal.worker",
        "queue default is long",
    )


def policy_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_render_in_chromium_under_the_policy(page):
    violations = policy_violations(page)

    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock-summary-path")

    assert page.locator(".opblock-summary-path").first.inner_text().startswith("/api/v1/")
    assert violations == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_load_in_chromium_without_policy_violations(page):
    violations = policy_violations(page)

    for path in ["/", "/organisations/", "/calls/", "/events/", "/accounts/login/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")

    assert violations == []


def test_workers_log_json_and_heartbeat_staleness_follows_the_interval(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CELERY_WORKER_HIJACK_ROOT_LOGGER, s.HEARTBEAT_STALE_AFTER, "
        "s.CELERY_BEAT_SCHEDULE['clusterportal-heartbeat']['schedule']]))"
    )
    environment = production_environment(
        tmp_path,
        DJANGO_SETTINGS_MODULE="clusterportal.settings",
        LOG_FORMAT="json",
        HEARTBEAT_INTERVAL="10",
        LOG_LEVEL="WARNING",
    )

    result = run_in_portal(["-c", code], environment)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, 30, 10.0]


def test_portal_hashes_passwords_with_pbkdf2_at_a_million_iterations(db):
    # The suite swaps in a fast hasher (tests/conftest.py); the portal's own setting is this one.
    with override_settings(PASSWORD_HASHERS=portal_settings.PASSWORD_HASHERS):
        hasher = get_hasher("default")
        encoded = hasher.encode("correct horse battery staple", hasher.salt())

    assert isinstance(hasher, PBKDF2PasswordHasher)
    assert encoded.split("$")[:2] == ["pbkdf2_sha256", "1000000"]


def test_tasks_without_a_broker_run_in_process_without_a_localhost_warning(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")} | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'eager.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "clusterportal.settings",
    }
    code = (
        "import django; django.setup()\n"
        "from clusterportal.tasks import heartbeat\n"
        "print(heartbeat.delay().successful())\n"
    )

    result = run_in_portal(["-c", code], environment)

    assert (result.returncode, result.stdout.strip()) == (0, "True"), result.stderr
    assert "Reverting to default 'localhost'" not in result.stderr
