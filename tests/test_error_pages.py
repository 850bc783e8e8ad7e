"""Error pages keep the portal's layout, speak the reader's language and say what to do next."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import bad_request

ROOT = Path(settings.BASE_DIR)


def _html(response):
    return response.content.decode()


@pytest.mark.django_db
def test_unknown_address_gets_the_portal_404_page(client):
    response = client.get("/no-such-page/")

    html = _html(response)
    assert response.status_code == 404
    assert "<title>Page not found · ClusterPortal</title>" in html
    assert '<main id="main" class="container" tabindex="-1">' in html
    assert '<a href="/organisations/">Search the organisation directory</a>' in html


@pytest.mark.django_db
def test_404_page_speaks_french(client):
    response = client.get("/no-such-page/", headers={"accept-language": "fr"})

    html = _html(response)
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in html
    assert '<a href="/">Aller à la page d\'accueil</a>' in html


@pytest.mark.django_db
def test_signed_in_person_without_the_right_gets_the_403_page(client, user):
    client.force_login(user)

    response = client.get("/staff/validation/", headers={"accept-language": "de"})

    html = _html(response)
    assert response.status_code == 403
    assert "<h1>Zugriff verweigert</h1>" in html
    assert "Ihr Konto darf diese Seite nicht öffnen." in html


@pytest.mark.django_db
def test_400_page_explains_and_links_home():
    request = RequestFactory().get("/")

    with translation.override("de"):
        response = bad_request(request, Exception("unreadable"))

    html = _html(response)
    assert response.status_code == 400
    assert "<h1>Ungültige Anfrage</h1>" in html
    assert '<a href="/">Zur Startseite</a>' in html


def test_500_page_stands_alone_in_the_reader_language():
    with translation.override("fr"):
        html = render_to_string("500.html")

    assert '<html lang="fr">' in html
    assert "<h1>Erreur du serveur</h1>" in html
    assert "{% extends" not in html
    assert '<link rel="stylesheet" href="/static/css/portal.css' in html


# What `make run` starts: the page a visitor gets for an unknown address, and a static file.
MAKE_RUN_PROBE = """
import django, json
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
client = Client()
page = client.get("/organisations/no-such-page/")
css = client.get("/static/css/portal.css")
print(json.dumps([page.status_code, page.content.decode()[:4000], css.status_code]))
"""


def _make_run_environment(tmp_path, **extra):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DEBUG", "SECRET_KEY", "SECURE_"))
    }
    return environment | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "clusterportal.settings",
        "PROBE": MAKE_RUN_PROBE,
        **extra,
    }


def _probe_make_run(tmp_path, **extra):
    plan = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    runserver = next(line for line in plan.stdout.splitlines() if "runserver" in line)
    variables = runserver.split(" .venv/bin/python ")[0]
    result = subprocess.run(
        ["bash", "-c", f'{variables} "{sys.executable}" -c "$PROBE"'],
        cwd=ROOT,
        env=_make_run_environment(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_make_run_shows_the_portal_404_page_and_serves_static_files(tmp_path):
    status, html, css_status = _probe_make_run(tmp_path)

    assert (status, css_status) == (404, 200)
    assert "<title>Page not found · ClusterPortal</title>" in html
    assert "URLconf" not in html


def test_make_run_shows_technical_pages_only_with_debug_true(tmp_path):
    status, html, css_status = _probe_make_run(tmp_path, DEBUG="true")

    assert (status, css_status) == (404, 200)
    assert "Using the URLconf defined in" in html


ICON = '<link rel="icon" href="/static/img/logo.svg" type="image/svg+xml">'


def test_500_page_names_the_favicon():
    assert ICON in render_to_string("500.html")


@pytest.mark.django_db
def test_admin_pages_name_the_favicon(client, staff):
    client.force_login(staff)

    html = client.get("/admin/").content.decode()

    assert ICON in html
