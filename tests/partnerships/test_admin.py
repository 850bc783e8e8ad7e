import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.messages import get_messages

from partnerships import services
from partnerships.enums import (
    AwardingBody,
    ExpressionState,
    LabelLevel,
    MembershipRole,
    ValidationState,
)
from partnerships.models import (
    AuditEntry,
    Label,
    Organisation,
    OrganisationMembership,
    PlantedPartnership,
    User,
)
from tests.factories import (
    CallReviewerFactory,
    ConflictDeclarationFactory,
    EcosystemFactory,
    EmergingIndustryFactory,
    ExpressionFactory,
    LabelFactory,
    MembershipFactory,
    OrganisationFactory,
    PolicyObjectiveFactory,
    RegionFactory,
    ReviewAssignmentFactory,
    S3PriorityFactory,
    SectoralIndustryFactory,
    StrategicPartnershipFactory,
    UserFactory,
    ValueChainPositionFactory,
)

pytestmark = pytest.mark.django_db

PARTNERSHIP_MODELS = sorted(
    model._meta.model_name
    for model in admin.site._registry
    if model._meta.app_label == "partnerships"
)


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root@ec.europa.eu", "correct horse battery staple")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def data(superuser):
    sector = SectoralIndustryFactory()
    emerging = EmergingIndustryFactory()
    emerging.sectoral_industries.set([sector])
    organisation = OrganisationFactory(
        sectoral_industries=[sector],
        emerging_industries=[emerging],
        ecosystems=[EcosystemFactory()],
        owner=UserFactory(),
    )
    organisation.value_chain_positions.set([ValueChainPositionFactory()])
    organisation.s3_priorities.set([S3PriorityFactory(policy_objective=PolicyObjectiveFactory())])
    LabelFactory(organisation=organisation, level=LabelLevel.SILVER)
    services.change_validation_state(
        OrganisationFactory(validation_state=ValidationState.DRAFT),
        to=ValidationState.PENDING,
        by=superuser,
    )
    planted = PlantedPartnership.objects.create(seed=2016, name="Blue value chain", theme=emerging)
    planted.organisations.set([organisation])
    ExpressionFactory(lead=organisation)
    StrategicPartnershipFactory(coordinator=organisation)
    writer = OrganisationFactory(owner=UserFactory())
    conversation = services.start_conversation(
        sender=writer,
        recipient=organisation,
        subject="Offer",
        body="Buy our list of e-mail addresses",
        by=writer.memberships.get().user,
    )
    services.report_message(
        conversation.messages.get(), reason="Spam", by=organisation.memberships.get().user
    )
    _review_records(superuser)
    return organisation


def _review_records(staff):
    """One of each review record, made the way the review services make them."""
    assignment = ReviewAssignmentFactory()
    expression = assignment.expression
    CallReviewerFactory(call=expression.call, user=assignment.reviewer)
    ConflictDeclarationFactory(user=assignment.reviewer)
    criterion = expression.call.criteria.get()
    services.save_review(
        assignment.review,
        scores={criterion.pk: ("4", "Convincing")},
        expected_version=1,
        by=assignment.reviewer,
    )
    services.submit_review(assignment.review, by=assignment.reviewer)
    services.set_consensus(
        expression,
        stage=1,
        scores={criterion.pk: ("4", "Agreed")},
        expected_versions={criterion.pk: 0},
        by=staff,
    )
    MembershipFactory(organisation=expression.lead, user=UserFactory())
    conflicted = CallReviewerFactory(call=expression.call).user
    MembershipFactory(organisation=expression.lead, user=conflicted)
    services.auto_assign(expression.call, stage=1, per_expression=2, by=staff)
    services.record_decision(expression, stage=1, outcome=ExpressionState.REJECTED, by=staff)
    services.release_decisions(expression.call, stage=1, by=staff)


def test_every_partnerships_model_is_in_the_admin():
    assert PARTNERSHIP_MODELS == [
        "auditentry",
        "call",
        "callreviewer",
        "conflictdeclaration",
        "conflictlogentry",
        "consensusscore",
        "country",
        "decision",
        "ecosystem",
        "emergingindustry",
        "expressionofinterest",
        "label",
        "messagereport",
        "organisation",
        "organisationmembership",
        "outboxmessage",
        "plantedpartnership",
        "policyobjective",
        "region",
        "review",
        "reviewassignment",
        "s3priority",
        "sectoralindustry",
        "strategicpartnership",
        "user",
        "valuechainposition",
    ]


@pytest.mark.parametrize("model_name", PARTNERSHIP_MODELS)
def test_admin_changelist_loads_with_data(admin_client, data, model_name):
    response = admin_client.get(f"/admin/partnerships/{model_name}/")

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


# The review is run from the call's review pages; the admin only shows its records.
REVIEW_RECORDS = {
    "callreviewer",
    "conflictdeclaration",
    "conflictlogentry",
    "consensusscore",
    "decision",
    "outboxmessage",
    "review",
    "reviewassignment",
}


# Audit entries, expressions and partnerships (founded from selected expressions) are written
# by services and the portal, never added here; nor are reports, which only participants make.
@pytest.mark.parametrize(
    "model_name",
    sorted(
        set(PARTNERSHIP_MODELS)
        - {"auditentry", "expressionofinterest", "messagereport", "strategicpartnership"}
        - REVIEW_RECORDS
    ),
)
def test_admin_add_page_loads(admin_client, data, model_name):
    response = admin_client.get(f"/admin/partnerships/{model_name}/add/")

    assert response.status_code == 200
    assert response.context["add"] is True


@pytest.mark.parametrize("model_name", sorted(REVIEW_RECORDS | {"messagereport"}))
def test_admin_cannot_add_review_records(admin_client, data, model_name):
    assert admin_client.get(f"/admin/partnerships/{model_name}/add/").status_code == 403


def test_audit_log_cannot_be_added_or_edited_in_the_admin(admin_client, data):
    entry = AuditEntry.objects.get(action="organisation.pending")

    add = admin_client.get("/admin/partnerships/auditentry/add/")
    change = admin_client.post(
        f"/admin/partnerships/auditentry/{entry.pk}/change/", {"action": "forged"}
    )

    assert add.status_code == 403
    assert change.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "organisation.pending"


def test_admin_change_page_loads_for_an_organisation(admin_client, data):
    response = admin_client.get(f"/admin/partnerships/organisation/{data.pk}/change/")

    assert response.status_code == 200
    assert "validation_state" not in response.context["adminform"].form.fields


def test_admin_changelist_searches_and_filters_organisations(admin_client, data):
    OrganisationFactory(name="Nordic Maritime Cluster")

    found = admin_client.get("/admin/partnerships/organisation/?q=maritime")
    silver = admin_client.get("/admin/partnerships/organisation/?current_label=silver")
    pending = admin_client.get("/admin/partnerships/organisation/?validation_state__exact=pending")

    assert [o.name for o in found.context["cl"].result_list] == ["Nordic Maritime Cluster"]
    assert list(silver.context["cl"].result_list) == [data]
    assert [o.validation_state for o in pending.context["cl"].result_list] == ["pending"]


def _run_action(client, action, organisations, **extra):
    return client.post(
        "/admin/partnerships/organisation/",
        {"action": action, "_selected_action": [o.pk for o in organisations], **extra},
    )


def test_admin_verify_action_goes_through_the_service_and_is_audited(admin_client, superuser):
    pending = OrganisationFactory(validation_state=ValidationState.PENDING)

    response = _run_action(admin_client, "verify", [pending])

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.validation_state == ValidationState.VERIFIED
    entry = AuditEntry.objects.get(object_id=str(pending.pk))
    assert (entry.action, entry.actor, entry.data) == (
        "organisation.verified",
        superuser,
        {"from": "pending", "to": "verified", "reason": ""},
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "1 organisation is now “Verified”."
    ]


def test_admin_verify_action_refuses_a_draft_and_changes_nothing(admin_client):
    draft = OrganisationFactory(name="Early Draft", validation_state=ValidationState.DRAFT)

    response = _run_action(admin_client, "verify", [draft])

    draft.refresh_from_db()
    assert draft.validation_state == ValidationState.DRAFT
    assert AuditEntry.objects.count() == 0
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Early Draft: This cannot move from “Draft” to “Verified”."
    ]


def test_admin_reject_action_asks_for_a_reason_first(admin_client):
    pending = OrganisationFactory(validation_state=ValidationState.PENDING)

    response = _run_action(admin_client, "reject", [pending])

    assert response.status_code == 200
    assert list(response.context["organisations"]) == [pending]
    pending.refresh_from_db()
    assert pending.validation_state == ValidationState.PENDING
    assert AuditEntry.objects.count() == 0


def test_admin_reject_action_with_a_reason_rejects_and_audits(admin_client, superuser):
    pending = OrganisationFactory(validation_state=ValidationState.PENDING)

    response = _run_action(
        admin_client, "reject", [pending], reason="Fewer than 15 committed members."
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.validation_state == ValidationState.REJECTED
    assert pending.rejection_reason == "Fewer than 15 committed members."
    entry = AuditEntry.objects.get(object_id=str(pending.pk))
    assert (entry.action, entry.actor_id) == ("organisation.rejected", superuser.pk)


def _organisation_form(organisation, **changes):
    form = {
        "name": organisation.name,
        "acronym": organisation.acronym,
        "type": organisation.type,
        "website": organisation.website,
        "contact_email": organisation.contact_email,
        "country": organisation.country_id,
        "region": organisation.region_id,
        "city": organisation.city,
        "year_established": organisation.year_established or "",
        "description": organisation.description,
        "keywords": organisation.keywords,
        "staff_fte": organisation.staff_fte,
        "members_smes": organisation.members_smes,
        "members_large": organisation.members_large,
        "members_research": organisation.members_research,
        "members_public": organisation.members_public,
        "members_civil": organisation.members_civil,
        "member_employees": organisation.member_employees,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "labels-TOTAL_FORMS": "0",
        "labels-INITIAL_FORMS": "0",
    }
    for name in services.PROFILE_M2M_FIELDS:
        related = getattr(organisation, name).all() if organisation.pk else []
        form[name] = [item.pk for item in related]
    form.update(changes)
    return form


def test_admin_profile_edit_goes_through_the_service(admin_client, superuser):
    organisation = OrganisationFactory()
    Organisation.objects.filter(pk=organisation.pk).update(needs_rescoring=False)
    sector = SectoralIndustryFactory()

    response = admin_client.post(
        f"/admin/partnerships/organisation/{organisation.pk}/change/",
        _organisation_form(organisation, city="Turin", sectoral_industries=[sector.pk]),
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.city == "Turin"
    assert list(organisation.sectoral_industries.all()) == [sector]
    assert organisation.needs_rescoring is True
    entry = AuditEntry.objects.get(action="organisation.updated")
    assert (entry.actor, entry.data) == (superuser, {"fields": ["city", "sectoral_industries"]})


def test_admin_profile_edit_rejects_a_region_of_another_country(admin_client):
    organisation = OrganisationFactory()
    elsewhere = RegionFactory(country__code="PL")

    response = admin_client.post(
        f"/admin/partnerships/organisation/{organisation.pk}/change/",
        _organisation_form(organisation, region=elsewhere.pk),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["region"] == [
        "The region must lie in the chosen country."
    ]
    organisation.refresh_from_db()
    assert organisation.region_id != elsewhere.pk
    assert AuditEntry.objects.count() == 0


def test_admin_inlines_record_labels_and_members_through_services(admin_client, superuser):
    organisation = OrganisationFactory()
    editor = UserFactory()

    response = admin_client.post(
        f"/admin/partnerships/organisation/{organisation.pk}/change/",
        _organisation_form(
            organisation,
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-user": editor.pk,
                "memberships-0-role": MembershipRole.EDITOR,
                "labels-TOTAL_FORMS": "1",
                "labels-0-level": LabelLevel.GOLD,
                "labels-0-awarding_body": AwardingBody.EUCLES,
                "labels-0-assessed_on": "2026-01-15",
                "labels-0-valid_until": "2028-01-15",
                "labels-0-source_url": "",
            },
        ),
    )

    assert response.status_code == 302
    label = Label.objects.get(organisation=organisation)
    assert (label.level, label.valid_until) == (LabelLevel.GOLD, dt.date(2028, 1, 15))
    membership = OrganisationMembership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (editor, MembershipRole.EDITOR)
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == [
        "label.recorded",
        "organisation.member_added",
        "organisation.updated",
    ]


def test_admin_add_pages_record_a_label_and_a_member_through_services(admin_client):
    organisation = OrganisationFactory()
    editor = UserFactory()

    label_response = admin_client.post(
        "/admin/partnerships/label/add/",
        {
            "organisation": organisation.pk,
            "level": LabelLevel.SILVER,
            "awarding_body": AwardingBody.EUCLES,
            "assessed_on": "2026-02-01",
            "valid_until": "2028-02-01",
            "source_url": "",
        },
    )
    member_response = admin_client.post(
        "/admin/partnerships/organisationmembership/add/",
        {"organisation": organisation.pk, "user": editor.pk, "role": MembershipRole.EDITOR},
    )

    assert (label_response.status_code, member_response.status_code) == (302, 302)
    label = Label.objects.get()
    membership = OrganisationMembership.objects.get()
    assert (label.level, membership.user, membership.role) == (
        LabelLevel.SILVER,
        editor,
        MembershipRole.EDITOR,
    )
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == [
        "label.recorded",
        "organisation.member_added",
    ]
    # The admin's own history points at the rows the services created.
    assert sorted(
        LogEntry.objects.filter(action_flag=ADDITION).values_list("object_id", flat=True)
    ) == sorted([str(label.pk), str(membership.pk)])


def test_admin_recorded_label_cannot_be_rewritten(admin_client):
    label = LabelFactory(level=LabelLevel.BRONZE)

    response = admin_client.post(
        f"/admin/partnerships/label/{label.pk}/change/",
        {
            "organisation": label.organisation_id,
            "level": LabelLevel.GOLD,
            "awarding_body": label.awarding_body,
            "assessed_on": label.assessed_on.isoformat(),
            "valid_until": label.valid_until.isoformat(),
        },
    )

    assert response.status_code == 403
    label.refresh_from_db()
    assert label.level == LabelLevel.BRONZE


def test_admin_removing_a_member_is_audited(admin_client, superuser):
    membership = MembershipFactory()

    response = admin_client.post(
        f"/admin/partnerships/organisationmembership/{membership.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert OrganisationMembership.objects.count() == 0
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.data) == (
        "organisation.member_removed",
        superuser,
        {"user": membership.user_id},
    )


def test_admin_creates_users_with_lower_case_email(admin_client):
    response = admin_client.post(
        "/admin/partnerships/user/add/",
        {
            "email": "New.Manager@Cluster.EU",
            "full_name": "New Manager",
            "usable_password": "true",
            "password1": "a sufficiently long passphrase 42",
            "password2": "a sufficiently long passphrase 42",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(full_name="New Manager")
    assert user.email == "new.manager@cluster.eu"
    assert user.check_password("a sufficiently long passphrase 42") is True


def test_admin_refuses_an_email_that_differs_only_in_case(admin_client):
    UserFactory(email="taken@cluster.eu")

    response = admin_client.post(
        "/admin/partnerships/user/add/",
        {
            "email": "TAKEN@cluster.eu",
            "usable_password": "false",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "A user with this e-mail address already exists."
    ]
    assert User.objects.filter(email__iexact="taken@cluster.eu").count() == 1


def test_admin_add_creates_a_draft_through_the_service(admin_client, superuser):
    template = OrganisationFactory.build(region=RegionFactory(), name="Alpine Wood Cluster")
    response = admin_client.post(
        "/admin/partnerships/organisation/add/", _organisation_form(template)
    )

    assert response.status_code == 302
    created = Organisation.objects.get(name="Alpine Wood Cluster")
    assert created.validation_state == ValidationState.DRAFT
    assert AuditEntry.objects.get().action == "organisation.created"
