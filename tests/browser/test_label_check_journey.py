"""Staff find a declared label in the queue, check it on the validation page, and it counts."""

import pytest
from django.core import mail

from partnerships.enums import LabelLevel, LabelState
from partnerships.models import Label
from tests.browser.session import log_in
from tests.factories import LabelFactory, StaffFactory, managed_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_verify_a_declared_label(page):
    organisation, manager = managed_organisation("Lombardy Mechatronics", "IT")
    label = LabelFactory(
        organisation=organisation, level=LabelLevel.GOLD, state=LabelState.DECLARED
    )
    staff = StaffFactory(full_name="Sven Staff")

    page.goto(organisation.get_absolute_url())
    assert page.locator(".badge--label-declared").inner_text() == "declared"

    log_in(page, staff.email)
    page.goto("/staff/validation/")
    page.click("text=Lombardy Mechatronics")
    section = page.locator(f"#label-{label.pk}")
    assert section.locator(".badge--label-declared").inner_text() == "Declared"

    # Verifying without the checks is refused, with the reason next to each box.
    section.locator("input[value=verify]").check()
    section.locator("button[type=submit]").click()
    section = page.locator(f"#label-{label.pk}")
    assert section.locator("text=Look at the certificate before verifying.").count() == 1
    assert Label.objects.get(pk=label.pk).state == LabelState.DECLARED

    section.locator("input[value=verify]").check()
    section.locator(f"#id_label-{label.pk}-certificate_seen").check()
    section.locator(f"#id_label-{label.pk}-dates_checked").check()
    section.locator("button[type=submit]").click()
    page.wait_for_selector(f"#label-{label.pk} .badge--label-verified")

    assert Label.objects.get(pk=label.pk).state == LabelState.VERIFIED
    assert [message.to for message in mail.outbox] == [[manager.email]]
    page.goto(organisation.get_absolute_url())
    assert page.locator(".badge--label-declared").count() == 0
