"""One small portal with something to leak on every page: the world the matrix walks."""

from dataclasses import dataclass

from django.core.files.base import ContentFile

from events.enums import MeetingState, RegistrationState
from matchmaking.models import WeightFit
from partnerships import services
from partnerships.enums import (
    CallState,
    DecisionState,
    ExpressionState,
    MembershipRole,
    NotificationKind,
    ValidationState,
)
from partnerships.models import (
    Complaint,
    ConsensusScore,
    Decision,
    ExpressionAttachment,
    Invitation,
    Notification,
    ReviewScore,
)
from tests.factories import (
    CallFactory,
    CallReviewerFactory,
    EcosystemFactory,
    EmergingIndustryFactory,
    EventFactory,
    ExpressionFactory,
    ExpressionPartnerFactory,
    LabelFactory,
    MeetingFactory,
    OrganisationFactory,
    PartnerSearchFactory,
    PartnerSearchInterestFactory,
    RegistrationFactory,
    ReviewAssignmentFactory,
    SectoralIndustryFactory,
    StaffFactory,
    StrategicPartnershipFactory,
    UserFactory,
)
from tests.hostile_files import pdf, png

# Words that appear only in things some roles must never see.
DRAFT_ORGANISATION_NAME = "Quiverfjord Hidden Draft Cluster"
EXPRESSION_TITLE = "Zanzibar Confidential Consortium"
DRAFT_CALL_TITLE = "Unannounced Yttrium Call"
MEETING_MESSAGE = "Our confidential Xylophone battery plan"
REVIEW_COMMENT = "Reviewer's private Wolfram remark"
CONVERSATION_TEXT = "Private Quokka pricing between two clusters"
DRAFT_SEARCH_TITLE = "Unposted Vanadium Partner Search"


@dataclass
class World:
    users: dict
    organisation: object
    draft_organisation: object
    ally: object
    label: object
    draft_label: object
    invitation: object
    call: object
    draft_call: object
    expression: object
    expression_partner: object
    attachment: object
    event: object
    manager_registration: object
    ally_registration: object
    pending_registration: object
    meeting: object
    review_call: object
    call_reviewer: object
    review_expression: object
    assignment: object
    partnership: object
    sector: object
    emerging_industry: object
    ecosystem: object
    weight_fit: object = None
    conversation: object = None
    conversation_message: object = None
    notification: object = None
    partner_search: object = None
    draft_partner_search: object = None
    organiser_role: object = None
    decision: object = None
    complaint: object = None


def owner_of(organisation, user):
    organisation.memberships.create(user=user, role=MembershipRole.OWNER)
    return user


def build_world():
    manager = UserFactory(email="manager@authz.example.eu")
    other_manager = UserFactory(email="other.manager@authz.example.eu")
    ally_manager = UserFactory(email="ally.manager@authz.example.eu")
    users = {
        "anonymous": None,
        "partner": UserFactory(email="partner@authz.example.eu"),
        "other_manager": other_manager,
        "manager": manager,
        "reviewer": StaffFactory(email="reviewer@ec.europa.eu"),
        "staff": StaffFactory(email="staff@ec.europa.eu"),
    }
    sector = SectoralIndustryFactory()
    emerging_industry = EmergingIndustryFactory()
    ecosystem = EcosystemFactory()
    organisation = OrganisationFactory(
        name="Authz Verified Cluster",
        sectoral_industries=[sector],
        emerging_industries=[emerging_industry],
        ecosystems=[ecosystem],
    )
    owner_of(organisation, manager)
    draft_organisation = OrganisationFactory(
        name=DRAFT_ORGANISATION_NAME, validation_state=ValidationState.DRAFT
    )
    owner_of(draft_organisation, other_manager)
    ally = OrganisationFactory(name="Authz Ally Cluster")
    owner_of(ally, ally_manager)

    organisation.logo.save("logo.png", ContentFile(png()))
    label = LabelFactory(organisation=organisation)
    label.certificate.save("gold.pdf", ContentFile(pdf()))
    draft_label = LabelFactory(organisation=draft_organisation)
    draft_label.certificate.save("draft.pdf", ContentFile(pdf()))
    invitation = Invitation.objects.create(
        organisation=organisation, email="colleague@authz.example.eu", invited_by=manager
    )

    call = CallFactory(title="Authz Open Call")
    draft_call = CallFactory(title=DRAFT_CALL_TITLE, state=CallState.DRAFT)
    expression = ExpressionFactory(
        call=call, lead=organisation, title=EXPRESSION_TITLE, state=ExpressionState.DRAFT
    )
    expression_partner = ExpressionPartnerFactory(expression=expression, organisation=ally)
    attachment = ExpressionAttachment(expression=expression, title="Plan", uploaded_by=manager)
    attachment.file.save("plan.pdf", ContentFile(pdf()))

    event = EventFactory(title="Authz Brokerage Event", organiser=users["staff"])
    manager_registration = RegistrationFactory(
        event=event, user=manager, organisation=organisation, calendar_token="authz-feed-key"
    )
    ally_registration = RegistrationFactory(event=event, user=ally_manager, organisation=ally)
    pending_registration = RegistrationFactory(
        event=event,
        user=other_manager,
        organisation=draft_organisation,
        state=RegistrationState.PENDING,
    )
    organiser_role = event.organisers.create(user=ally_manager, appointed_by=users["staff"])
    meeting = MeetingFactory(
        event=event,
        requester=manager_registration,
        recipient=ally_registration,
        message=MEETING_MESSAGE,
        state=MeetingState.REQUESTED,
    )
    # The reviewer: staff in the call's reviewer pool, assigned an eligible expression.
    review_call = CallFactory(title="Authz Call Under Review")
    call_reviewer = CallReviewerFactory(call=review_call, user=users["reviewer"])
    review_expression = ExpressionFactory(
        call=review_call,
        lead=organisation,
        title="Authz Reviewed Consortium",
        state=ExpressionState.ELIGIBLE,
    )
    assignment = ReviewAssignmentFactory(expression=review_expression, reviewer=users["reviewer"])
    ReviewScore.objects.create(
        review=assignment.review,
        criterion=review_call.criteria.get(),
        score=4,
        comment=REVIEW_COMMENT,
    )
    # A released decision on the reviewed expression: its summary report is the manager's.
    ConsensusScore.objects.create(
        expression=review_expression,
        criterion=review_call.criteria.get(),
        score=4,
        comment="The panel finds the plan sound.",
        by=users["staff"],
    )
    decision = Decision.objects.create(
        expression=review_expression,
        stage=1,
        outcome=ExpressionState.REJECTED,
        state=DecisionState.RELEASED,
        recorded_by=users["staff"],
        released_by=users["staff"],
        released_at=review_call.created_at,
    )
    # A complaint on another released decision, so the lead may still lodge one on the first.
    other_decision = Decision.objects.create(
        expression=ExpressionFactory(
            call=CallFactory(title="Authz Decided Call"), lead=organisation, title="Authz Appeal"
        ),
        stage=1,
        outcome=ExpressionState.REJECTED,
        state=DecisionState.RELEASED,
        recorded_by=users["staff"],
        released_by=users["staff"],
        released_at=review_call.created_at,
    )
    complaint = Complaint.objects.create(
        decision=other_decision, lodged_by=manager, text="The procedure was not followed."
    )
    partnership = StrategicPartnershipFactory(name="Authz Partnership", coordinator=organisation)
    weight_fit = WeightFit.objects.create(
        current_weights={}, weights={}, figures={}, cutoff=call.created_at
    )
    # A conversation between the manager's organisation and the ally, with a document.
    conversation = services.start_conversation(
        sender=ally,
        recipient=organisation,
        subject="Authz pricing",
        body=CONVERSATION_TEXT,
        by=ally_manager,
    )
    conversation_message = conversation.messages.get()
    conversation_message.attachment.save("offer.pdf", ContentFile(pdf()))
    notification = Notification.objects.get(recipient=manager, kind=NotificationKind.MESSAGE)
    partner_search = PartnerSearchFactory(
        author=organisation, call=call, title="Authz Published Partner Search"
    )
    PartnerSearchInterestFactory(search=partner_search, organisation=ally)
    draft_partner_search = PartnerSearchFactory(
        author=organisation, title=DRAFT_SEARCH_TITLE, state="draft", published_at=None
    )
    return World(
        conversation=conversation,
        conversation_message=conversation_message,
        notification=notification,
        users=users,
        organisation=organisation,
        draft_organisation=draft_organisation,
        ally=ally,
        label=label,
        draft_label=draft_label,
        invitation=invitation,
        call=call,
        draft_call=draft_call,
        expression=expression,
        expression_partner=expression_partner,
        attachment=attachment,
        event=event,
        manager_registration=manager_registration,
        ally_registration=ally_registration,
        pending_registration=pending_registration,
        meeting=meeting,
        review_call=review_call,
        call_reviewer=call_reviewer,
        review_expression=review_expression,
        assignment=assignment,
        partnership=partnership,
        sector=sector,
        emerging_industry=emerging_industry,
        ecosystem=ecosystem,
        weight_fit=weight_fit,
        partner_search=partner_search,
        draft_partner_search=draft_partner_search,
        organiser_role=organiser_role,
        decision=decision,
        complaint=complaint,
    )
