"""On the day: a badge with a QR code per participant, and the organisers' check-in desk."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events import services
from events.enums import RegistrationState
from events.models import BADGE_ALPHABET
from partnerships.models import AuditEntry
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory()


def test_every_registration_gets_its_own_readable_badge_code(event):
    codes = {RegistrationFactory(event=event).badge_code for _ in range(5)}

    assert len(codes) == 5
    pattern = f"^[{BADGE_ALPHABET}]{{4}}-[{BADGE_ALPHABET}]{{4}}$"
    assert all(re.match(pattern, code) for code in codes)


def test_check_in_by_a_typed_code_in_any_case_and_only_once(event):
    registration = RegistrationFactory(event=event)
    typed = registration.badge_code.replace("-", " ").lower()

    first = services.check_in(event, code=typed, by=event.organiser)
    second = services.check_in(event, code=registration.badge_code, by=event.organiser)

    assert (first[1], second[1]) == (True, False)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert AuditEntry.objects.filter(action="checked_in").count() == 1


@pytest.mark.parametrize("case", ["unknown", "other_event", "pending"])
def test_check_in_refuses_a_code_that_is_not_a_validated_participants_here(event, case):
    if case == "pending":
        registration = RegistrationFactory(event=event, state=RegistrationState.PENDING)
        code, message = registration.badge_code, f"{registration.user} is not a validated"
    else:
        code = "ZZZZ-ZZZZ" if case == "unknown" else RegistrationFactory().badge_code
        message = f"No participant of this event has the badge code {code}."

    with pytest.raises(ValidationError) as error:
        services.check_in(event, code=code, by=event.organiser)

    assert error.value.messages[0].startswith(message)


def test_the_badge_qr_code_is_an_svg_of_the_check_in_address(client, event):
    registration = RegistrationFactory(event=event)
    client.force_login(registration.user)

    page = client.get(reverse("events:badge", args=[event.pk]))
    image = client.get(reverse("events:badge-qr", args=[event.pk]))

    assert registration.badge_code in page.content.decode()
    assert image["Content-Type"] == "image/svg+xml"
    assert image.content.startswith(b"<svg")
    assert b"<script" not in image.content


def test_a_scanned_badge_opens_the_desk_with_the_code_and_the_organiser_confirms(client, event):
    registration = RegistrationFactory(event=event)
    client.force_login(event.organiser)
    url = reverse("events:check-in", args=[event.pk])

    page = client.get(url, {"code": registration.badge_code})
    response = client.post(url, {"code": registration.badge_code}, follow=True)

    assert f'value="{registration.badge_code}"' in page.content.decode()
    assert [str(m) for m in response.context["messages"]] == [
        f"{registration.user} ({registration.organisation.name}) is checked in."
    ]
    assert response.context["here"] == 1


def test_a_wrong_code_at_the_desk_is_a_clear_error_that_keeps_it(client, event):
    client.force_login(event.organiser)

    response = client.post(reverse("events:check-in", args=[event.pk]), {"code": "ABCD-2345"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "No participant of this event has the badge code ABCD-2345." in body
    assert 'value="ABCD-2345"' in body


def test_who_is_here_now_filter(client, event):
    here, away = RegistrationFactory(event=event), RegistrationFactory(event=event)
    services.check_in(event, code=here.badge_code, by=event.organiser)
    client.force_login(event.organiser)

    response = client.get(reverse("events:workspace-participants", args=[event.pk]), {"here": "on"})

    assert [r.pk for r in response.context["participants"]] == [here.pk]
    assert away.pk not in [r.pk for r in response.context["participants"]]
