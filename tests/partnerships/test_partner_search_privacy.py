import pytest

from partnerships import services
from partnerships.models import PartnerSearchComment, PartnerSearchFollow
from tests.factories import PartnerSearchFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(full_name="Zofia Quintero", email="zofia@example.eu")


def test_export_holds_comments_and_follows(person):
    search = PartnerSearchFactory()
    services.comment_on_partner_search(search, body="Count us in.", by=person)
    services.follow_partner_search(search, by=person)

    data = services.export_personal_data(user=person)

    assert [c["body"] for c in data["partner_search_comments"]] == ["Count us in."]
    assert [f["search_id"] for f in data["partner_searches_followed"]] == [search.pk]
    assert data["partner_search_answers"] == []


def test_erasure_redacts_comments_and_drops_follows(person, staff):
    search = PartnerSearchFactory()
    services.comment_on_partner_search(
        search, body="Write to Zofia Quintero at zofia@example.eu.", by=person
    )
    services.follow_partner_search(search, by=person)

    services.erase_person(user=person, by=staff)

    body = PartnerSearchComment.objects.get().body
    assert "Zofia" not in body
    assert "zofia@example.eu" not in body
    assert PartnerSearchFollow.objects.count() == 0
