import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerships import services
from partnerships.enums import CallState, ExpressionState, PartnerState, ValidationState
from partnerships.models import AuditEntry, ExpressionOfInterest, ExpressionPartner
from partnerships.queries import (
    expressions_for_user,
    invitable_organisations,
    partner_invitations_for_user,
)
from tests.factories import (
    CallFactory,
    CountryFactory,
    ExpressionFactory,
    ExpressionPartnerFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def organisation_in(code, **kwargs):
    return OrganisationFactory(region=RegionFactory(country=CountryFactory(code=code)), **kwargs)


def managed(code, **kwargs):
    manager = UserFactory()
    return organisation_in(code, owner=manager, **kwargs), manager


def actions(expression):
    return list(
        AuditEntry.objects.filter(object_id=str(expression.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def consortium():
    """A draft led from Germany with partners in France and Italy who have confirmed."""
    lead, lead_manager = managed("DE")
    expression = ExpressionFactory(lead=lead)
    partners = []
    for code in ("FR", "IT"):
        organisation, manager = managed(code)
        partners.append(
            (ExpressionPartnerFactory(expression=expression, organisation=organisation), manager)
        )
    for partner, manager in partners:
        services.respond_to_partnership(partner, accept=True, by=manager)
    return expression, lead_manager, partners


def test_start_expression_by_lead_manager_creates_draft():
    call = CallFactory()
    lead, manager = managed("DE")

    expression = services.start_expression(call, lead=lead, by=manager, title="Smart packaging")

    assert (expression.state, expression.title, expression.created_by) == (
        ExpressionState.DRAFT,
        "Smart packaging",
        manager,
    )
    assert actions(expression) == ["expression.created"]


def test_start_expression_on_closed_call_is_refused():
    call = CallFactory(state=CallState.CLOSED)
    lead, manager = managed("DE")

    with pytest.raises(ValidationError) as error:
        services.start_expression(call, lead=lead, by=manager, title="Late")

    assert error.value.messages == ["This call is not open for expressions of interest."]
    assert ExpressionOfInterest.objects.count() == 0


def test_start_expression_by_stranger_is_refused():
    call = CallFactory()
    lead, _manager = managed("DE")

    with pytest.raises(ValidationError) as error:
        services.start_expression(call, lead=lead, by=UserFactory(), title="Not mine")

    assert error.value.code == "not_manager"
    assert ExpressionOfInterest.objects.count() == 0


def test_start_expression_twice_for_same_call_is_refused():
    expression = ExpressionFactory()
    manager = MembershipFactory(organisation=expression.lead).user

    with pytest.raises(ValidationError) as error:
        services.start_expression(expression.call, lead=expression.lead, by=manager, title="Again")

    assert error.value.code == "duplicate"
    assert ExpressionOfInterest.objects.count() == 1


def test_update_expression_bumps_version_and_audits():
    expression = ExpressionFactory()
    manager = MembershipFactory(organisation=expression.lead).user

    updated = services.update_expression(
        expression, by=manager, objectives="New value chains", budget_requested=250_000
    )

    assert (updated.objectives, updated.budget_requested, updated.version) == (
        "New value chains",
        250_000,
        2,
    )
    assert actions(expression) == ["expression.updated"]


def test_update_expression_after_deadline_is_refused_and_changes_nothing():
    call = CallFactory(deadline=timezone.now() - dt.timedelta(minutes=1))
    expression = ExpressionFactory(call=call, objectives="Before")
    manager = MembershipFactory(organisation=expression.lead).user

    with pytest.raises(ValidationError) as error:
        services.update_expression(expression, by=manager, objectives="After")

    assert error.value.code == "deadline_passed"
    expression.refresh_from_db()
    assert (expression.objectives, expression.version) == ("Before", 1)


def test_invite_partner_emails_the_partner_managers(django_capture_on_commit_callbacks):
    expression = ExpressionFactory()
    lead_manager = MembershipFactory(organisation=expression.lead).user
    partner_org, partner_manager = managed("FR")

    with django_capture_on_commit_callbacks(execute=True):
        partner = services.invite_partner(expression, organisation=partner_org, by=lead_manager)

    assert partner.state == PartnerState.INVITED
    assert [message.to for message in mail.outbox] == [[partner_manager.email]]
    assert list(partner_invitations_for_user(partner_manager)) == [partner]
    assert actions(expression) == ["expression.partner_invited"]


def test_invite_unverified_organisation_is_refused():
    expression = ExpressionFactory()
    lead_manager = MembershipFactory(organisation=expression.lead).user
    pending = organisation_in("FR", validation_state=ValidationState.PENDING)

    with pytest.raises(ValidationError) as error:
        services.invite_partner(expression, organisation=pending, by=lead_manager)

    assert error.value.message_dict == {
        "organisation": ["Only verified organisations can be invited."]
    }
    assert ExpressionPartner.objects.count() == 0


def test_invite_same_partner_twice_is_refused_but_declined_may_be_reinvited():
    partner = ExpressionPartnerFactory(state=PartnerState.DECLINED)
    lead_manager = MembershipFactory(organisation=partner.expression.lead).user

    services.invite_partner(partner.expression, organisation=partner.organisation, by=lead_manager)
    with pytest.raises(ValidationError) as error:
        services.invite_partner(
            partner.expression, organisation=partner.organisation, by=lead_manager
        )

    partner.refresh_from_db()
    assert partner.state == PartnerState.INVITED
    assert error.value.message_dict == {
        "organisation": [f"{partner.organisation.name} is already invited."]
    }


def test_invitable_organisations_leave_out_lead_and_live_partners():
    partner = ExpressionPartnerFactory(organisation__name="Alpha Cluster")
    declined = ExpressionPartnerFactory(
        expression=partner.expression, organisation__name="Alpha Two", state="declined"
    )
    free = OrganisationFactory(name="Alpha Three")
    OrganisationFactory(name="Alpha Pending", validation_state=ValidationState.PENDING)

    found = list(invitable_organisations(partner.expression, name="alpha"))

    assert found == [free, declined.organisation]
    assert partner.expression.lead not in found


def test_respond_by_someone_outside_the_partner_is_refused():
    partner = ExpressionPartnerFactory()
    lead_manager = MembershipFactory(organisation=partner.expression.lead).user

    with pytest.raises(ValidationError) as error:
        services.respond_to_partnership(partner, accept=True, by=lead_manager)

    partner.refresh_from_db()
    assert (error.value.code, partner.state) == ("not_manager", PartnerState.INVITED)


def test_respond_tells_the_lead(django_capture_on_commit_callbacks):
    partner = ExpressionPartnerFactory()
    lead_manager = MembershipFactory(organisation=partner.expression.lead).user
    partner_manager = MembershipFactory(organisation=partner.organisation).user

    with django_capture_on_commit_callbacks(execute=True):
        services.respond_to_partnership(partner, accept=False, by=partner_manager)

    partner.refresh_from_db()
    assert (partner.state, partner.responded_by) == (PartnerState.DECLINED, partner_manager)
    assert [message.to for message in mail.outbox] == [[lead_manager.email]]


def test_submit_complete_consortium(consortium, django_capture_on_commit_callbacks):
    expression, lead_manager, partners = consortium

    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit_expression(expression, by=lead_manager)

    assert submitted.state == ExpressionState.SUBMITTED
    assert submitted.submitted_at is not None
    assert sorted(mail.outbox[-1].to) == sorted(
        [lead_manager.email] + [manager.email for _partner, manager in partners]
    )
    assert actions(expression)[-1] == "expression.submitted"


def test_submit_with_unconfirmed_partners_lists_each_unmet_rule(consortium):
    expression, lead_manager, partners = consortium
    ExpressionPartner.objects.filter(pk=partners[1][0].pk).update(state=PartnerState.INVITED)

    with pytest.raises(ValidationError) as error:
        services.submit_expression(expression, by=lead_manager)

    assert error.value.messages == [
        "The call needs at least 2 confirmed partners; you have 1. "
        "1 invited partner has not answered yet.",
        "The consortium must span at least 3 countries; its confirmed members come from 2.",
    ]
    expression.refresh_from_db()
    assert (expression.state, expression.submitted_at) == (ExpressionState.DRAFT, None)


def test_submit_after_deadline_is_refused(consortium):
    expression, lead_manager, _partners = consortium
    expression.call.stages.update(deadline=timezone.now() - dt.timedelta(seconds=1))

    with pytest.raises(ValidationError) as error:
        services.submit_expression(expression, by=lead_manager)

    assert [e.code for e in error.value.error_list] == ["deadline"]
    expression.refresh_from_db()
    assert expression.state == ExpressionState.DRAFT


def test_consortium_fixed_after_submission(consortium):
    expression, lead_manager, partners = consortium
    services.submit_expression(expression, by=lead_manager)
    partner, manager = partners[0]

    with pytest.raises(ValidationError) as error:
        services.respond_to_partnership(partner, accept=False, by=manager)

    partner.refresh_from_db()
    assert (error.value.code, partner.state) == ("fixed", PartnerState.CONFIRMED)


def test_withdraw_before_deadline(consortium):
    expression, lead_manager, _partners = consortium
    services.submit_expression(expression, by=lead_manager)

    withdrawn = services.withdraw_expression(expression, by=lead_manager)

    assert withdrawn.state == ExpressionState.WITHDRAWN
    assert actions(expression)[-1] == "expression.withdrawn"


def test_withdraw_after_deadline_is_refused(consortium):
    expression, lead_manager, _partners = consortium
    services.submit_expression(expression, by=lead_manager)
    expression.call.stages.update(deadline=timezone.now() - dt.timedelta(seconds=1))

    with pytest.raises(ValidationError) as error:
        services.withdraw_expression(expression, by=lead_manager)

    expression.refresh_from_db()
    assert (error.value.code, expression.state) == ("deadline_passed", ExpressionState.SUBMITTED)


def test_withdraw_by_partner_manager_is_refused(consortium):
    expression, _lead_manager, partners = consortium

    with pytest.raises(ValidationError):
        services.withdraw_expression(expression, by=partners[0][1])

    expression.refresh_from_db()
    assert expression.state == ExpressionState.DRAFT


def test_two_stage_journey_submits_stage_two(consortium):
    expression, lead_manager, _partners = consortium
    staff = StaffFactory()
    services.set_stage(
        expression.call, number=2, deadline=timezone.now() + dt.timedelta(days=60), by=staff
    )
    services.submit_expression(expression, by=lead_manager)
    services.decide_expression(expression, to=ExpressionState.ELIGIBLE, by=staff)
    services.decide_expression(expression, to=ExpressionState.STAGE1_PASSED, by=staff)
    services.update_expression(expression, by=lead_manager, investment_activities="Pilot lines")

    final = services.submit_expression(expression, by=lead_manager)

    assert final.state == ExpressionState.STAGE2_SUBMITTED
    assert final.investment_activities == "Pilot lines"
    assert actions(expression)[-4:] == [
        "expression.eligible",
        "expression.stage1_passed",
        "expression.updated",
        "expression.stage2_submitted",
    ]


def test_decide_cannot_submit_for_a_consortium():
    expression = ExpressionFactory()

    with pytest.raises(ValidationError):
        services.decide_expression(expression, to=ExpressionState.SUBMITTED, by=StaffFactory())

    expression.refresh_from_db()
    assert expression.state == ExpressionState.DRAFT


def test_decide_illegal_move_is_refused():
    expression = ExpressionFactory()

    with pytest.raises(ValidationError) as error:
        services.decide_expression(expression, to=ExpressionState.SELECTED, by=StaffFactory())

    assert error.value.code == "invalid_transition"


def test_expressions_for_user_scopes_by_lead_and_partner():
    mine = ExpressionFactory()
    manager = MembershipFactory(organisation=mine.lead).user
    as_partner = ExpressionPartnerFactory()
    MembershipFactory(organisation=as_partner.organisation, user=manager)
    other = ExpressionFactory()

    assert set(expressions_for_user(manager)) == {mine, as_partner.expression}
    assert set(expressions_for_user(StaffFactory())) == {mine, as_partner.expression, other}
    assert list(expressions_for_user(UserFactory())) == []
