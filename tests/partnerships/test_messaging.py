import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships import services
from partnerships.enums import NotificationKind, ValidationState
from partnerships.models import (
    AuditEntry,
    Conversation,
    Message,
    MessageReport,
    Notification,
    OrganisationBlock,
)
from tests.factories import MeetingFactory, OrganisationFactory, UserFactory
from tests.hostile_files import CASES, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def sides():
    """Two verified organisations, each with a manager; the first has a second member."""
    ana, bo, cy = UserFactory(full_name="Ana Novak"), UserFactory(), UserFactory()
    nordic = OrganisationFactory(name="Nordic Cells", owner=ana)
    nordic.memberships.create(user=cy, role="editor")
    baltic = OrganisationFactory(name="Baltic Batteries", owner=bo)
    return {"ana": ana, "bo": bo, "cy": cy, "nordic": nordic, "baltic": baltic}


def start(sides, body="Shall we team up for the recycling call?", **extra):
    return services.start_conversation(
        sender=sides["nordic"],
        recipient=sides["baltic"],
        subject="Recycling pilots",
        body=body,
        by=sides["ana"],
        **extra,
    )


def test_starting_a_conversation_notifies_every_member_of_the_other_side(sides):
    conversation = start(sides)

    notification = Notification.objects.get(kind=NotificationKind.MESSAGE)
    assert notification.recipient == sides["bo"]
    assert notification.text == "Nordic Cells wrote to Baltic Batteries: “Recycling pilots”"
    assert notification.url == f"/messages/{conversation.pk}/"
    assert AuditEntry.objects.filter(action="conversation.started").count() == 1


def test_every_member_of_both_sides_sees_the_conversation_and_nobody_else(client, sides):
    conversation = start(sides)
    stranger = UserFactory()
    OrganisationFactory(owner=stranger)

    seen = {}
    for name in ("ana", "bo", "cy"):
        client.force_login(sides[name])
        seen[name] = client.get(f"/messages/{conversation.pk}/").status_code
    client.force_login(stranger)

    assert seen == {"ana": 200, "bo": 200, "cy": 200}
    assert client.get(f"/messages/{conversation.pk}/").status_code == 404
    assert client.get("/messages/").context["conversations"].count() == 0


def test_reading_a_conversation_reads_its_notifications_and_clears_the_badge(client, sides):
    conversation = start(sides)
    client.force_login(sides["bo"])
    assert client.get("/messages/").context["unread_counts"]["messages"] == 1

    client.get(f"/messages/{conversation.pk}/")

    assert Notification.objects.get(recipient=sides["bo"]).unread is False
    page = client.get("/messages/")
    assert page.context["unread_counts"]["messages"] == 0
    assert [c.unread for c in page.context["conversations"]] == [False]


def test_a_reply_is_from_the_side_of_the_writer_and_tells_the_other_side(client, sides):
    conversation = start(sides)
    client.force_login(sides["bo"])

    response = client.post(f"/messages/{conversation.pk}/", {"body": "Yes, gladly."})

    assert response.status_code == 302
    reply = conversation.messages.last()
    assert (reply.organisation, reply.sender, reply.body) == (
        sides["baltic"],
        sides["bo"],
        "Yes, gladly.",
    )
    told = Notification.objects.filter(kind=NotificationKind.MESSAGE).exclude(recipient=sides["bo"])
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [sides["ana"].pk, sides["cy"].pk]
    )


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 5001, "Ensure this value has at most 5000 characters (it has 5001)."),
    ],
)
def test_an_empty_or_huge_reply_is_refused_and_kept(client, sides, body, error):
    conversation = start(sides)
    client.force_login(sides["bo"])

    response = client.post(f"/messages/{conversation.pk}/", {"body": body})

    assert response.status_code == 400
    assert response.context["form"].errors["body"] == [error]
    assert response.context["form"]["body"].value() == body
    assert conversation.messages.count() == 1


def test_script_in_a_message_is_shown_as_text(client, sides):
    conversation = start(sides, body="<script>alert('x')</script> see you")
    client.force_login(sides["bo"])

    page = client.get(f"/messages/{conversation.pk}/").content.decode()

    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; see you" in page
    assert "<script>alert(" not in page


def test_a_blocked_organisation_cannot_write_and_sees_why(client, sides):
    conversation = start(sides)
    services.block_organisation(sides["baltic"], blocked=sides["nordic"], by=sides["bo"])
    client.force_login(sides["ana"])

    response = client.post(f"/messages/{conversation.pk}/", {"body": "Hello again?"})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Baltic Batteries does not accept messages from your organisation."
    ]
    assert response.context["form"]["body"].value() == "Hello again?"
    assert conversation.messages.count() == 1
    with pytest.raises(Exception, match="does not accept messages"):
        start(sides)


def test_blocking_and_unblocking_from_the_conversation(client, sides):
    conversation = start(sides)
    client.force_login(sides["bo"])

    client.post(f"/messages/{conversation.pk}/block/", {"action": "block"})
    blocked = OrganisationBlock.objects.filter(blocker=sides["baltic"]).count()
    client.post(f"/messages/{conversation.pk}/block/", {"action": "unblock"})

    assert blocked == 1
    assert OrganisationBlock.objects.count() == 0


def test_the_hourly_limit_stops_a_person_with_a_clear_error(client, sides, settings):
    settings.MESSAGES_PER_HOUR = 2
    conversation = start(sides)
    client.force_login(sides["ana"])
    client.post(f"/messages/{conversation.pk}/", {"body": "Second"})

    response = client.post(f"/messages/{conversation.pk}/", {"body": "Third"})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "You have sent 2 messages in the last hour, the most the portal allows. "
        "Please wait a little before you write again."
    ]
    assert conversation.messages.count() == 2


def test_reporting_a_message_tells_staff_and_needs_a_reason(client, sides):
    conversation = start(sides)
    message = conversation.messages.get()
    client.force_login(sides["bo"])
    url = f"/messages/{conversation.pk}/messages/{message.pk}/report/"

    refused = client.post(url, {"reason": ""}, follow=True)
    client.post(url, {"reason": "Spam about crypto"})

    assert "This field is required." in refused.content.decode()
    assert list(MessageReport.objects.values_list("reason", "reporter")) == [
        ("Spam about crypto", sides["bo"].pk)
    ]


def test_starting_from_a_profile_keeps_what_was_typed_on_an_error(client, sides):
    client.force_login(sides["ana"])
    url = f"/organisations/{sides['baltic'].pk}/message/"

    response = client.post(url, {"sender": sides["nordic"].pk, "subject": "", "body": "Our offer"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"subject": ["This field is required."]}
    assert response.context["form"]["body"].value() == "Our offer"
    assert Conversation.objects.count() == 0


def test_starting_from_a_profile_with_a_document(client, sides):
    client.force_login(sides["ana"])
    document = SimpleUploadedFile("Offer – Köln.pdf", pdf(), content_type="application/pdf")

    response = client.post(
        f"/organisations/{sides['baltic'].pk}/message/?from=/recommendations/",
        {
            "sender": sides["nordic"].pk,
            "subject": "Offer",
            "body": "Attached.",
            "attachment": document,
        },
    )

    conversation = Conversation.objects.get()
    assert response.url == f"/messages/{conversation.pk}/"
    assert conversation.origin_url == "/recommendations/"
    message = conversation.messages.get()
    assert message.attachment_name == "Offer – Köln.pdf"
    client.force_login(sides["bo"])
    download = client.get(message.get_download_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("case", ["pdf /JavaScript", "html as .png", "oversized"])
def test_a_hostile_attachment_is_refused_and_nothing_sent(client, sides, case):
    name, content = CASES[case]
    conversation = start(sides)
    client.force_login(sides["bo"])

    response = client.post(
        f"/messages/{conversation.pk}/",
        {"body": "Here it is", "attachment": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["attachment"]
    assert response.context["form"]["body"].value() == "Here it is"
    assert conversation.messages.count() == 1


def test_nobody_can_write_to_an_unverified_organisation(client, sides):
    draft = OrganisationFactory(validation_state=ValidationState.DRAFT, owner=UserFactory())
    client.force_login(sides["ana"])

    assert client.get(f"/organisations/{draft.pk}/message/").status_code == 404


def test_the_profile_offers_writing_to_members_of_other_organisations_only(client, sides):
    client.force_login(sides["ana"])
    other = client.get(f"/organisations/{sides['baltic'].pk}/").content.decode()
    own = client.get(f"/organisations/{sides['nordic'].pk}/").content.decode()

    assert "Write to this organisation" in other
    assert "Write to this organisation" not in own


@pytest.mark.parametrize("count", [1, 3])
def test_a_conversation_query_count_does_not_grow(client, sides, count, django_assert_num_queries):
    conversation = start(sides)
    for number in range(count - 1):
        services.reply(conversation, body=f"Answer {number}", by=sides["bo"])
    client.force_login(sides["ana"])

    with django_assert_num_queries(14):
        response = client.get(f"/messages/{conversation.pk}/")

    assert len(response.context["messages_list"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_conversation_list_query_count_does_not_grow(
    client, sides, count, django_assert_num_queries
):
    for number in range(count):
        services.start_conversation(
            sender=sides["nordic"],
            recipient=OrganisationFactory(),
            subject=f"Subject {number}",
            body="Hello",
            by=sides["ana"],
        )
    client.force_login(sides["ana"])

    with django_assert_num_queries(7):
        response = client.get("/messages/")

    assert len(response.context["conversations"]) == count


def test_export_and_erasure_cover_messages(sides):
    conversation = start(sides, body="Call me, Ana Novak, at ana@nordic.example")
    services.reply(conversation, body="Thanks Ana Novak!", by=sides["bo"])

    exported = services.export_personal_data(user=sides["ana"])
    services.erase_person(user=sides["ana"], by=sides["ana"])

    assert [m["text"] for m in exported["messages_sent"]] == [
        "Call me, Ana Novak, at ana@nordic.example"
    ]
    assert exported["messages_sent"][0]["to"] == "Baltic Batteries"
    bodies = list(Message.objects.order_by("pk").values_list("sender", "body"))
    assert bodies[0][0] is None
    assert bodies[1] == (sides["bo"].pk, "Thanks [erased]!")
    assert "Ana Novak" not in bodies[0][1]


def test_an_event_meeting_offers_writing_to_the_other_organisation(client):
    meeting = MeetingFactory(recipient__organisation__name="Baltic Batteries")
    client.force_login(meeting.requester.user)

    page = client.get(f"/events/{meeting.event_id}/agenda/").content.decode()

    link = (
        f'<a href="/organisations/{meeting.recipient.organisation_id}/message/'
        f'?from=/events/{meeting.event_id}/agenda/">Write to Baltic Batteries</a>'
    )
    assert link in page
