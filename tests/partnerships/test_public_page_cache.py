"""The public pages about one thing (an organisation, a partnership) and the calls list, served
from the page cache to visitors without an account, and replaced by every write they show."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships import services
from partnerships.enums import (
    AwardingBody,
    CallState,
    LabelLevel,
    OutcomeKind,
    PartnershipPhase,
    ValidationState,
)
from partnerships.services.partnership import update_partnership
from tests.factories import (
    CallFactory,
    CountryFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipMemberFactory,
    PartnershipMilestoneFactory,
    RegionFactory,
    StrategicPartnershipFactory,
)

pytestmark = pytest.mark.django_db

CALLS = reverse("partnerships:call-list")
HOTSPOTS = reverse("partnerships:hotspots")


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
    """The page a first visitor gets, and that a second one is served from the cache."""
    first = Client().get(url)
    second = Client().get(url)
    assert first.context is not None and second.context is None
    return second


def test_an_organisation_page_is_served_again_without_a_query(django_assert_num_queries):
    organisation = OrganisationFactory(name="Photonics Valley")
    url = organisation.get_absolute_url()
    first = Client().get(url)

    with django_assert_num_queries(0):
        second = Client().get(url)

    assert first.status_code == second.status_code == 200
    assert second.context is None
    assert b"Photonics Valley" in second.content


def test_a_profile_change_replaces_the_organisation_page(staff, commit):
    organisation = OrganisationFactory(name="Photonics Valley")
    url = organisation.get_absolute_url()
    _stored(url)

    commit(services.update_organisation, organisation, by=staff, name="Laser Coast")
    after = Client().get(url)

    assert after.context is not None
    assert b"Laser Coast" in after.content
    assert b"Photonics Valley" not in after.content


def test_a_new_label_replaces_the_organisation_page(staff, commit):
    organisation = OrganisationFactory()
    url = organisation.get_absolute_url()
    assert b"labels-title" not in _stored(url).content

    commit(
        services.record_label,
        organisation,
        level=LabelLevel.GOLD,
        awarding_body=AwardingBody.ESCA,
        assessed_on=dt.date.today() - dt.timedelta(days=10),
        valid_until=dt.date.today() + dt.timedelta(days=700),
        by=staff,
    )
    after = Client().get(url)

    assert after.context is not None
    assert b"labels-title" in after.content


def test_a_validation_change_replaces_the_organisation_page(staff, commit):
    organisation = OrganisationFactory()
    url = organisation.get_absolute_url()
    _stored(url)

    commit(
        services.change_validation_state,
        organisation,
        to=ValidationState.REJECTED,
        by=staff,
        reason="The website names another organisation.",
    )

    assert Client().get(url).status_code == 404


def test_a_change_to_another_organisation_keeps_the_page_stored(staff, commit):
    organisation = OrganisationFactory(name="Photonics Valley")
    other = OrganisationFactory()
    url = organisation.get_absolute_url()
    _stored(url)

    commit(services.update_organisation, other, by=staff, name="Laser Coast")

    assert Client().get(url).context is None


def test_a_signed_in_visitor_never_gets_the_stored_organisation_page():
    organisation = OrganisationFactory(contact_email="office@photonics.example.eu")
    url = organisation.get_absolute_url()
    _stored(url)
    visitor = Client()
    visitor.force_login(MembershipFactory().user)

    page = visitor.get(url)

    assert page.context is not None
    assert b"mailto:office@photonics.example.eu" in page.content


def test_reloaded_reference_data_replaces_the_organisation_page():
    hungary = CountryFactory(code="HU", iso_code="HU", name="Hungary")
    region = RegionFactory(code="HU33", name="Southern Great Plain", country=hungary)
    url = OrganisationFactory(region=region).get_absolute_url()
    _stored(url)

    call_command("load_reference_data", stdout=io.StringIO())

    assert "Dél-Alföld (HU33)".encode() in Client().get(url).content


def _partnership():
    coordinator = OrganisationFactory(name="Photonics Valley")
    partnership = StrategicPartnershipFactory(name="Light Bridge", coordinator=coordinator)
    return partnership, partnership.get_absolute_url()


def test_a_partnership_page_is_served_again_without_a_query(django_assert_num_queries):
    _, url = _partnership()
    first = Client().get(url)

    with django_assert_num_queries(0):
        second = Client().get(url)

    assert first.status_code == second.status_code == 200
    assert second.context is None
    assert b"Light Bridge" in second.content


def test_a_partnership_update_replaces_its_page(staff, commit):
    partnership, url = _partnership()
    _stored(url)

    commit(update_partnership, partnership=partnership, by=staff, name="Light Arch")

    assert b"Light Arch" in Client().get(url).content


def test_a_new_phase_replaces_the_partnership_page(staff, commit):
    partnership, url = _partnership()
    _stored(url)

    commit(services.advance_phase, partnership=partnership, by=staff)
    after = Client().get(url)

    assert after.context is not None
    assert after.context["partnership"].phase == PartnershipPhase.IMPLEMENTATION


def test_a_new_milestone_replaces_the_partnership_page(staff, commit):
    partnership, url = _partnership()
    _stored(url)

    commit(
        services.add_milestone,
        partnership=partnership,
        phase=PartnershipPhase.PREPARATORY,
        title="Joint strategy adopted",
        due_on=dt.date(2024, 6, 30),
        by=staff,
    )

    assert b"Joint strategy adopted" in Client().get(url).content


def test_a_reached_milestone_replaces_the_partnership_page(staff, commit):
    partnership, url = _partnership()
    milestone = PartnershipMilestoneFactory(partnership=partnership, title="Kick-off")
    assert b"reached on" not in _stored(url).content

    commit(services.reach_milestone, milestone=milestone, reached_on=dt.date(2024, 2, 1), by=staff)

    assert b"reached on" in Client().get(url).content


def test_a_new_outcome_replaces_the_partnership_page(staff, commit):
    partnership, url = _partnership()
    _stored(url)

    commit(
        services.add_outcome,
        partnership=partnership,
        kind=OutcomeKind.AGREEMENT,
        description="Cooperation agreement signed in Osaka.",
        achieved_on=dt.date(2024, 9, 1),
        by=staff,
    )

    assert b"Cooperation agreement signed in Osaka." in Client().get(url).content


def test_a_members_profile_change_replaces_the_partnership_page(staff, commit):
    partnership, url = _partnership()
    member = PartnershipMemberFactory(partnership=partnership).organisation
    _stored(url)

    commit(services.update_organisation, member, by=staff, name="Laser Coast")

    assert b"Laser Coast" in Client().get(url).content


def test_a_call_change_replaces_the_partnership_page(staff, commit):
    partnership, url = _partnership()
    _stored(url)

    commit(services.update_call, partnership.call, by=staff, title="Clusters meet abroad")

    assert b"Clusters meet abroad" in Client().get(url).content


def test_the_calls_list_is_served_again_without_a_query(django_assert_num_queries):
    CallFactory(title="Clusters go international")
    first = Client().get(CALLS)

    with django_assert_num_queries(0):
        second = Client().get(CALLS)

    assert first.status_code == second.status_code == 200
    assert second.context is None
    assert b"Clusters go international" in second.content


def test_a_call_update_replaces_the_calls_list(staff, commit):
    call = CallFactory(title="Clusters go international")
    _stored(CALLS)

    commit(services.update_call, call, by=staff, title="Clusters meet abroad")

    assert b"Clusters meet abroad" in Client().get(CALLS).content


def test_an_opened_call_replaces_the_calls_list(staff, commit):
    call = CallFactory(title="Clusters go international", state=CallState.DRAFT)
    assert b"Clusters go international" not in _stored(CALLS).content

    commit(services.change_call_state, call, to=CallState.OPEN, by=staff)

    assert b"Clusters go international" in Client().get(CALLS).content


def test_a_moved_deadline_replaces_the_calls_list(staff, commit):
    call = CallFactory(deadline=timezone.now() + dt.timedelta(days=30))
    _stored(CALLS)

    commit(
        services.set_stage,
        call,
        number=2,
        deadline=timezone.now() + dt.timedelta(days=90),
        by=staff,
    )

    assert b"Stage 2 deadline" in Client().get(CALLS).content


def test_the_hotspots_page_follows_the_directory(staff, commit):
    germany = CountryFactory(code="DE", iso_code="DE", name="Germany")
    organisation = OrganisationFactory(region=RegionFactory(code="DE11", country=germany))
    count = re.compile(rb'data-region="DE11" data-value="(\d+)"')
    assert count.findall(_stored(HOTSPOTS).content) == [b"1"]

    commit(
        services.change_validation_state,
        organisation,
        to=ValidationState.REJECTED,
        by=staff,
        reason="The website names another organisation.",
    )
    after = Client().get(HOTSPOTS)

    assert after.context is not None
    assert count.findall(after.content) == [b"0"]


def test_a_hotspots_fragment_is_stored_apart_from_the_page():
    _stored(HOTSPOTS)

    fragment = Client().get(HOTSPOTS, HTTP_HX_REQUEST="true")

    assert fragment.context is not None
    assert b"<html" not in fragment.content
