"""A manager's chosen logo survives a form error, and the saved logo shows as an image."""

import re

import pytest

from partnerships.enums import MembershipRole, ValidationState
from tests.browser.session import log_in
from tests.factories import MembershipFactory, OrganisationFactory
from tests.hostile_files import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_logo_is_kept_after_a_form_error_and_then_saved(page, tmp_path):
    organisation = OrganisationFactory(validation_state=ValidationState.DRAFT)
    manager = MembershipFactory(organisation=organisation, role=MembershipRole.OWNER).user
    logo = tmp_path / "Logo Köln.png"
    logo.write_bytes(png(size=(120, 60)))
    log_in(page, manager.email)

    page.goto(f"/organisations/{organisation.pk}/edit/")
    page.fill("#id_name", "")
    page.set_input_files("#id_logo", str(logo))
    page.click("button[value=stay]")
    kept = page.get_by_text("Kept: Logo Köln.png. Choose another file to replace it.")
    kept.wait_for()
    page.fill("#id_name", "Mobility Valley")
    page.click("button[value=stay]")
    page.get_by_text("Your draft is saved.").wait_for()

    organisation.refresh_from_db()
    assert organisation.logo_original_name == "Logo Köln.png"
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.png", organisation.logo.name)
    # The live test server answers MEDIA_URL itself, so only the stored file is checked here;
    # tests/test_uploads.py checks the portal's own answer (type, nosniff, disposition).
    response = page.request.get(f"/media/{organisation.logo.name}")
    assert (response.status, response.body()[:8]) == (200, b"\x89PNG\r\n\x1a\n")
