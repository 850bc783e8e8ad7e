import itertools

import pytest
from django.core.exceptions import ValidationError

from partnerships import services
from partnerships.enums import VALIDATION_TRANSITIONS, ValidationState
from partnerships.models import AuditEntry, Organisation
from tests.factories import OrganisationFactory

PAIRS = list(itertools.product(ValidationState.values, repeat=2))


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_validation_transition_follows_declared_table(current, target, staff):
    organisation = OrganisationFactory(validation_state=current)
    allowed = target in VALIDATION_TRANSITIONS.get(current, set())

    if allowed:
        services.change_validation_state(organisation, to=target, by=staff, reason="Not a cluster")
        organisation.refresh_from_db()
        assert organisation.validation_state == target
        assert AuditEntry.objects.filter(action=f"organisation.{target}").count() == 1
    else:
        with pytest.raises(ValidationError):
            services.change_validation_state(organisation, to=target, by=staff, reason="x")
        organisation.refresh_from_db()
        assert organisation.validation_state == current
        assert AuditEntry.objects.count() == 0


def test_every_state_has_a_way_out():
    assert set(VALIDATION_TRANSITIONS) == set(ValidationState.values)
    assert all(VALIDATION_TRANSITIONS[state] for state in ValidationState.values)


@pytest.mark.django_db
def test_rejection_without_reason_is_refused_and_changes_nothing(staff):
    organisation = OrganisationFactory(validation_state=ValidationState.PENDING)

    with pytest.raises(ValidationError) as error:
        services.change_validation_state(
            organisation, to=ValidationState.REJECTED, by=staff, reason="  "
        )

    assert error.value.message_dict == {"reason": ["Give the manager a reason for the rejection."]}
    organisation.refresh_from_db()
    assert organisation.validation_state == ValidationState.PENDING


@pytest.mark.django_db
def test_rejection_reason_is_kept_and_cleared_on_resubmission(staff, user):
    organisation = OrganisationFactory(validation_state=ValidationState.PENDING)

    services.change_validation_state(
        organisation, to=ValidationState.REJECTED, by=staff, reason="Fewer than 15 members"
    )
    organisation.refresh_from_db()
    assert organisation.rejection_reason == "Fewer than 15 members"

    services.change_validation_state(organisation, to=ValidationState.PENDING, by=user)
    organisation.refresh_from_db()
    assert organisation.rejection_reason == ""


# Not transactional: after the commit the matchmaking app re-scores (in process when no broker
# is configured) and clears the flag; this checks the flag set with the change itself.
@pytest.mark.django_db
def test_verification_marks_organisation_for_rescoring(staff):
    organisation = OrganisationFactory(validation_state=ValidationState.PENDING)
    Organisation.objects.filter(pk=organisation.pk).update(needs_rescoring=False)

    services.change_validation_state(organisation, to=ValidationState.VERIFIED, by=staff)

    assert Organisation.objects.get(pk=organisation.pk).needs_rescoring is True
