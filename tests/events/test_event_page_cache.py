"""The event page served from the page cache, and the organisation pages the events app
replaces through the page cache of the app below: agreements reached, and the partner's name
and the event's title they show."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from events import services
from events.enums import MeetingOutcome, RegistrationState
from partnerships import services as partnership_services
from tests.factories import (
    EventFactory,
    MeetingFactory,
    MeetingWindowFactory,
    MembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
    SlotFactory,
)

pytestmark = pytest.mark.django_db

PARTICIPANTS = re.compile(rb"Participants</dt><dd>(\d+)")
AGREEMENT_WITH = re.compile(rb"with (.+?) after meeting at (.+?)\s*<")


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a write as a request would: its after-commit callbacks (the version bumps) run."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def _stored(url):
    first = Client().get(url)
    second = Client().get(url)
    assert first.context is not None and second.context is None
    return second


def test_an_event_page_is_served_again_without_a_query(django_assert_num_queries):
    event = EventFactory(title="Battery days")
    url = event.get_absolute_url()
    Client().get(url)

    with django_assert_num_queries(0):
        second = Client().get(url)

    assert second.status_code == 200
    assert second.context is None
    assert b"Battery days" in second.content


def test_a_registration_replaces_the_event_page(commit):
    event = EventFactory()
    url = event.get_absolute_url()
    assert PARTICIPANTS.findall(_stored(url).content) == [b"0"]
    membership = MembershipFactory()

    commit(services.register, event, user=membership.user, organisation=membership.organisation)

    assert PARTICIPANTS.findall(Client().get(url).content) == [b"1"]


def test_an_approved_registration_replaces_the_event_page(commit):
    event = EventFactory(requires_approval=True)
    registration = RegistrationFactory(event=event, state=RegistrationState.PENDING)
    url = event.get_absolute_url()
    assert PARTICIPANTS.findall(_stored(url).content) == [b"0"]

    commit(services.decide_registration, registration, approve=True, by=event.organiser)

    assert PARTICIPANTS.findall(Client().get(url).content) == [b"1"]


def test_an_event_changed_in_the_back_office_replaces_its_page(commit):
    event = EventFactory(title="Battery days")
    url = event.get_absolute_url()
    _stored(url)
    event.title = "Hydrogen days"

    commit(event.save)

    assert b"Hydrogen days" in Client().get(url).content


def test_a_new_meeting_window_replaces_the_event_page(commit):
    event = EventFactory()
    url = event.get_absolute_url()
    assert b"Meeting times" not in _stored(url).content

    commit(MeetingWindowFactory, event=event)

    assert b"Meeting times" in Client().get(url).content


def test_a_person_erased_gives_up_the_place_on_the_event_page(commit):
    registration = RegistrationFactory()
    url = registration.event.get_absolute_url()
    assert PARTICIPANTS.findall(_stored(url).content) == [b"1"]

    commit(partnership_services.erase_person, user=registration.user, by=registration.user)

    assert PARTICIPANTS.findall(Client().get(url).content) == [b"0"]


def _held_meeting(requester, recipient, event_title="Battery days"):
    event = EventFactory(title=event_title, starts_on=dt.date.today() - dt.timedelta(days=2))
    start = timezone.now() - dt.timedelta(hours=3)
    slot = SlotFactory(event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=30))
    return MeetingFactory(
        event=event,
        slot=slot,
        table=1,
        requester__organisation=requester,
        recipient__organisation=recipient,
    )


def test_an_agreement_replaces_both_organisation_pages(commit):
    photonics = OrganisationFactory(name="Photonics Valley")
    lasers = OrganisationFactory(name="Laser Coast")
    meeting = _held_meeting(photonics, lasers)
    for organisation in (photonics, lasers):
        assert AGREEMENT_WITH.findall(_stored(organisation.get_absolute_url()).content) == []

    commit(
        services.report_outcome,
        meeting,
        by=meeting.requester.user,
        outcome=MeetingOutcome.AGREEMENT,
    )

    assert AGREEMENT_WITH.findall(Client().get(photonics.get_absolute_url()).content) == [
        (b"Laser Coast", b"Battery days")
    ]
    assert AGREEMENT_WITH.findall(Client().get(lasers.get_absolute_url()).content) == [
        (b"Photonics Valley", b"Battery days")
    ]


def _agreement(commit):
    photonics = OrganisationFactory(name="Photonics Valley")
    lasers = OrganisationFactory(name="Laser Coast")
    meeting = _held_meeting(photonics, lasers)
    commit(
        services.report_outcome,
        meeting,
        by=meeting.requester.user,
        outcome=MeetingOutcome.AGREEMENT,
    )
    url = photonics.get_absolute_url()
    assert AGREEMENT_WITH.findall(_stored(url).content) == [(b"Laser Coast", b"Battery days")]
    return meeting, lasers, url


def test_a_partners_profile_change_replaces_the_page_that_names_it(commit):
    meeting, lasers, url = _agreement(commit)

    commit(
        partnership_services.update_organisation,
        lasers,
        by=meeting.recipient.user,
        name="Optics Bay",
    )

    assert AGREEMENT_WITH.findall(Client().get(url).content) == [(b"Optics Bay", b"Battery days")]


def test_a_renamed_event_replaces_the_organisation_pages_that_name_it(commit):
    meeting, _, url = _agreement(commit)
    meeting.event.title = "Hydrogen days"

    commit(meeting.event.save)

    assert AGREEMENT_WITH.findall(Client().get(url).content) == [(b"Laser Coast", b"Hydrogen days")]
