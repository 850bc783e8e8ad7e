import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format

from events import services as event_services
from partnerships import services
from partnerships.enums import (
    ExpressionState,
    LabelState,
    NotificationDelivery,
    NotificationKind,
    ValidationState,
)
from partnerships.models import Notification, NotificationPreference
from partnerships.services.reminders import notify_closing_calls, notify_expiring_labels
from partnerships.tasks import send_reminders
from tests.factories import (
    CallFactory,
    EventFactory,
    ExpressionFactory,
    LabelFactory,
    MembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
)

LIST = "/notifications/"
PREFERENCES = "/my-account/notifications/"


def tell(user, kind=NotificationKind.MESSAGE, **data):
    data = {"organisation": "Baltic Batteries", "recipient": "Nordic Cells", "subject": "Hi"} | data
    return services.notify(recipients=[user], kind=kind, data=data, url="/calls/")


@pytest.mark.django_db
def test_notify_stores_a_line_in_the_readers_words():
    person = UserFactory()

    tell(person, subject="Recycling pilots")

    notification = Notification.objects.get(recipient=person)
    assert notification.text == "Baltic Batteries wrote to Nordic Cells: “Recycling pilots”"
    assert (notification.kind, notification.unread, notification.url) == (
        NotificationKind.MESSAGE,
        True,
        "/calls/",
    )


@pytest.mark.django_db(transaction=True)
def test_notify_emails_at_once_when_that_is_the_choice():
    person = UserFactory(email="ana@nordic.example")

    tell(person)

    assert [message.to for message in mail.outbox] == [["ana@nordic.example"]]
    assert mail.outbox[0].subject == "ClusterPortal: Baltic Batteries wrote to Nordic Cells: “Hi”"
    assert "/calls/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_notify_sends_no_email_when_the_person_chose_the_portal_only():
    person = UserFactory()
    services.set_notification_preferences(
        person, deliveries={NotificationKind.MESSAGE: NotificationDelivery.PORTAL}, by=person
    )

    tell(person)

    assert Notification.objects.filter(recipient=person).count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_notify_with_a_key_tells_a_person_once():
    person = UserFactory()

    for _ in range(2):
        services.notify(
            recipients=[person.pk],
            kind=NotificationKind.CALL_CLOSING,
            data={"call": "Clusters go green", "deadline": "1 May"},
            url="/calls/",
            key="call_closing:1",
        )

    assert Notification.objects.filter(recipient=person).count() == 1


@pytest.mark.django_db
def test_notify_skips_closed_and_erased_accounts():
    closed = UserFactory(is_active=False)
    erased = UserFactory(erased_at=timezone.now())

    assert (
        services.notify(recipients=[closed, erased], kind=NotificationKind.MESSAGE, data={}, url="")
        == []
    )
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_a_validation_decision_notifies_the_managers():
    manager = UserFactory()
    organisation = OrganisationFactory(
        name="Agrifood Lombardy", validation_state=ValidationState.PENDING, owner=manager
    )

    services.decide_validation(organisation, verified=True, by=StaffFactory())

    notification = Notification.objects.get(recipient=manager)
    assert notification.kind == NotificationKind.VALIDATION_DECISION
    assert notification.text == "Staff decided on Agrifood Lombardy: Verified"
    assert notification.url == organisation.get_absolute_url()


@pytest.mark.django_db
def test_an_invitation_into_a_consortium_notifies_the_invited_managers():
    lead_manager, invited_manager = UserFactory(), UserFactory()
    expression = ExpressionFactory(
        lead=OrganisationFactory(name="Lead Cluster", owner=lead_manager), title="Green ports"
    )
    invited = OrganisationFactory(name="Port Cluster", owner=invited_manager)

    services.invite_partner(expression, organisation=invited, by=lead_manager)

    notification = Notification.objects.get(recipient=invited_manager)
    assert (
        notification.text
        == "Lead Cluster invites Port Cluster into the consortium of “Green ports”"
    )
    assert notification.url == expression.get_absolute_url()
    assert not Notification.objects.filter(recipient=lead_manager).exists()


@pytest.mark.django_db
def test_a_meeting_request_notifies_the_person_asked():
    event = EventFactory(title="Cluster Matchmaking Days")
    requester = RegistrationFactory(event=event, organisation__name="Baltic Batteries")
    recipient = RegistrationFactory(event=event)

    event_services.request_meeting(
        event, by=requester.user, recipient=recipient, message="Shall we meet?"
    )

    notification = Notification.objects.get(recipient=recipient.user)
    assert (
        notification.text == "Baltic Batteries asks you for a meeting at Cluster Matchmaking Days"
    )
    assert notification.url == f"/events/{event.pk}/agenda/"


@pytest.mark.django_db
def test_a_call_closing_within_7_days_is_told_once_to_managers_of_drafts():
    now = timezone.now()
    call = CallFactory(title="Clusters go green", deadline=now + dt.timedelta(days=6))
    drafting, submitted = UserFactory(), UserFactory()
    ExpressionFactory(call=call, lead=OrganisationFactory(owner=drafting))
    ExpressionFactory(
        call=call, lead=OrganisationFactory(owner=submitted), state=ExpressionState.SUBMITTED
    )
    CallFactory(deadline=now + dt.timedelta(days=9))

    notify_closing_calls(now=now)
    notify_closing_calls(now=now + dt.timedelta(hours=24))

    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (drafting.pk, NotificationKind.CALL_CLOSING)
    ]


@pytest.mark.django_db
def test_a_label_ending_within_60_days_is_told_once_unless_a_newer_one_runs_on():
    today = timezone.localdate()
    manager, renewed_manager = UserFactory(), UserFactory()
    ending = LabelFactory(
        organisation=OrganisationFactory(owner=manager), valid_until=today + dt.timedelta(days=50)
    )
    renewed = OrganisationFactory(owner=renewed_manager)
    LabelFactory(organisation=renewed, valid_until=today + dt.timedelta(days=20))
    LabelFactory(organisation=renewed, valid_until=today + dt.timedelta(days=700))

    notify_expiring_labels(today=today)
    notify_expiring_labels(today=today + dt.timedelta(days=1))

    notification = Notification.objects.get()
    assert notification.recipient == manager
    assert notification.url == ending.organisation.get_absolute_url()


@pytest.mark.django_db
def test_a_rejected_label_is_not_told_and_does_not_count_as_a_renewal():
    today = timezone.localdate()
    manager = UserFactory()
    organisation = OrganisationFactory(owner=manager)
    LabelFactory(organisation=organisation, valid_until=today + dt.timedelta(days=20))
    LabelFactory(
        organisation=organisation,
        valid_until=today + dt.timedelta(days=40),
        state=LabelState.REJECTED,
    )
    LabelFactory(
        organisation=OrganisationFactory(owner=UserFactory()),
        valid_until=today + dt.timedelta(days=30),
        state=LabelState.REJECTED,
    )

    notify_expiring_labels(today=today)

    assert [(n.recipient, n.data["until"]) for n in Notification.objects.all()] == [
        (manager, date_format(today + dt.timedelta(days=20), "DATE_FORMAT"))
    ]


@pytest.mark.django_db
def test_the_list_shows_only_the_readers_notifications(client):
    reader, other = UserFactory(), UserFactory()
    tell(reader, subject="For the reader")
    tell(other, subject="For somebody else")
    client.force_login(reader)

    response = client.get(LIST)

    assert response.status_code == 200
    assert [n.data["subject"] for n in response.context["notifications"]] == ["For the reader"]
    assert "For somebody else" not in response.content.decode()


@pytest.mark.django_db
def test_the_list_needs_a_signed_in_person(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_the_list_query_count_does_not_grow(client, count, django_assert_num_queries):
    reader = UserFactory()
    for number in range(count):
        tell(reader, subject=f"Message {number}")
    client.force_login(reader)

    # Session and user, the page's count and rows, the header's unread counts and the two
    # permission lookups of the menu.
    with django_assert_num_queries(7):
        response = client.get(LIST)

    assert len(response.context["notifications"]) == count


@pytest.mark.django_db
def test_the_header_shows_the_unread_count(client):
    reader = UserFactory()
    tell(reader)
    tell(reader)
    client.force_login(reader)

    response = client.get("/privacy/")

    assert '<span class="count-badge">2<span class="visually-hidden"> unread' in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_opening_a_notification_reads_it_and_goes_to_its_object(client):
    reader = UserFactory()
    [notification] = tell(reader)
    client.force_login(reader)

    response = client.get(f"{LIST}{notification.pk}/")

    assert (response.status_code, response.url) == (302, "/calls/")
    notification.refresh_from_db()
    assert notification.unread is False


@pytest.mark.django_db
def test_another_persons_notification_cannot_be_opened(client):
    [notification] = tell(UserFactory())
    client.force_login(UserFactory())

    response = client.get(f"{LIST}{notification.pk}/")

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.unread is True


@pytest.mark.django_db
def test_mark_all_read_reads_only_the_readers(client):
    reader, other = UserFactory(), UserFactory()
    tell(reader)
    tell(reader)
    tell(other)
    client.force_login(reader)

    response = client.post(f"{LIST}read/")

    assert response.status_code == 302
    assert Notification.objects.filter(recipient=reader, unread=True).count() == 0
    assert Notification.objects.filter(recipient=other, unread=True).count() == 1


@pytest.mark.django_db
def test_preferences_are_saved_per_kind(client):
    person = UserFactory()
    client.force_login(person)
    data = {kind.value: NotificationDelivery.PORTAL for kind in NotificationKind}
    data[NotificationKind.MESSAGE] = NotificationDelivery.DIGEST

    response = client.post(PREFERENCES, data)

    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=person).values_list("kind", "delivery"))
    assert saved == data


@pytest.mark.django_db
def test_a_preference_that_is_not_a_choice_is_refused_and_nothing_saved(client):
    person = UserFactory()
    client.force_login(person)
    data = {kind.value: NotificationDelivery.PORTAL for kind in NotificationKind}
    data[NotificationKind.MESSAGE] = "<script>alert(1)</script>"

    response = client.post(PREFERENCES, data)

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert NotificationPreference.objects.filter(user=person).count() == 0
    # What was chosen for the other kinds is still ticked.
    assert response.context["form"]["call_closing"].value() == NotificationDelivery.PORTAL


@pytest.mark.django_db
def test_the_preferences_page_shows_the_defaults(client):
    client.force_login(UserFactory())

    response = client.get(PREFERENCES)

    form = response.context["form"]
    assert form["message"].value() == NotificationDelivery.EMAIL
    assert form["call_closing"].value() == NotificationDelivery.DIGEST


@pytest.mark.django_db
def test_export_and_erasure_cover_notifications():
    person = UserFactory(full_name="Greta Lindqvist")
    other = UserFactory()
    tell(person)
    tell(other, subject="Greta Lindqvist asked about recycling")
    services.set_notification_preferences(
        person, deliveries={NotificationKind.MESSAGE: NotificationDelivery.PORTAL}, by=person
    )

    exported = services.export_personal_data(user=person)
    services.erase_person(user=person, by=person)

    assert [line["text"] for line in exported["notifications"]] == [
        "Baltic Batteries wrote to Nordic Cells: “Hi”"
    ]
    assert exported["notification_preferences"] == [{"kind": "message", "delivery": "portal"}]
    assert not Notification.objects.filter(recipient=person).exists()
    assert not NotificationPreference.objects.filter(user=person).exists()
    assert Notification.objects.get(recipient=other).data["subject"] == (
        "[erased] asked about recycling"
    )


@pytest.mark.django_db
def test_a_notification_is_shown_even_if_its_details_lost_a_name():
    person = UserFactory()
    MembershipFactory(user=person)
    notification = Notification.objects.create(
        recipient=person, kind=NotificationKind.LABEL_EXPIRING, data={}
    )

    assert notification.text == "Label expiring in 60 days"


@pytest.mark.django_db
def test_the_reminders_task_run_twice_tells_once():
    manager = UserFactory()
    call = CallFactory(deadline=timezone.now() + dt.timedelta(days=3))
    ExpressionFactory(call=call, lead=OrganisationFactory(owner=manager))
    LabelFactory(
        organisation=OrganisationFactory(owner=manager),
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )

    first = send_reminders.delay().get()
    second = send_reminders.delay().get()

    assert (first, second) == ({"calls": 1, "labels": 1}, {"calls": 0, "labels": 0})
    assert sorted(Notification.objects.values_list("kind", flat=True)) == [
        NotificationKind.CALL_CLOSING,
        NotificationKind.LABEL_EXPIRING,
    ]
