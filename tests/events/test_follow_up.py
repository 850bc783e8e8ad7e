import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from events import services
from events.enums import OUTCOME_TRANSITIONS, MeetingOutcome, MeetingState
from events.models import Meeting, MeetingRating
from partnerships.enums import MembershipRole
from partnerships.signals import organisation_profile_sections
from tests.factories import (
    EventFactory,
    MeetingFactory,
    MembershipFactory,
    SlotFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _held_meeting(**kwargs):
    event = EventFactory(starts_on=dt.date.today() - dt.timedelta(days=2))
    start = timezone.now() - dt.timedelta(hours=3)
    slot = SlotFactory(event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=30))
    return MeetingFactory(event=event, slot=slot, table=4, **kwargs)


def _upcoming_meeting():
    event = EventFactory()
    start = timezone.now() + dt.timedelta(days=30)
    slot = SlotFactory(event=event, starts_at=start, ends_at=start + dt.timedelta(minutes=30))
    return MeetingFactory(event=event, slot=slot, table=1)


def test_each_side_rates_a_held_meeting_once_and_may_change_it():
    meeting = _held_meeting()

    services.rate_meeting(meeting, by=meeting.requester.user, stars=4, comment=" Useful ")
    services.rate_meeting(meeting, by=meeting.recipient.user, stars=2)
    services.rate_meeting(meeting, by=meeting.requester.user, stars=5)

    assert sorted(MeetingRating.objects.values_list("by_id", "stars", "comment")) == sorted(
        [(meeting.requester_id, 5, ""), (meeting.recipient_id, 2, "")]
    )


@pytest.mark.parametrize(
    ("make", "stars", "code"),
    [
        (_upcoming_meeting, 4, "not_held"),
        (_held_meeting, 0, "stars"),
        (_held_meeting, 6, "stars"),
    ],
)
def test_rating_is_refused_before_the_meeting_or_out_of_range(make, stars, code):
    meeting = make()

    with pytest.raises(ValidationError) as error:
        services.rate_meeting(meeting, by=meeting.requester.user, stars=stars)

    assert error.value.code == code
    assert MeetingRating.objects.count() == 0


def test_rating_by_someone_else_is_refused():
    meeting = _held_meeting()

    with pytest.raises(ValidationError) as error:
        services.rate_meeting(meeting, by=UserFactory(), stars=3)

    assert error.value.code == "party"


def test_declined_meeting_was_not_held_even_with_a_past_slot():
    meeting = _held_meeting(state=MeetingState.DECLINED)

    assert meeting.was_held() is False


@pytest.mark.parametrize("current", list(MeetingOutcome))
@pytest.mark.parametrize("to", list(MeetingOutcome))
def test_outcome_moves_only_as_the_table_allows(current, to):
    meeting = _held_meeting(outcome=current)

    if to in OUTCOME_TRANSITIONS[current]:
        services.report_outcome(meeting, by=meeting.recipient.user, outcome=to)
        assert Meeting.objects.get(pk=meeting.pk).outcome == to
    else:
        with pytest.raises(ValidationError):
            services.report_outcome(meeting, by=meeting.recipient.user, outcome=to)
        assert Meeting.objects.get(pk=meeting.pk).outcome == current


def test_reported_outcome_tells_the_other_side(mailoutbox, django_capture_on_commit_callbacks):
    meeting = _held_meeting()

    with django_capture_on_commit_callbacks(execute=True):
        services.report_outcome(
            meeting, by=meeting.requester.user, outcome=MeetingOutcome.AGREEMENT
        )

    assert [m.to for m in mailoutbox] == [[meeting.recipient.user.email]]
    assert "Agreement reached" in mailoutbox[0].body


def test_held_meeting_can_no_longer_be_cancelled():
    meeting = _held_meeting()

    with pytest.raises(ValidationError) as error:
        services.cancel_meeting(meeting, by=meeting.requester.user)

    assert error.value.code == "held"
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.ACCEPTED


def test_follow_up_page_saves_a_rating_and_an_outcome(client):
    meeting = _held_meeting()
    client.force_login(meeting.recipient.user)
    url = reverse("events:meeting-follow-up", args=[meeting.pk])

    rated = client.post(url, {"form": "rating", "stars": "5", "comment": "Great partner"})
    outcome = client.post(url, {"form": "outcome", "outcome": "negotiation"})
    page = client.get(url)

    assert (rated.status_code, rated["Location"]) == (302, url)
    assert (outcome.status_code, outcome["Location"]) == (302, url)
    assert list(MeetingRating.objects.values_list("by_id", "stars", "comment")) == [
        (meeting.recipient_id, 5, "Great partner")
    ]
    assert Meeting.objects.get(pk=meeting.pk).outcome == MeetingOutcome.NEGOTIATION
    assert page.context["my_rating"].stars == 5
    assert [value for value, _label in page.context["outcome_form"].fields["outcome"].choices] == [
        "agreement",
        "no_agreement",
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"form": "rating", "stars": "9"},
        {"form": "rating"},
        {"form": "outcome", "outcome": "none"},
        {"form": "outcome", "outcome": "signed"},
    ],
)
def test_follow_up_page_with_bad_input_answers_400_and_changes_nothing(client, data):
    meeting = _held_meeting()
    client.force_login(meeting.requester.user)

    response = client.post(reverse("events:meeting-follow-up", args=[meeting.pk]), data)

    assert response.status_code == 400
    assert MeetingRating.objects.count() == 0
    assert Meeting.objects.get(pk=meeting.pk).outcome == MeetingOutcome.NONE


def test_follow_up_page_before_the_meeting_explains_and_refuses(client):
    meeting = _upcoming_meeting()
    client.force_login(meeting.requester.user)
    url = reverse("events:meeting-follow-up", args=[meeting.pk])

    page = client.get(url)
    post = client.post(url, {"form": "rating", "stars": "4"})

    assert page.context["held"] is False
    assert "once it has taken place" in page.content.decode()
    assert post.status_code == 400
    assert post.context["rating_form"].non_field_errors() == [
        "A meeting can be rated and followed up once it has taken place."
    ]


def test_follow_up_page_of_someone_elses_meeting_is_404(client):
    meeting = _held_meeting()
    client.force_login(UserFactory())

    response = client.get(reverse("events:meeting-follow-up", args=[meeting.pk]))

    assert response.status_code == 404


def test_agenda_links_a_held_meeting_to_its_follow_up(client):
    meeting = _held_meeting()
    client.force_login(meeting.requester.user)

    html = client.get(reverse("events:agenda", args=[meeting.event_id])).content.decode()

    assert reverse("events:meeting-follow-up", args=[meeting.pk]) in html
    assert reverse("events:meeting-cancel", args=[meeting.pk]) not in html


def _profile_sections(organisation, user):
    request = RequestFactory().get("/")
    request.user = user
    return [
        section
        for _receiver, section in organisation_profile_sections.send(
            sender=type(organisation), organisation=organisation, request=request
        )
        if section
    ]


def test_agreement_shows_on_both_profiles_to_everybody(client):
    meeting = _held_meeting(outcome=MeetingOutcome.AGREEMENT, outcome_at=timezone.now())
    requester_org = meeting.requester.organisation
    recipient_org = meeting.recipient.organisation

    requester_page = client.get(requester_org.get_absolute_url()).content.decode()
    recipient_page = client.get(recipient_org.get_absolute_url()).content.decode()

    assert "Results of matchmaking meetings" in requester_page
    assert f"with {recipient_org.name} after meeting at {meeting.event.title}" in requester_page
    assert f"with {requester_org.name} after meeting at {meeting.event.title}" in recipient_page


def test_negotiation_shows_only_to_the_organisations_people_and_staff():
    meeting = _held_meeting(outcome=MeetingOutcome.NEGOTIATION, outcome_at=timezone.now())
    organisation = meeting.requester.organisation
    colleague = MembershipFactory(organisation=organisation, role=MembershipRole.EDITOR).user

    seen = {
        "colleague": _profile_sections(organisation, colleague),
        "staff": _profile_sections(organisation, StaffFactory()),
        "stranger": _profile_sections(organisation, UserFactory()),
    }

    assert [len(sections) for sections in seen.values()] == [1, 1, 0]
    assert "Negotiation started" in seen["colleague"][0][1]


def test_profile_has_no_meeting_section_without_outcomes(client):
    meeting = _held_meeting()

    html = client.get(meeting.requester.organisation.get_absolute_url()).content.decode()

    assert "Results of matchmaking meetings" not in html
