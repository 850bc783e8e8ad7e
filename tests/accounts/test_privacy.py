import datetime as dt
import json
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from events import services as event_services
from events.enums import CooperationDirection, CooperationKind, MeetingState, RegistrationState
from events.models import CooperationItem, Meeting, MeetingRating, Registration
from matchmaking.models import RecommendationFeedback
from partnerships import services
from partnerships.enums import ExpressionState, MembershipRole
from partnerships.models import (
    AuditEntry,
    CallReviewer,
    ConflictDeclaration,
    ConsensusScore,
    Invitation,
    Organisation,
    OrganisationMembership,
    OutboxMessage,
    ReviewScore,
    User,
)
from partnerships.services.notifications import queue_email
from partnerships.tasks import prune_sign_in_records
from tests.factories import (
    CallReviewerFactory,
    ConflictDeclarationFactory,
    EventFactory,
    ExpressionFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
    ReviewAssignmentFactory,
    StaffFactory,
    UserFactory,
)

NAME = "Greta Lindqvist"
EMAIL = "greta.lindqvist@nordic-batteries.se"
OLD_EMAIL = "g.lindqvist@mail.example"
OTHER_NAME = "Jonas Berg"
OTHER_EMAIL = "jonas.berg@baltic-cluster.lt"

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb", "tsvector")


def database_hits(*needles):
    """Every (table, column, needle) where a text, JSON or search column holds a needle."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "JOIN information_schema.tables USING (table_schema, table_name) "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "AND data_type = ANY(%s) ORDER BY table_name, column_name",
            [list(TEXT_TYPES)],
        )
        columns = cursor.fetchall()
        hits = []
        for table, column in columns:
            for needle in needles:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append((table, column, needle))
    return columns, hits


@pytest.fixture
def world(client):
    """A person who appears everywhere, and another person who shares some of it."""
    # Staff, so that they also review: people of the Commission have accounts like anyone.
    person = StaffFactory(email=EMAIL, full_name=NAME)
    EmailAddress.objects.create(user=person, email=OLD_EMAIL, verified=False, primary=False)
    other = UserFactory(email=OTHER_EMAIL, full_name=OTHER_NAME)

    solo = OrganisationFactory(
        name="Nordic Batteries",
        owner=person,
        contact_email=EMAIL,
        description=f"Battery recycling in Skellefteå. Contact: {NAME} ({EMAIL}).",
    )
    shared = OrganisationFactory(name="Battery Valley", owner=person)
    MembershipFactory(organisation=shared, user=other, role=MembershipRole.EDITOR)
    baltic = OrganisationFactory(
        name="Baltic Cluster", owner=other, contact_email=OTHER_EMAIL, description=OTHER_NAME
    )

    # Invitations: one accepted by the person, one still open to an older address of theirs,
    # one the person sent to a colleague.
    accepted = services.invite_member(baltic, email=EMAIL, by=other)
    services.accept_invitation(accepted, user=person)
    services.invite_member(OrganisationFactory(name="Iberian Cluster"), email=OLD_EMAIL, by=other)
    services.invite_member(solo, email="colleague@nordic-batteries.se", by=person)
    services.set_email_consent(person, consent=True, by=person)
    ExpressionFactory(
        lead=solo,
        created_by=person,
        title="Batteries across the Baltic",
        objectives=f"Coordinated by {NAME}.",
    )

    # Events: both registered; meeting requests both ways, with names in the messages.
    event = EventFactory(title="Battery Days", organiser=other)
    mine = event_services.register(
        event,
        user=person,
        organisation=solo,
        introduction=f"{NAME} runs the recycling line.",
        items=[
            (
                CooperationDirection.OFFER,
                CooperationKind.TECHNOLOGY,
                "Recycling line",
                f"Ask {NAME} at {EMAIL}",
            )
        ],
    )
    theirs = event_services.register(
        event,
        user=other,
        organisation=baltic,
        introduction="Cell chemistry in Vilnius.",
        items=[
            (
                CooperationDirection.REQUEST,
                CooperationKind.RESEARCH,
                "Cathode recycling",
                f"Together with {NAME}'s line.",
            )
        ],
    )
    declined = event_services.request_meeting(
        event, by=other, recipient=mine, message=f"Dear {NAME}, shall we meet? {OTHER_NAME}"
    )
    event_services.answer_meeting(declined, accept=False, by=person, reason=f"Fully booked, {NAME}")
    event_services.request_meeting(
        event, by=person, recipient=theirs, message=f"{NAME} here, write to {EMAIL}"
    )
    past = EventFactory(
        title="Battery Days 2024",
        organiser=other,
        description=f"Opening talk by {NAME}.",
        starts_on=dt.date(2024, 5, 6),
        ends_on=dt.date(2024, 5, 7),
    )
    held = MeetingFactory(
        event=past,
        requester=RegistrationFactory(event=past, user=person, organisation=solo),
        recipient=RegistrationFactory(event=past, user=other, organisation=baltic),
        message=f"Greetings from {NAME}",
    )
    MeetingRating.objects.create(
        meeting=held, by=held.requester, stars=4, comment=f"Useful. {NAME}"
    )
    MeetingRating.objects.create(
        meeting=held, by=held.recipient, stars=5, comment=f"{NAME} knew the chemistry."
    )

    RecommendationFeedback.objects.create(
        organisation=solo, partner=baltic, verdict="useful", by=person, score=0.82
    )

    # Reviews: the person reviews and declares a conflict; a colleague's comment names them;
    # decision e-mails wait in the outbox for both people.
    expression = ExpressionFactory(lead=baltic, state=ExpressionState.ELIGIBLE, title="Cells")
    criterion = expression.call.criteria.get()
    CallReviewerFactory(call=expression.call, user=person)
    ConflictDeclarationFactory(user=person, organisation=shared, reason=f"{NAME} co-founded it")
    for reviewer, score, comment in (
        (person, 4, f"Convincing. {NAME}"),
        (StaffFactory(full_name="Third Reviewer"), 3, f"Agree with {NAME}."),
    ):
        review = ReviewAssignmentFactory(expression=expression, reviewer=reviewer).review
        ReviewScore.objects.create(review=review, criterion=criterion, score=score, comment=comment)
    ConsensusScore.objects.create(
        expression=expression, criterion=criterion, score=3.5, comment="Sound plan.", by=person
    )
    for to, recipient, name in ((EMAIL, person, NAME), (OTHER_EMAIL, other, OTHER_NAME)):
        OutboxMessage.objects.create(
            to=to,
            recipient=recipient,
            subject="Decision on Cells",
            body=f"Dear {name}, your expression was shortlisted.",
            expression=expression,
        )

    # Sign-in records, the admin's history and open sessions of both people.
    for username in (EMAIL, OTHER_EMAIL):
        AccessLog.objects.create(
            username=username, ip_address="192.0.2.7", user_agent="Firefox", path_info="/"
        )
    AccessFailureLog.objects.create(
        username=EMAIL.upper(), ip_address="192.0.2.7", user_agent="Firefox", path_info="/"
    )
    AccessAttempt.objects.create(
        username=EMAIL,
        ip_address="192.0.2.7",
        user_agent="Firefox",
        path_info="/accounts/login/",
        get_data="",
        post_data=f"login={EMAIL}",
        failures_since_start=1,
    )
    LogEntry.objects.create(
        user=other,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message=f"Changed full name to {NAME}",
    )
    client.force_login(person)
    other_client = type(client)()
    other_client.force_login(other)
    return {
        "person": person,
        "other": other,
        "solo": solo,
        "shared": shared,
        "baltic": baltic,
        "event": event,
        "past": past,
        "expression": expression,
    }


@pytest.mark.django_db
def test_erasure_leaves_neither_name_nor_address_anywhere_in_the_database(world):
    person = world["person"]
    _columns, before = database_hits(NAME, EMAIL, OLD_EMAIL)
    assert {table for table, _column, _needle in before} >= {
        "partnerships_user",
        "account_emailaddress",
        "partnerships_organisation",
        "partnerships_invitation",
        "partnerships_auditentry",
        "events_registration",
        "events_cooperationitem",
        "events_meeting",
        "events_meetingrating",
        "events_event",
        "axes_accesslog",
        "axes_accessfailurelog",
        "axes_accessattempt",
        "django_admin_log",
        "partnerships_conflictdeclaration",
        "partnerships_reviewscore",
        "partnerships_outboxmessage",
    }
    assert search_matches("lindqvist") == (1, 1)

    services.erase_person(user=person, by=person)

    columns, after = database_hits(NAME, EMAIL, OLD_EMAIL)
    assert after == []
    assert len(columns) > 100
    # The directory's search vectors follow: the surname is no longer a search word.
    assert search_matches("lindqvist") == (0, 0)


def search_matches(word):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM partnerships_organisation "
            "        WHERE search_vector @@ to_tsquery('english', %s)), "
            "       (SELECT count(*) FROM partnerships_organisation_search "
            "        WHERE vector @@ to_tsquery('english', %s))",
            [word, word],
        )
        return cursor.fetchone()


@pytest.mark.django_db
def test_erasure_keeps_records_in_shape_without_the_person(world):
    person, other = world["person"], world["other"]

    services.erase_person(user=person, by=person)

    person.refresh_from_db()
    assert person.email == f"erased-{person.pk}@erased.invalid"
    assert person.full_name == ""
    assert person.is_active is False
    assert person.has_usable_password() is False
    assert person.email_consent is False
    assert person.is_staff is False
    assert person.erased_at is not None
    assert EmailAddress.objects.filter(user=person).count() == 0
    assert OrganisationMembership.objects.filter(user=person).count() == 0
    # The organisations stay; where an editor remains, they become its owner.
    solo = Organisation.objects.get(pk=world["solo"].pk)
    assert (solo.contact_email, solo.description) == (
        "",
        "Battery recycling in Skellefteå. Contact: [erased] ([erased]).",
    )
    assert solo.needs_rescoring is True
    assert Organisation.objects.get(pk=world["solo"].pk).memberships.count() == 0
    assert list(world["shared"].memberships.values_list("user", "role")) == [
        (other.pk, MembershipRole.OWNER)
    ]
    assert list(Invitation.objects.filter(accepted_by=person).values_list("email", flat=True)) == [
        person.email
    ]
    assert Invitation.objects.filter(email=OLD_EMAIL).count() == 0
    # The event to come is given up; the past one keeps its attendance.
    assert Registration.objects.get(event=world["event"], user=person).state == (
        RegistrationState.CANCELLED
    )
    assert Registration.objects.get(event=world["past"], user=person).state == (
        RegistrationState.APPROVED
    )
    assert CooperationItem.objects.filter(registration__user=person).count() == 0
    meetings = Meeting.objects.filter(event=world["event"]).order_by("pk")
    assert [(m.state, m.message, m.reason) for m in meetings] == [
        (MeetingState.DECLINED, f"Dear [erased], shall we meet? {OTHER_NAME}", ""),
        (MeetingState.CANCELLED, "", ""),
    ]
    assert Meeting.objects.get(event=world["past"]).message == ""
    assert list(MeetingRating.objects.order_by("pk").values_list("stars", "comment")) == [
        (4, ""),
        (5, "[erased] knew the chemistry."),
    ]
    # The verdict and the score stay with the organisation.
    feedback = RecommendationFeedback.objects.get()
    assert (feedback.by, feedback.verdict, feedback.score) == (None, "useful", 0.82)
    # Reviews keep their scores and reviewers' rows; the texts lose the name.
    assert list(
        ReviewScore.objects.order_by("score").values_list("score", "comment", "review__state")
    ) == [
        (Decimal("3.0"), "Agree with [erased].", "draft"),
        (Decimal("4.0"), "Convincing. [erased]", "draft"),
    ]
    assert ReviewScore.objects.get(score=4).review.assignment.reviewer == person
    assert list(ConsensusScore.objects.values_list("score", "by")) == [(Decimal("3.5"), person.pk)]
    assert CallReviewer.objects.filter(user=person).count() == 0
    assert ConflictDeclaration.objects.get().reason == "[erased]"
    assert list(OutboxMessage.objects.order_by("pk").values_list("to", "recipient", "body")) == [
        (person.email, None, "Dear [erased], your expression was shortlisted."),
        (OTHER_EMAIL, other.pk, f"Dear {OTHER_NAME}, your expression was shortlisted."),
    ]
    assert AccessLog.objects.filter(username__iexact=EMAIL).count() == 0
    assert AccessFailureLog.objects.count() == 0
    assert AccessAttempt.objects.count() == 0
    entry = AuditEntry.objects.get(action="account.erased")
    assert entry.object_repr == person.email
    assert entry.data == {
        "by_self": True,
        "memberships": 3,
        "ownerships_handed_over": 1,
        "organisation_contacts": 1,
        "invitations_deleted": 1,
        "invitations_anonymised": 1,
        "email_addresses": 2,
        "sign_in_records": 4,
        "sessions": 1,
        "event_registrations": 2,
        "cooperation_items": 1,
        "meeting_texts": 3,
        "meeting_ratings": 2,
        "event_texts": 2,
        "meetings_cancelled": 1,
        "recommendation_feedback": 1,
        "weight_fits": 0,
        "partner_search_texts": 0,
        "partner_search_follows": 0,
        "shared_texts": 2,
        "reviewer_pools": 1,
        "conflict_declarations": 1,
        "review_texts": 2,
        "outbox_messages": 1,
        "audit_entries": 8,
        "admin_log_entries": 1,
        # The world's meeting request told the person; nobody wrote to or about them.
        "notifications": 1,
        "notifications_redacted": 0,
        "messages_unsigned": 0,
        "conversations_unsigned": 0,
        "reports_unsigned": 0,
        "messages_redacted": 0,
        "conversations_redacted": 0,
        "reports_redacted": 0,
    }


@pytest.mark.django_db
def test_erasure_leaves_the_other_person_alone(world):
    other = world["other"]

    services.erase_person(user=world["person"], by=world["person"])

    other.refresh_from_db()
    assert (other.email, other.full_name, other.is_active) == (OTHER_EMAIL, OTHER_NAME, True)
    baltic = Organisation.objects.get(pk=world["baltic"].pk)
    assert (baltic.contact_email, baltic.description) == (OTHER_EMAIL, OTHER_NAME)
    assert list(baltic.memberships.values_list("user", "role")) == [
        (other.pk, MembershipRole.OWNER)
    ]
    theirs = Registration.objects.get(event=world["event"], user=other)
    assert (theirs.state, theirs.introduction) == (
        RegistrationState.APPROVED,
        "Cell chemistry in Vilnius.",
    )
    assert list(AccessLog.objects.values_list("username", flat=True)) == [OTHER_EMAIL] * 2
    sessions = [session.get_decoded().get("_auth_user_id") for session in Session.objects.all()]
    assert sessions == [str(other.pk)]
    _columns, hits = database_hits(OTHER_EMAIL)
    assert ("partnerships_user", "email", OTHER_EMAIL) in hits


@pytest.mark.django_db
def test_erasure_tells_the_other_side_of_a_cancelled_meeting(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_person(user=world["person"], by=world["person"])

    assert [message.to for message in mail.outbox] == [[OTHER_EMAIL]]
    assert mail.outbox[0].subject == "Meeting cancelled at Battery Days"
    assert "Nordic Batteries has closed their account" in mail.outbox[0].body
    assert NAME not in mail.outbox[0].body


@pytest.mark.django_db
def test_erasing_an_erased_account_is_refused():
    person = UserFactory()
    services.erase_person(user=person, by=person)

    with pytest.raises(ValidationError) as error:
        services.erase_person(user=person, by=person)

    assert error.value.messages == ["This account has already been erased."]
    assert AuditEntry.objects.filter(action="account.erased").count() == 1


@pytest.mark.django_db
def test_staff_erasure_is_audited_with_the_staff_member_as_actor(staff):
    person = UserFactory(full_name=NAME)

    services.erase_person(user=person, by=staff)

    entry = AuditEntry.objects.get(action="account.erased")
    assert (entry.actor, entry.data["by_self"]) == (staff, False)


@pytest.mark.django_db
def test_a_short_name_is_only_erased_from_the_person_s_own_records():
    person = UserFactory(full_name="Ann")
    organisation = OrganisationFactory(name="Annual Cluster", owner=person)
    services.log_action(organisation, "organisation.updated", actor=person, data={"x": "Annex"})

    services.erase_person(user=person, by=person)

    entry = AuditEntry.objects.get(action="organisation.updated")
    assert (entry.object_repr, entry.data) == ("Annual Cluster", {"x": "Annex"})


@pytest.mark.django_db
def test_erasure_of_a_shared_text_moves_its_updated_at_and_leaves_other_rows_alone():
    person = UserFactory(full_name=NAME)
    named = OrganisationFactory(description=f"Ask {NAME}.")
    unnamed = OrganisationFactory(description="Battery recycling.")
    long_ago = timezone.now() - dt.timedelta(days=30)
    Organisation.objects.filter(pk__in=[named.pk, unnamed.pk]).update(updated_at=long_ago)

    services.erase_person(user=person, by=person)

    named.refresh_from_db()
    unnamed.refresh_from_db()
    assert (named.description, named.updated_at > long_ago) == ("Ask [erased].", True)
    assert (unnamed.description, unnamed.updated_at) == ("Battery recycling.", long_ago)
    entry = AuditEntry.objects.get(action="account.erased")
    assert entry.data["shared_texts"] == 1


@pytest.mark.django_db
def test_export_holds_the_person_s_data_from_every_app_and_nobody_else_s(world):
    data = services.export_personal_data(user=world["person"])

    assert data["account"]["email"] == EMAIL
    assert data["account"]["full_name"] == NAME
    assert data["account"]["email_consent"] is True
    assert data["account"]["commission_staff"] is True
    assert data["account"]["email_addresses"] == [
        {"email": OLD_EMAIL, "verified": False, "primary": False},
        {"email": EMAIL, "verified": True, "primary": True},
    ]
    assert [(m["organisation"], m["role"]) for m in data["organisation_memberships"]] == [
        ("Nordic Batteries", "owner"),
        ("Battery Valley", "owner"),
        ("Baltic Cluster", "editor"),
    ]
    assert [c["organisation"] for c in data["organisation_contact_for"]] == ["Nordic Batteries"]
    assert [
        (i["organisation"], i["accepted_at"] is None) for i in data["invitations_received"]
    ] == [
        ("Baltic Cluster", False),
        ("Iberian Cluster", True),
    ]
    assert [(i["organisation"], i["accepted"]) for i in data["invitations_sent"]] == [
        ("Nordic Batteries", False)
    ]
    assert [e["title"] for e in data["expressions_started"]] == ["Batteries across the Baltic"]
    assert [e["action"] for e in data["activity"]][:2] == [
        "organisation.member_added",
        "organisation.invited",
    ]
    # The second sign-in is the test client's.
    assert [(s["ip_address"], s["browser"]) for s in data["sign_ins"]] == [
        ("192.0.2.7", "Firefox"),
        (None, "<unknown>"),
    ]
    assert len(data["failed_sign_ins"]) == 1
    assert [r["event"] for r in data["event_registrations"]] == [
        "Battery Days 2024",
        "Battery Days",
    ]
    assert data["event_registrations"][1]["cooperation_profile"] == [
        {
            "direction": "offer",
            "kind": "technology",
            "title": "Recycling line",
            "description": f"Ask {NAME} at {EMAIL}",
        }
    ]
    assert [
        (m["event"], m["with_organisation"], m["you"], m["your_message"], m["your_reason"])
        for m in data["meetings"]
    ] == [
        ("Battery Days 2024", "Baltic Cluster", "requested", f"Greetings from {NAME}", ""),
        ("Battery Days", "Baltic Cluster", "were asked", "", f"Fully booked, {NAME}"),
        ("Battery Days", "Baltic Cluster", "requested", f"{NAME} here, write to {EMAIL}", ""),
    ]
    assert [
        (r["with_organisation"], r["stars"], r["comment"]) for r in data["meeting_ratings"]
    ] == [("Baltic Cluster", 4, f"Useful. {NAME}")]
    assert data["recommendation_feedback"] == [
        {
            "organisation": "Nordic Batteries",
            "partner": "Baltic Cluster",
            "verdict": "useful",
            "given_at": RecommendationFeedback.objects.get().created_at.isoformat(),
        }
    ]
    assert data["reviewer_pools"] == [{"call": world["expression"].call.title, "moderator": False}]
    assert data["conflict_declarations"] == [
        {"organisation": "Battery Valley", "reason": f"{NAME} co-founded it"}
    ]
    assert data["review_scores"] == [
        {
            "expression": "Cells",
            "stage": 1,
            "review_state": "draft",
            "criterion": "Excellence",
            "score": "4.0",
            "comment": f"Convincing. {NAME}",
        }
    ]
    assert data["consensus_scores"] == [
        {"expression": "Cells", "criterion": "Excellence", "score": "3.5", "comment": "Sound plan."}
    ]
    assert [(m["subject"], m["body"]) for m in data["decision_emails"]] == [
        ("Decision on Cells", f"Dear {NAME}, your expression was shortlisted.")
    ]
    text = json.dumps(data)
    others = (
        OTHER_NAME,
        OTHER_EMAIL,
        "Cell chemistry",
        "colleague@",
        "Third Reviewer",
        "Agree",
        "chemistry.",
    )
    for foreign in others:
        assert foreign not in text


@pytest.mark.django_db
def test_export_of_a_newcomer_is_short():
    person = UserFactory(email="new@example.eu", full_name="New Person")

    data = services.export_personal_data(user=person)

    assert data["account"]["email"] == "new@example.eu"
    assert data["organisation_memberships"] == []
    assert data["event_registrations"] == []
    assert data["meetings"] == []
    assert data["recommendation_feedback"] == []


@pytest.mark.django_db
def test_consent_change_is_recorded_once_with_its_time():
    person = UserFactory()

    services.set_email_consent(person, consent=True, by=person)
    services.set_email_consent(person, consent=True, by=person)

    person.refresh_from_db()
    assert person.email_consent is True
    assert person.email_consent_at is not None
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "account.email_consent_given"
    ]


@pytest.mark.django_db
def test_news_go_only_to_people_who_consented(django_capture_on_commit_callbacks):
    UserFactory(email="yes@example.eu", email_consent=True)
    UserFactory(email="no@example.eu")
    UserFactory(email="gone@example.eu", email_consent=True, is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            subject="News",
            template="events/email/notice.txt",
            context={"text": "News", "url": "/"},
            recipients=["yes@example.eu", "no@example.eu", "gone@example.eu", "x@example.eu"],
            essential=False,
        )

    assert [message.to for message in mail.outbox] == [["yes@example.eu"]]


@pytest.mark.django_db
def test_notices_go_to_everybody_concerned_but_never_to_an_erased_address(
    django_capture_on_commit_callbacks,
):
    erased = UserFactory()
    erased = services.erase_person(user=erased, by=erased)

    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            subject="Notice",
            template="events/email/notice.txt",
            context={"text": "Notice", "url": "/"},
            recipients=["no@example.eu", erased.email],
        )

    assert [message.to for message in mail.outbox] == [["no@example.eu"]]


# Pages -------------------------------------------------------------------------------------

PASSWORD = "correct horse battery staple"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/my-account/data/", "/my-account/delete/", "/my-account/data/export/"]
)
def test_account_pages_ask_a_visitor_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.django_db
def test_my_data_page_summarises_what_the_download_holds(client):
    person = UserFactory(full_name=NAME, email=EMAIL)
    OrganisationFactory(name="Nordic Batteries", owner=person)
    client.force_login(person)

    response = client.get("/my-account/data/")

    assert response.status_code == 200
    summary = {str(label): count for label, count in response.context["summary"]}
    assert summary["Organisations you edit"] == 1
    assert summary["Event registrations"] == 0
    assert summary["Feedback on recommended partners"] == 0
    assert response.context["consent_form"].initial == {"email_consent": False}
    content = response.content.decode()
    assert EMAIL in content
    assert 'action="/my-account/data/export/"' in content


@pytest.mark.django_db
def test_download_is_a_json_file_of_the_signed_in_person_only(client):
    person = UserFactory(full_name=NAME, email=EMAIL)
    UserFactory(full_name=OTHER_NAME, email=OTHER_EMAIL)
    client.force_login(person)

    response = client.post("/my-account/data/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="clusterportal-my-data-'
    )
    data = json.loads(response.content)
    assert (data["account"]["email"], data["account"]["full_name"]) == (EMAIL, NAME)
    assert OTHER_EMAIL not in response.content.decode()
    entry = AuditEntry.objects.get(action="account.data_exported")
    assert (entry.actor, entry.object_id) == (person, str(person.pk))


@pytest.mark.django_db
def test_download_by_get_is_refused(client, user):
    client.force_login(user)

    response = client.get("/my-account/data/export/")

    assert response.status_code == 405
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_consent_is_given_and_withdrawn_without_htmx(client, user):
    client.force_login(user)

    given = client.post("/my-account/consent/", {"email_consent": "on"})
    user.refresh_from_db()
    assert (given.status_code, given["Location"]) == (302, "/my-account/data/")
    assert user.email_consent is True

    withdrawn = client.post("/my-account/consent/", {})
    user.refresh_from_db()
    assert withdrawn["Location"] == "/my-account/data/"
    assert user.email_consent is False
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "account.email_consent_given",
        "account.email_consent_withdrawn",
    ]


@pytest.mark.django_db
def test_consent_with_htmx_returns_the_block_with_the_new_choice(client, user):
    client.force_login(user)

    response = client.post(
        "/my-account/consent/", {"email_consent": "on"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.templates[0].name == "account/includes/_email_consent.html"
    assert "base.html" not in [t.name for t in response.templates]
    content = response.content.decode()
    assert 'name="email_consent" id="id_email_consent" checked' in content
    assert "Your choice is saved." in content


@pytest.mark.django_db
def test_delete_page_explains_what_is_kept_and_names_organisations_owned_alone(client):
    person = UserFactory(full_name=NAME, email=EMAIL)
    OrganisationFactory(name="Nordic Batteries", owner=person)
    shared = OrganisationFactory(name="Battery Valley", owner=person)
    MembershipFactory(organisation=shared)
    client.force_login(person)

    response = client.get("/my-account/delete/")

    assert response.status_code == 200
    assert [(o.name, editors) for o, editors in response.context["sole_ownerships"]] == [
        ("Battery Valley", True),
        ("Nordic Batteries", False),
    ]
    content = response.content.decode()
    assert "Review scores and comments" in content
    assert "its longest-serving editor becomes owner" in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"password": "wrong password here", "understood": "on"},
            "password",
            "This is not your password.",
        ),
        ({"password": PASSWORD}, "understood", "This field is required."),
        ({"understood": "on"}, "password", "This field is required."),
    ],
)
def test_delete_with_a_wrong_password_or_unticked_box_changes_nothing(client, data, field, message):
    person = UserFactory(full_name=NAME, email=EMAIL)
    client.force_login(person)

    response = client.post("/my-account/delete/", data)

    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    person.refresh_from_db()
    assert (person.email, person.full_name, person.erased_at) == (EMAIL, NAME, None)
    assert client.session["_auth_user_id"] == str(person.pk)


@pytest.mark.django_db
def test_delete_with_the_password_erases_the_person_and_signs_them_out(client):
    person = UserFactory(full_name=NAME, email=EMAIL)
    client.force_login(person)

    response = client.post("/my-account/delete/", {"password": PASSWORD, "understood": "on"})

    assert (response.status_code, response["Location"]) == (302, "/")
    person.refresh_from_db()
    assert (person.email, person.full_name, person.is_active) == (
        f"erased-{person.pk}@erased.invalid",
        "",
        False,
    )
    assert "_auth_user_id" not in client.session
    home = client.get("/")
    assert [str(m) for m in home.context["messages"]] == [
        "Your account is deleted and your personal data erased. Goodbye."
    ]
    assert client.get("/my-account/data/").status_code == 302
    login = client.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert login.status_code == 200


@pytest.mark.django_db
def test_privacy_notice_names_controller_officer_rights_and_cookies(client, settings):
    settings.PRIVACY_CONTROLLER = "Cluster Agency, Rue de la Loi 1, 1000 Brussels"
    settings.DATA_PROTECTION_OFFICER_EMAIL = "dpo@cluster-agency.eu"
    settings.SIGN_IN_RECORD_RETENTION_DAYS = 60

    response = client.get("/privacy/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "The controller of your personal data is Cluster Agency, Rue de la Loi 1" in content
    assert 'href="mailto:dpo@cluster-agency.eu"' in content
    assert "Sign-in records: 60 days." in content
    for cookie in ("sessionid", "csrftoken", "django_language", "messages"):
        assert f"<code>{cookie}</code>" in content
    assert "lodge a complaint" in content
    assert '<a href="/my-account/data/">download it as JSON</a>' in content
    assert '<a href="/my-account/delete/">delete your account</a>' in content


@pytest.mark.django_db
def test_every_page_links_the_privacy_notice_in_its_footer(client):
    content = client.get("/").content.decode()

    footer = content[content.index('<footer class="site-footer">') :]
    assert '<a href="/privacy/">Privacy</a>' in footer


@pytest.mark.django_db
def test_sign_up_offers_e_mail_consent_unticked(client):
    content = client.get("/accounts/signup/").content.decode()

    assert '<input type="checkbox" name="email_consent"' in content
    field = content[content.index('name="email_consent"') :].split(">")[0]
    assert "checked" not in field


@pytest.mark.django_db
@pytest.mark.parametrize(("ticked", "consent"), [({"email_consent": "on"}, True), ({}, False)])
def test_sign_up_records_the_consent_given(client, ticked, consent):
    client.post(
        "/accounts/signup/",
        {
            "email": EMAIL,
            "full_name": NAME,
            "password1": "Rhine-Danube-2016!",
            "password2": "Rhine-Danube-2016!",
        }
        | ticked,
    )

    person = User.objects.get(email=EMAIL)
    assert person.email_consent is consent
    assert (person.email_consent_at is not None) is consent


@pytest.mark.django_db
def test_pruning_deletes_old_sign_in_records_and_expired_sessions_once(settings):
    settings.SIGN_IN_RECORD_RETENTION_DAYS = 90
    now = timezone.now()
    for age in (91, 89):
        log = AccessLog.objects.create(username=EMAIL, user_agent="Firefox", path_info="/")
        AccessLog.objects.filter(pk=log.pk).update(attempt_time=now - dt.timedelta(days=age))
    Session.objects.create(
        session_key="old", session_data="", expire_date=now - dt.timedelta(seconds=1)
    )
    Session.objects.create(
        session_key="live", session_data="", expire_date=now + dt.timedelta(days=1)
    )

    first = prune_sign_in_records()
    second = prune_sign_in_records()

    assert first == {"sign_ins": 1, "failed_sign_ins": 0, "attempts": 0, "sessions": 1}
    assert second == {"sign_ins": 0, "failed_sign_ins": 0, "attempts": 0, "sessions": 0}
    assert AccessLog.objects.count() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


# Back office -------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    superuser = User.objects.create_superuser("root@ec.europa.eu", PASSWORD)
    client.force_login(superuser)
    client.superuser = superuser
    return client


def _erase_action(client, people, **extra):
    return client.post(
        "/admin/partnerships/user/",
        {"action": "erase_personal_data", "_selected_action": [p.pk for p in people], **extra},
    )


@pytest.mark.django_db
def test_admin_erasure_asks_for_confirmation_first(superuser_client):
    person = UserFactory(full_name=NAME, email=EMAIL)

    response = _erase_action(superuser_client, [person])

    assert response.status_code == 200
    assert list(response.context["people"]) == [person]
    person.refresh_from_db()
    assert (person.email, person.erased_at) == (EMAIL, None)


@pytest.mark.django_db
def test_admin_erasure_erases_each_person_and_reports_an_erased_one(superuser_client):
    person = UserFactory(full_name=NAME, email=EMAIL)
    gone = UserFactory(full_name=OTHER_NAME)
    services.erase_person(user=gone, by=gone)

    response = _erase_action(superuser_client, [person, gone], confirm="yes")

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.is_active) == ("", False)
    entry = AuditEntry.objects.filter(action="account.erased").latest("pk")
    assert (entry.object_id, entry.actor, entry.data["by_self"]) == (
        str(person.pk),
        superuser_client.superuser,
        False,
    )
    listing = superuser_client.get("/admin/partnerships/user/?erased=yes")
    assert [str(m) for m in listing.context["messages"]] == [
        "The personal data of 1 person was erased.",
        f"erased-{gone.pk}@erased.invalid: This account has already been erased.",
    ]
    assert {u.pk for u in listing.context["cl"].result_list} == {person.pk, gone.pk}


# Session and user, then one query per section of the export (a few sections join two), and
# the header's unread counts.
QUERIES_MY_DATA = 37


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_my_data_page_costs_the_same_queries_however_much_there_is(
    client, django_assert_num_queries, count
):
    person = UserFactory(full_name=NAME, email=EMAIL)
    partner = RegistrationFactory()
    for _n in range(count):
        registration = RegistrationFactory(user=person, event=partner.event)
        MeetingFactory(event=partner.event, requester=registration, recipient=partner)
        CooperationItem.objects.create(
            registration=registration, direction="offer", kind="business", title="Sensors"
        )
        partner = RegistrationFactory(event=EventFactory())
        RecommendationFeedback.objects.create(
            organisation=registration.organisation,
            partner=partner.organisation,
            verdict="useful",
            by=person,
        )
    client.force_login(person)

    with django_assert_num_queries(QUERIES_MY_DATA):
        response = client.get("/my-account/data/")

    summary = {str(label): number for label, number in response.context["summary"]}
    assert summary["Meetings at events"] == count
    assert summary["Organisations you edit"] == count
