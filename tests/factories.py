import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from factory.django import DjangoModelFactory

from events.enums import EventType, MeetingState, RegistrationState
from events.models import Event, Meeting, MeetingWindow, Registration, Slot
from partnerships.enums import (
    AwardingBody,
    CallState,
    CallType,
    ExpressionState,
    LabelLevel,
    LabelState,
    MembershipRole,
    OutcomeKind,
    PartnerSearchState,
    PartnershipPhase,
    PartnerState,
    ValidationState,
)
from partnerships.models import (
    Call,
    CallStage,
    Country,
    Ecosystem,
    EmergingIndustry,
    EvaluationCriterion,
    ExpressionOfInterest,
    ExpressionPartner,
    Label,
    Organisation,
    OrganisationMembership,
    PartnerSearch,
    PartnerSearchInterest,
    PartnershipMember,
    PartnershipMilestone,
    PartnershipOutcome,
    PolicyObjective,
    Region,
    S3Priority,
    SectoralIndustry,
    StrategicPartnership,
    User,
    ValueChainPosition,
)
from partnerships.services.partner_search import index_partner_search

# Every person a factory makes signs in with this password.
PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.eu")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        # Sign-in requires a verified address; factories make people who have done that.
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@ec.europa.eu")
    is_staff = True


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Iterator(["DE", "FR", "IT", "ES", "PL", "NL", "BE", "SE", "AT", "CZ"])
    iso_code = factory.LazyAttribute(lambda country: country.code)
    name = factory.LazyAttribute(lambda country: f"Country {country.code}")
    eu_member = True
    population = 10_000_000


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    country = factory.SubFactory(CountryFactory)
    name = factory.Sequence(lambda n: f"Region {n}")
    level = 2

    @factory.lazy_attribute_sequence
    def code(self, n):
        return f"{self.country.code}{n % 100:02d}"


class SectoralIndustryFactory(DjangoModelFactory):
    class Meta:
        model = SectoralIndustry
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name = factory.Sequence(lambda n: f"Sector {n}")


class EmergingIndustryFactory(DjangoModelFactory):
    class Meta:
        model = EmergingIndustry
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"emerging-{n}")
    name = factory.Sequence(lambda n: f"Emerging industry {n}")


class EcosystemFactory(DjangoModelFactory):
    class Meta:
        model = Ecosystem
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"ecosystem-{n}")
    name = factory.Sequence(lambda n: f"Ecosystem {n}")


class ValueChainPositionFactory(DjangoModelFactory):
    class Meta:
        model = ValueChainPosition
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"position-{n}")
    name = factory.Sequence(lambda n: f"Position {n}")
    order = factory.Sequence(lambda n: n)


class PolicyObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = PolicyObjective
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"objective-{n}")
    name = factory.Sequence(lambda n: f"Objective {n}")


class S3PriorityFactory(DjangoModelFactory):
    class Meta:
        model = S3Priority

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    policy_objective = factory.SubFactory(PolicyObjectiveFactory)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cluster {n}")
    acronym = factory.Sequence(lambda n: f"C{n}")
    region = factory.SubFactory(RegionFactory)
    country = factory.LazyAttribute(lambda organisation: organisation.region.country)
    city = "Lyon"
    website = factory.Sequence(lambda n: f"https://cluster{n}.example.eu")
    year_established = 2005
    description = "A cluster of companies and research institutes."
    staff_fte = 3
    members_smes = 60
    members_large = 10
    members_research = 8
    members_public = 2
    member_employees = 12_000
    validation_state = ValidationState.VERIFIED

    @factory.post_generation
    def sectoral_industries(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectoral_industries.set(extracted)

    @factory.post_generation
    def emerging_industries(self, create, extracted, **kwargs):
        if create and extracted:
            self.emerging_industries.set(extracted)

    @factory.post_generation
    def ecosystems(self, create, extracted, **kwargs):
        if create and extracted:
            self.ecosystems.set(extracted)

    @factory.post_generation
    def owner(self, create, extracted, **kwargs):
        if create and extracted:
            OrganisationMembership.objects.create(
                organisation=self, user=extracted, role=MembershipRole.OWNER
            )


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.EDITOR


class LabelFactory(DjangoModelFactory):
    class Meta:
        model = Label

    organisation = factory.SubFactory(OrganisationFactory)
    level = LabelLevel.BRONZE
    awarding_body = AwardingBody.EUCLES
    assessed_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=200))
    valid_until = factory.LazyAttribute(lambda label: label.assessed_on + dt.timedelta(days=730))
    # Most tests want a label that counts; those about staff checks pass state=DECLARED.
    state = LabelState.VERIFIED


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Matchmaking event {n}")
    type = EventType.CONFERENCE
    starts_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda event: event.starts_on + dt.timedelta(days=1))
    time_zone = "Europe/Brussels"
    venue = "Square Brussels Meeting Centre"
    city = "Brussels"
    country = factory.SubFactory(CountryFactory, code="BE")
    organiser = factory.SubFactory(UserFactory)
    meeting_minutes = 30
    tables = 10
    description = "Business-to-business meetings between cluster organisations."


class MeetingWindowFactory(DjangoModelFactory):
    class Meta:
        model = MeetingWindow

    event = factory.SubFactory(EventFactory)
    day = factory.LazyAttribute(lambda window: window.event.starts_on)
    start = dt.time(9, 0)
    end = dt.time(12, 0)


class SlotFactory(DjangoModelFactory):
    class Meta:
        model = Slot

    event = factory.SubFactory(EventFactory)
    starts_at = factory.Sequence(
        lambda n: dt.datetime(2030, 5, 6, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=30 * n)
    )
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + dt.timedelta(minutes=30))


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    state = RegistrationState.APPROVED

    @factory.post_generation
    def membership(self, create, extracted, **kwargs):
        # A participant represents an organisation they belong to.
        if create:
            OrganisationMembership.objects.get_or_create(
                organisation=self.organisation,
                user=self.user,
                defaults={"role": MembershipRole.EDITOR},
            )


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    event = factory.SubFactory(EventFactory)
    requester = factory.SubFactory(RegistrationFactory, event=factory.SelfAttribute("..event"))
    recipient = factory.SubFactory(RegistrationFactory, event=factory.SelfAttribute("..event"))
    message = "We look for partners in battery recycling."
    state = MeetingState.ACCEPTED


class CallFactory(DjangoModelFactory):
    """An open single-stage call with one criterion, closing in thirty days."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    type = CallType.ESCP_S3
    reference = factory.Sequence(lambda n: f"call-{n}")
    title = factory.Sequence(lambda n: f"Strategic cluster partnerships {n}")
    description = "Partnerships across regions for smart specialisation investments."
    state = CallState.OPEN
    eligible_types = factory.LazyFunction(lambda: ["cluster", "business_network"])
    min_partners = 2
    min_countries = 3
    verified_required = True
    label_required = False
    budget = 1_000_000
    funding_rate = 100

    @factory.post_generation
    def deadline(self, create, extracted, **kwargs):
        if create and extracted is not False:
            CallStage.objects.create(
                call=self,
                number=1,
                deadline=extracted or timezone.now() + dt.timedelta(days=30),
            )

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EvaluationCriterion.objects.create(call=self, name="Excellence", weight=1, pass_mark=3)


class ExpressionFactory(DjangoModelFactory):
    class Meta:
        model = ExpressionOfInterest

    call = factory.SubFactory(CallFactory)
    lead = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Consortium {n}")
    objectives = "Join value chains in advanced manufacturing."
    state = ExpressionState.DRAFT


class ExpressionPartnerFactory(DjangoModelFactory):
    class Meta:
        model = ExpressionPartner

    expression = factory.SubFactory(ExpressionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    state = PartnerState.INVITED


class StrategicPartnershipFactory(DjangoModelFactory):
    """A funded partnership in its preparatory phase with one coordinating organisation."""

    class Meta:
        model = StrategicPartnership
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory, state=CallState.DECIDED)
    name = factory.Sequence(lambda n: f"Partnership {n}")
    acronym = factory.Sequence(lambda n: f"SP{n}")
    summary = "Joint internationalisation strategy for advanced manufacturing clusters."
    phase = PartnershipPhase.PREPARATORY
    funded = True
    started_on = dt.date(2024, 1, 1)

    @factory.post_generation
    def coordinator(self, create, extracted, **kwargs):
        if create and extracted is not False:
            PartnershipMember.objects.create(
                partnership=self,
                organisation=extracted or OrganisationFactory(),
                is_coordinator=True,
            )


class PartnershipMemberFactory(DjangoModelFactory):
    class Meta:
        model = PartnershipMember

    partnership = factory.SubFactory(StrategicPartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    is_coordinator = False


class PartnershipMilestoneFactory(DjangoModelFactory):
    class Meta:
        model = PartnershipMilestone

    partnership = factory.SubFactory(StrategicPartnershipFactory)
    phase = PartnershipPhase.PREPARATORY
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = dt.date(2024, 6, 30)


class PartnershipOutcomeFactory(DjangoModelFactory):
    class Meta:
        model = PartnershipOutcome

    partnership = factory.SubFactory(StrategicPartnershipFactory)
    kind = OutcomeKind.AGREEMENT
    description = "Cooperation agreement signed with a cluster in Japan."
    achieved_on = dt.date(2024, 9, 1)


class CooperationItemFactory(DjangoModelFactory):
    class Meta:
        model = "events.CooperationItem"

    registration = factory.SubFactory(RegistrationFactory)
    direction = "offer"
    kind = "technology"
    title = factory.Sequence(lambda n: f"Cooperation topic {n}")


class CallReviewerFactory(DjangoModelFactory):
    class Meta:
        model = "partnerships.CallReviewer"

    call = factory.SubFactory(CallFactory)
    user = factory.SubFactory(StaffFactory)
    is_moderator = False


class ConflictDeclarationFactory(DjangoModelFactory):
    class Meta:
        model = "partnerships.ConflictDeclaration"

    user = factory.SubFactory(StaffFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    reason = "Former employee"


class ReviewAssignmentFactory(DjangoModelFactory):
    """An assignment with its draft review, as the review services make them."""

    class Meta:
        model = "partnerships.ReviewAssignment"
        skip_postgeneration_save = True

    expression = factory.SubFactory(ExpressionFactory, state=ExpressionState.ELIGIBLE)
    stage = 1
    reviewer = factory.SubFactory(StaffFactory)
    source = "manual"

    @factory.post_generation
    def review(self, create, extracted, **kwargs):
        if create:
            from partnerships.models import Review

            Review.objects.create(assignment=self)


def managed_organisation(name, country_code):
    """An organisation in a region of `country_code` and the manager (owner) who runs it."""
    region = RegionFactory(country=CountryFactory(code=country_code))
    organisation = OrganisationFactory(name=name, region=region)
    return organisation, MembershipFactory(organisation=organisation, user=UserFactory()).user


class PartnerSearchFactory(DjangoModelFactory):
    """A published search of a verified organisation, taking answers for three weeks."""

    class Meta:
        model = PartnerSearch
        skip_postgeneration_save = True

    author = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Partners wanted {n}")
    description = "We look for clusters in battery recycling for a joint pilot."
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=21))
    state = PartnerSearchState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def seeking_emerging(self, create, extracted, **kwargs):
        if create and extracted:
            self.seeking_emerging.set(extracted)

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        if create and extracted:
            self.countries.set(extracted)

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        # The services keep the search vector; a factory row is indexed the same way.
        if create:
            index_partner_search(self)


class PartnerSearchInterestFactory(DjangoModelFactory):
    class Meta:
        model = PartnerSearchInterest

    search = factory.SubFactory(PartnerSearchFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    brings = "Testing facilities and forty SMEs."
