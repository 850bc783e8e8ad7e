import shutil

import pytest
from rest_framework.test import APIClient

from tests.factories import StaffFactory, UserFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


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
