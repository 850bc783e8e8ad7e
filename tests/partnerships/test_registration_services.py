import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from partnerships import services
from partnerships.enums import MembershipRole, ValidationState
from partnerships.models import Invitation, OrganisationMembership
from partnerships.prechecks import blocking_findings, website_domain
from tests.factories import OrganisationFactory, SectoralIndustryFactory, UserFactory


def draft(**fields):
    return OrganisationFactory(
        validation_state=ValidationState.DRAFT,
        sectoral_industries=[SectoralIndustryFactory()],
        **fields,
    )


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Mobility-Valley.eu/about", "mobility-valley.eu"),
        ("http://cluster.example.org", "cluster.example.org"),
        ("", ""),
    ],
)
def test_website_domain(url, domain):
    assert website_domain(url) == domain


@pytest.mark.django_db
def test_small_profile_fails_every_size_check_with_plain_messages(user):
    organisation = draft(
        members_smes=10,
        members_large=0,
        members_research=0,
        members_public=0,
        staff_fte=0.2,
        website="",
    )

    with pytest.raises(ValidationError) as error:
        services.submit_for_validation(organisation, by=user)

    assert error.value.message_dict == {
        "members_smes": ["A cluster needs at least 15 committed members; this profile counts 10."],
        "members_research": [
            "Members must come from at least two groups (for example SMEs and research and "
            "education)."
        ],
        "staff_fte": ["Cluster management needs at least 0.5 full-time staff."],
        "website": ["Give the address of the cluster's website."],
    }
    organisation.refresh_from_db()
    assert organisation.validation_state == ValidationState.DRAFT


@pytest.mark.django_db
def test_declared_programme_waives_size_criteria_but_not_the_website(user):
    organisation = draft(
        members_smes=5,
        members_large=0,
        members_research=0,
        members_public=0,
        recognised_programme="go-cluster (Germany)",
    )

    assert blocking_findings(organisation) == []
    services.submit_for_validation(organisation, by=user)
    organisation.refresh_from_db()
    assert organisation.validation_state == ValidationState.PENDING
    assert organisation.submitted_at is not None


@pytest.mark.django_db
def test_staff_must_confirm_a_waiving_programme_before_verifying(user, staff):
    organisation = draft(
        members_smes=5,
        members_large=0,
        members_research=0,
        members_public=0,
        recognised_programme="Pôles de compétitivité",
    )
    services.submit_for_validation(organisation, by=user)

    with pytest.raises(ValidationError):
        services.decide_validation(organisation, verified=True, by=staff)
    services.confirm_programme(organisation, by=staff)
    services.decide_validation(organisation, verified=True, by=staff)

    organisation.refresh_from_db()
    assert organisation.validation_state == ValidationState.VERIFIED


@pytest.mark.django_db
def test_rejection_reaches_the_managers_with_the_reason(staff, django_capture_on_commit_callbacks):
    manager = UserFactory(email="manager@cluster.eu")
    organisation = OrganisationFactory(validation_state=ValidationState.PENDING, owner=manager)

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_validation(
            organisation, verified=False, by=staff, reason="Website shows no cluster activity."
        )

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["manager@cluster.eu"]
    assert "Website shows no cluster activity." in mail.outbox[0].body


@pytest.mark.django_db
def test_invitation_becomes_a_membership_for_the_invited_address_only(
    django_capture_on_commit_callbacks,
):
    owner = UserFactory()
    organisation = OrganisationFactory(owner=owner)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_member(organisation, email="Colleague@Cluster.eu", by=owner)
    stranger = UserFactory(email="stranger@example.eu")
    colleague = UserFactory(email="colleague@cluster.eu")

    with pytest.raises(ValidationError):
        services.accept_invitation(invitation, user=stranger)
    services.accept_invitation(invitation, user=colleague)

    assert mail.outbox[0].to == ["colleague@cluster.eu"]
    assert str(invitation.token) in mail.outbox[0].body
    assert OrganisationMembership.objects.get(user=colleague).role == MembershipRole.EDITOR
    with pytest.raises(ValidationError):
        services.accept_invitation(invitation, user=colleague)


@pytest.mark.django_db
def test_inviting_again_replaces_the_open_invitation():
    owner = UserFactory()
    organisation = OrganisationFactory(owner=owner)

    services.invite_member(organisation, email="a@cluster.eu", by=owner)
    services.invite_member(organisation, email="a@cluster.eu", by=owner)

    assert Invitation.objects.filter(organisation=organisation).count() == 1


@pytest.mark.django_db
def test_ownership_passes_to_an_editor_and_the_owner_becomes_editor():
    owner, editor = UserFactory(), UserFactory()
    organisation = OrganisationFactory(owner=owner)
    services.add_member(organisation, user=editor, role=MembershipRole.EDITOR, by=owner)

    services.transfer_ownership(organisation, to=editor, by=owner)

    roles = dict(organisation.memberships.values_list("user_id", "role"))
    assert roles == {owner.pk: MembershipRole.EDITOR, editor.pk: MembershipRole.OWNER}


@pytest.mark.django_db
def test_ownership_cannot_pass_to_an_outsider():
    owner = UserFactory()
    organisation = OrganisationFactory(owner=owner)

    with pytest.raises(ValidationError):
        services.transfer_ownership(organisation, to=UserFactory(), by=owner)

    assert organisation.memberships.get().role == MembershipRole.OWNER
