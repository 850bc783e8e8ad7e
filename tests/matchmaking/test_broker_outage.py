import pytest

from clusterportal.celery import app as celery_app
from partnerships import services
from partnerships.models import Organisation
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def unreachable_broker():
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_transport_options)
    conf.task_always_eager = False
    conf.broker_url = "redis://127.0.0.1:1/0"
    conf.broker_transport_options = {"max_retries": 0}
    celery_app.pool.force_close_all()
    yield
    conf.task_always_eager, conf.broker_url, conf.broker_transport_options = saved
    celery_app.pool.force_close_all()


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
