import pytest

from tests.factories import EventFactory, MeetingFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_events_api_is_public_and_filters_by_type(api_client):
    EventFactory(title="Online B2B", type="online")
    EventFactory(title="Fair", type="trade_fair")

    response = api_client.get("/api/v1/events/", {"type": "online"})

    assert response.status_code == 200
    assert [event["title"] for event in response.json()["results"]] == ["Online B2B"]


def test_participants_api_refuses_anonymous_and_outsiders(api_client):
    event = EventFactory()
    RegistrationFactory(event=event)

    anonymous = api_client.get(f"/api/v1/events/{event.pk}/participants/")
    api_client.force_authenticate(UserFactory())
    outsider = api_client.get(f"/api/v1/events/{event.pk}/participants/")

    assert (anonymous.status_code, outsider.status_code) == (403, 403)


def test_participants_api_lists_participants_for_a_participant(api_client):
    event = EventFactory()
    own = RegistrationFactory(event=event)
    other = RegistrationFactory(event=event)
    RegistrationFactory()  # another event's participant
    api_client.force_authenticate(own.user)

    response = api_client.get(f"/api/v1/events/{event.pk}/participants/")

    assert sorted(p["id"] for p in response.json()["results"]) == sorted([own.pk, other.pk])


def test_meetings_api_shows_only_own_meetings(api_client):
    mine = MeetingFactory()
    MeetingFactory()
    api_client.force_authenticate(mine.recipient.user)

    response = api_client.get("/api/v1/meetings/")

    assert [m["id"] for m in response.json()["results"]] == [mine.pk]


def test_meetings_api_foreign_meeting_is_404(api_client):
    foreign = MeetingFactory()
    api_client.force_authenticate(UserFactory())

    response = api_client.get(f"/api/v1/meetings/{foreign.pk}/")

    assert response.status_code == 404


def test_meetings_api_reports_the_outcome(api_client):
    meeting = MeetingFactory(outcome="negotiation")
    api_client.force_authenticate(meeting.recipient.user)

    response = api_client.get("/api/v1/meetings/")

    assert [(m["id"], m["outcome"]) for m in response.json()["results"]] == [
        (meeting.pk, "negotiation")
    ]
