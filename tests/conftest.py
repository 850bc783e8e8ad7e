import os
import re
import shutil
import socket

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import StaffFactory, UserFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Pages must work with no network: the browser may only talk to the test server.
OFF_MACHINE = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/])")


def skips_fail_in_ci(report, *, environ):
    """A skip in CI (`CI=true`) becomes a failure that gives the skip's reason.

    A run where the browser, worker or fault tests skipped for want of Chromium, Redis or a
    server binary would pass without having checked them; on a developer's machine the skip,
    with its reason, is enough.
    """
    if (
        environ.get("CI", "").lower() == "true"
        and report.skipped
        and not hasattr(report, "wasxfail")
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"Every test must run in CI, and this one was skipped: {reason}"
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    return skips_fail_in_ci((yield), environ=os.environ)


def redis_answers(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    # Production hashes with PBKDF2 at a million iterations: about a third of a second per
    # test person. Tests check behaviour, not hashing cost; test_production keeps the real one.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One transaction around the rest of a test module, for data that is costly to build and
    that its tests only read: a module fixture builds it once on top of this one.

    Each test's own transaction is a savepoint inside this one, so what a test writes still
    rolls back at its end; the module's data rolls back after its last test. Every test that
    runs after the data is built sees it, whether it asks for it or not: in such a module, the
    tests that need an empty database come first.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits (sign-up e-mails, logins) live in the cache; no test inherits another's.
    cache.clear()


@pytest.fixture(autouse=True)
def _no_public_page_cache(settings):
    # Factories write without the services that announce a change to the directory; the
    # page cache's own tests turn it back on.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _default_language():
    # LocaleMiddleware activates a request's language for the thread and never resets it,
    # so a test that renders French would leak French into the next test's plain calls.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def redis_url():
    if not redis_answers():
        pytest.skip("Redis does not answer on 127.0.0.1:6379 (start redis-server to run this)")
    return "redis://127.0.0.1:6379/15"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install -y chromium) for browser tests")
    # Playwright's sync API runs an event loop in this thread; the live server's database
    # work happens in its own thread, so Django's async guard does not apply here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.route(OFF_MACHINE, lambda route: route.abort())
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
