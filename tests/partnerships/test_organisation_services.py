import pytest
from django.core.exceptions import ValidationError

from partnerships import services
from partnerships.enums import MembershipRole, ValidationState
from partnerships.models import AuditEntry, Organisation, OrganisationMembership
from partnerships.signals import organisation_profile_changed
from tests.factories import OrganisationFactory, RegionFactory, SectoralIndustryFactory


@pytest.fixture
def profile_changes():
    received = []

    def listener(sender, organisation_ids, **kwargs):
        received.append(organisation_ids)

    organisation_profile_changed.connect(listener)
    yield received
    organisation_profile_changed.disconnect(listener)


@pytest.mark.django_db
def test_create_organisation_makes_a_draft_owned_by_its_creator(
    user, django_capture_on_commit_callbacks
):
    region = RegionFactory(code="DE21", country__code="DE")
    sector = SectoralIndustryFactory()

    with django_capture_on_commit_callbacks(execute=True):
        organisation = services.create_organisation(
            by=user,
            name="Bavarian Mobility Cluster",
            country=region.country,
            region=region,
            sectoral_industries=[sector],
        )

    assert organisation.validation_state == ValidationState.DRAFT
    assert list(organisation.sectoral_industries.all()) == [sector]
    assert OrganisationMembership.objects.get(organisation=organisation).user == user
    assert (
        OrganisationMembership.objects.get(organisation=organisation).role == MembershipRole.OWNER
    )
    assert AuditEntry.objects.get().action == "organisation.created"


@pytest.mark.django_db
def test_region_outside_the_country_is_refused_and_nothing_is_saved(user):
    french_region = RegionFactory(code="FR10", country__code="FR")
    germany = RegionFactory(code="DE21", country__code="DE").country

    with pytest.raises(ValidationError) as error:
        services.create_organisation(
            by=user, name="Misplaced", country=germany, region=french_region
        )

    assert error.value.message_dict == {"region": ["The region must lie in the chosen country."]}
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_update_marks_for_rescoring_and_signals_after_commit(
    user, profile_changes, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    Organisation.objects.filter(pk=organisation.pk).update(needs_rescoring=False)
    organisation.refresh_from_db()
    sector = SectoralIndustryFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.update_organisation(
            organisation, by=user, description="Batteries", sectoral_industries=[sector]
        )
        assert profile_changes == []

    assert Organisation.objects.get(pk=organisation.pk).needs_rescoring is True
    for callback in callbacks:
        callback()
    assert profile_changes == [[organisation.pk]]
    entry = AuditEntry.objects.get(action="organisation.updated")
    assert entry.data == {"fields": ["description", "sectoral_industries"]}


@pytest.mark.django_db
def test_invalid_update_keeps_the_saved_profile(user):
    organisation = OrganisationFactory(name="Kept", year_established=2005)

    with pytest.raises(ValidationError):
        services.update_organisation(organisation, by=user, name="", year_established=1700)

    organisation = Organisation.objects.get(pk=organisation.pk)
    assert (organisation.name, organisation.year_established) == ("Kept", 2005)
