import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from matchmaking import services as matchmaking_services
from matchmaking.models import Recommendation, RecommendationRun, RecommendationSet
from partnerships import services
from partnerships.enums import NotificationDelivery, NotificationKind
from partnerships.models import DigestDelivery, User
from partnerships.services.digest import (
    build_digests,
    send_digests,
    send_weekly_digest,
    unsubscribe_token,
    week_of,
)
from partnerships.tasks import send_weekly_digest as digest_task
from tests.factories import CallFactory, EventFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def week(db):
    # Something for everybody: a call closing and an event coming up.
    CallFactory(title="Clusters go green", deadline=timezone.now() + dt.timedelta(days=10))
    EventFactory(title="Cluster Matchmaking Days", starts_on=timezone.localdate() + dt.timedelta(5))


def reader(**fields):
    return UserFactory(email_consent=True, email_consent_at=timezone.now(), **fields)


def digests_to(email):
    return [message for message in mail.outbox if message.to == [email]]


def test_the_digest_goes_to_people_who_consented_only(week):
    reader(email="yes@nordic.example")
    UserFactory(email="no@nordic.example", email_consent=False)

    assert send_weekly_digest() == 1

    assert [message.to for message in mail.outbox] == [["yes@nordic.example"]]


def test_the_digest_has_plain_text_html_and_one_click_unsubscribe(week, settings):
    settings.SITE_URL = "https://portal.example.eu"
    person = reader(email="ana@nordic.example", full_name="Ana Novak")

    send_weekly_digest()

    [message] = mail.outbox
    url = f"https://portal.example.eu/digest/unsubscribe/{unsubscribe_token(person.pk)}/"
    assert message.extra_headers == {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert message.body.startswith("Dear Ana Novak,")
    assert "CALLS CLOSING SOON\n\n- Clusters go green (closes on" in message.body
    assert "- Cluster Matchmaking Days (" in message.body
    assert url in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<h2>Calls closing soon</h2>" in html
    assert f'<a href="{url}">Unsubscribe</a>' in html


def test_an_erased_person_gets_no_digest(week):
    person = reader(full_name="Greta Lindqvist")
    services.erase_person(user=person, by=person)

    assert send_weekly_digest() == 0
    assert mail.outbox == []


def test_an_unsubscribed_person_gets_no_more_digests(client, week):
    person = reader()
    token = unsubscribe_token(person.pk)

    response = client.post(f"/digest/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.email_consent is False
    assert send_weekly_digest() == 0
    assert mail.outbox == []


def test_following_the_unsubscribe_link_changes_nothing_until_the_button(client):
    person = reader()

    response = client.get(f"/digest/unsubscribe/{unsubscribe_token(person.pk)}/")

    assert response.status_code == 200
    assert '<button type="submit" class="button">Unsubscribe</button>' in response.content.decode()
    person.refresh_from_db()
    assert person.email_consent is True


@pytest.mark.parametrize("token", ["nonsense", "1:forged"])
def test_a_bad_unsubscribe_token_is_refused(client, token):
    person = reader()

    response = client.post(f"/digest/unsubscribe/{token}/")

    assert response.status_code == 404
    person.refresh_from_db()
    assert person.email_consent is True


def test_the_digest_task_run_twice_sends_once(week):
    reader()

    digest_task.delay()
    digest_task.delay()

    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.get().week == week_of(timezone.localdate())


def test_nothing_to_tell_sends_no_digest():
    reader()

    assert send_weekly_digest() == 0
    assert mail.outbox == []


def test_notifications_chosen_for_the_digest_are_in_it_and_others_are_not():
    person = reader(email="ana@nordic.example")
    services.set_notification_preferences(
        person,
        deliveries={
            NotificationKind.SEARCH_COMMENT: NotificationDelivery.DIGEST,
            NotificationKind.MESSAGE: NotificationDelivery.PORTAL,
        },
        by=person,
    )
    services.notify(
        recipients=[person],
        kind=NotificationKind.SEARCH_COMMENT,
        data={"search": "Battery recycling partners"},
        url="/calls/",
    )
    services.notify(
        recipients=[person],
        kind=NotificationKind.MESSAGE,
        data={"organisation": "A", "recipient": "B", "subject": "Not in the digest"},
        url="/calls/",
    )

    send_weekly_digest()

    [message] = digests_to("ana@nordic.example")
    assert "WHAT HAPPENED FOR YOU\n\n- New comment on the partner search “Battery recycling" in (
        message.body
    )
    assert "Not in the digest" not in message.body


def test_new_recommendations_of_the_readers_organisations_are_in_it():
    person = reader(email="ana@nordic.example")
    own = OrganisationFactory(name="Nordic Cells", owner=person)
    partner = OrganisationFactory(name="Baltic Batteries")
    profile = matchmaking_services.default_profile()
    run = RecommendationRun.objects.create(profile=profile, weights=profile.weights, k=3)
    Recommendation.objects.create(run=run, organisation=own, partner=partner, rank=1, score=0.9)
    RecommendationSet.objects.create(organisation=own, run=run, switched_at=timezone.now())
    stranger = reader(email="other@nordic.example")
    OrganisationFactory(owner=stranger)

    send_weekly_digest()

    [message] = digests_to("ana@nordic.example")
    assert "NEW RECOMMENDED PARTNERS\n\n- Baltic Batteries (suggested to Nordic Cells)" in (
        message.body
    )
    assert digests_to("other@nordic.example") == []


def test_the_digest_is_built_a_chunk_at_a_time(week, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr("partnerships.services.digest.CHUNK_SIZE", 2)
    for _ in range(5):
        reader()
    readers = User.objects.filter(email_consent=True).order_by("pk")

    # Per chunk: the memberships, the notifications and their preferences, the sections of
    # the other apps; the calls are read once for all.
    with django_assert_max_num_queries(2 + 3 * 5):
        digests = list(build_digests(week=week_of(timezone.localdate()), readers=readers))

    assert len(digests) == 5


def test_a_run_that_finds_some_readers_already_served_sends_to_the_others(week):
    served, waiting = reader(email="served@nordic.example"), reader(email="waiting@nordic.example")
    digests = list(build_digests(week=week_of(timezone.localdate())))
    # Another run recorded one reader between this run's read and its write.
    DigestDelivery.objects.create(user=served, week=week_of(timezone.localdate()))

    sent = send_digests(digests, week=week_of(timezone.localdate()))

    assert sent == 1
    assert [message.to for message in mail.outbox] == [["waiting@nordic.example"]]
    assert waiting.digest_deliveries.count() == 1
