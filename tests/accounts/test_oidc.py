"""Sign-in through an OpenID Connect provider (EU Login is one), on by configuration alone."""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

ROOT = Path(settings.BASE_DIR)

# Runs in a portal process configured with the OIDC_* variables, on a fresh SQLite database.
PROBE = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
call_command("migrate", verbosity=0)
call_command("makemigrations", "--check", "--dry-run", verbosity=0)
client = Client()
page = client.get("/accounts/login/").content.decode()
login_url = reverse("openid_connect_login", kwargs={"provider_id": "eulogin"})
redirect = client.post(login_url)
print(json.dumps({
    "login_url": login_url,
    "button": f'href="{login_url}' in page and "EU Login" in page,
    "status": redirect.status_code,
    "location": redirect.get("Location", ""),
    "form_action": redirect.get("Content-Security-Policy", ""),
}))
"""


class DiscoveryHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path != "/oidc/.well-known/openid-configuration":
            self.send_error(404)
            return
        body = json.dumps(
            {
                "issuer": f"{base}/oidc",
                "authorization_endpoint": f"{base}/oidc/authorize",
                "token_endpoint": f"{base}/oidc/token",
                "userinfo_endpoint": f"{base}/oidc/userinfo",
                "jwks_uri": f"{base}/oidc/jwks",
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    server = HTTPServer(("127.0.0.1", 0), DiscoveryHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def portal_environment(tmp_path, **extra):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OIDC_", "DATABASE_URL"))
    }
    return (
        environment
        | {
            "DJANGO_SETTINGS_MODULE": "clusterportal.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'oidc.sqlite3'}",
            "LOG_LEVEL": "WARNING",
            "AXES_ENABLED": "false",
        }
        | extra
    )


@pytest.mark.slow
def test_configured_provider_shows_a_button_and_sends_people_to_its_authorization_endpoint(
    tmp_path, provider
):
    environment = portal_environment(
        tmp_path,
        OIDC_PROVIDER_ID="eulogin",
        OIDC_NAME="EU Login",
        OIDC_SERVER_URL=f"{provider}/oidc",
        OIDC_CLIENT_ID="clusterportal",
        OIDC_CLIENT_SECRET="not-a-real-secret",
    )

    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["login_url"] == "/accounts/oidc/eulogin/login/"
    assert outcome["button"] is True
    assert outcome["status"] == 302
    location, _, query = outcome["location"].partition("?")
    assert location == f"{provider}/oidc/authorize"
    parameters = dict(pair.split("=", 1) for pair in query.split("&"))
    assert parameters["client_id"] == "clusterportal"
    assert parameters["response_type"] == "code"
    assert set(parameters["scope"].split("+")) == {"openid", "profile", "email"}
    assert parameters["code_challenge_method"] == "S256"
    assert parameters["redirect_uri"] == (
        "http%3A%2F%2Ftestserver%2Faccounts%2Foidc%2Feulogin%2Flogin%2Fcallback%2F"
    )
    assert f"form-action 'self' {provider}" in outcome["form_action"]


def test_half_configured_provider_refuses_to_start(tmp_path):
    environment = portal_environment(tmp_path, OIDC_PROVIDER_ID="eulogin", OIDC_CLIENT_ID="x")

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert (
        "OIDC_PROVIDER_ID is set, so OIDC_SERVER_URL, OIDC_CLIENT_SECRET must be set too."
        in result.stderr
    )


@pytest.mark.django_db
def test_without_configuration_there_is_no_provider_button_nor_social_url(client):
    page = client.get("/accounts/login/")
    social = client.get("/accounts/oidc/eulogin/login/")

    assert page.status_code == 200
    assert "/accounts/oidc/" not in page.content.decode()
    assert "socialaccount" not in page.content.decode()
    assert social.status_code == 404
    assert client.get("/accounts/3rdparty/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("openid_connect_login", kwargs={"provider_id": "eulogin"})
    assert "allauth.socialaccount" not in settings.INSTALLED_APPS
