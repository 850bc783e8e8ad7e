import pytest
from kombu.exceptions import OperationalError

from matchmaking.tasks import rescore_organisations
from partnerships import services
from partnerships.models import Organisation
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def unreachable_broker(monkeypatch):
    # What publishing a task raises when Redis does not answer.
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(rescore_organisations, "delay", refuse)


@pytest.mark.django_db
def test_profile_save_succeeds_and_stays_flagged_when_the_broker_is_down(
    unreachable_broker, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(description="Before")
    Organisation.objects.filter(pk=organisation.pk).update(needs_rescoring=False)
    organisation.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.update_organisation(organisation, by=UserFactory(), description="After")

    saved = Organisation.objects.get(pk=organisation.pk)
    assert (saved.description, saved.needs_rescoring) == ("After", True)
