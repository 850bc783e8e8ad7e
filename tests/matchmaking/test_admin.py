import pytest
from django.urls import reverse

from matchmaking.models import WEIGHT_FIELDS, WeightProfile
from partnerships.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def form_data(profile, **changes):
    data = {"name": profile.name, "slug": profile.slug, **profile.weights}
    return {**data, **changes}


def test_staff_edit_weight_profile_saves_weights_and_audits(client, superuser):
    profile = WeightProfile.objects.get(slug="internationalisation")
    client.force_login(superuser)

    response = client.post(
        reverse("admin:matchmaking_weightprofile_change", args=[profile.pk]),
        form_data(profile, international=0.4, text=0.0),
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.international, profile.text) == (0.4, 0.0)
    entry = AuditEntry.objects.get(action="weights saved", object_id=str(profile.pk))
    assert entry.actor == superuser
    assert entry.data == profile.weights


def test_staff_negative_weight_is_refused_and_changes_nothing(client, superuser):
    profile = WeightProfile.objects.get(slug="default")
    before = profile.weights
    client.force_login(superuser)

    response = client.post(
        reverse("admin:matchmaking_weightprofile_change", args=[profile.pk]),
        form_data(profile, strength=-1),
    )

    assert response.status_code == 200
    assert "strength" in response.context["adminform"].form.errors
    profile.refresh_from_db()
    assert profile.weights == before
    assert not AuditEntry.objects.filter(action="weights saved").exists()


def test_weight_profile_admin_lists_every_component(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:matchmaking_weightprofile_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].list_display) == [
        "action_checkbox",
        "name",
        "slug",
        *WEIGHT_FIELDS,
        "updated_at",
    ]
