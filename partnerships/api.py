import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from partnerships import directory, page_cache
from partnerships.enums import (
    CallState,
    CallType,
    ExpressionState,
    LabelLevel,
    OrganisationType,
    ReviewState,
    ValidationState,
)
from partnerships.filters import OrganisationFacetFilter, PartnershipFilter
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
    PartnershipMember,
    PartnershipMilestone,
    PartnershipOutcome,
    Region,
    Review,
    ReviewScore,
    SectoralIndustry,
    StrategicPartnership,
)
from partnerships.queries import (
    calls_for_user,
    current_label,
    expressions_for_user,
    organisations_for_user,
    partnerships_for_user,
    reviews_for_user,
    with_api_relations,
    with_call_relations,
    with_expression_relations,
    with_partnership_relations,
    with_review_detail,
)


def public_page_url(instance, request):
    """`instance`'s page: an absolute URL when there is a request to take the host from."""
    path = instance.get_absolute_url()
    return request.build_absolute_uri(path) if request else path


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "iso_code", "name", "eu_member"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "country", "parent"]


class TaxonomySerializer(serializers.ModelSerializer):
    class Meta:
        fields = ["slug", "name", "description"]


class SectoralIndustrySerializer(TaxonomySerializer):
    class Meta(TaxonomySerializer.Meta):
        model = SectoralIndustry


class EcosystemSerializer(TaxonomySerializer):
    class Meta(TaxonomySerializer.Meta):
        model = Ecosystem


class EmergingIndustrySerializer(TaxonomySerializer):
    sectoral_industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta(TaxonomySerializer.Meta):
        model = EmergingIndustry
        fields = TaxonomySerializer.Meta.fields + ["sectoral_industries"]


class LabelSerializer(serializers.ModelSerializer):
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Label
        fields = [
            "level",
            "awarding_body",
            "assessed_on",
            "valid_until",
            "is_current",
            "source_url",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    sectoral_industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    emerging_industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    ecosystems = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    policy_objectives = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="S3 policy objectives the organisation declares it pursues.",
    )
    seeking_sectors = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Sectoral industries it seeks."
    )
    seeking_emerging = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Emerging industries it seeks."
    )
    seeking_ecosystems = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Industrial ecosystems it seeks."
    )
    seeking_value_chain = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        read_only=True,
        help_text="Value-chain roles it seeks in partners.",
    )
    members_total = serializers.IntegerField(read_only=True)
    current_label = serializers.SerializerMethodField()
    labels = LabelSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The organisation's public page.")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "acronym",
            "type",
            "country",
            "region",
            "region_name",
            "city",
            "website",
            "year_established",
            "description",
            "keywords",
            "staff_fte",
            "members_smes",
            "members_large",
            "members_research",
            "members_public",
            "members_civil",
            "members_total",
            "member_employees",
            "sectoral_industries",
            "emerging_industries",
            "ecosystems",
            "policy_objectives",
            "seeking_sectors",
            "seeking_emerging",
            "seeking_ecosystems",
            "seeking_value_chain",
            "current_label",
            "labels",
            "validation_state",
            "url",
            "created_at",
        ]

    @extend_schema_field(serializers.URLField())
    def get_url(self, organisation):
        return public_page_url(organisation, self.context.get("request"))

    @extend_schema_field(serializers.ChoiceField(choices=LabelLevel.choices, allow_null=True))
    def get_current_label(self, organisation):
        label = current_label(organisation)
        return label.level if label else None


class OrganisationFilter(OrganisationFacetFilter):
    """The directory's facets, with a three-way label filter and, for staff, the state."""

    current_label = django_filters.BooleanFilter(
        label=_("Holds a current label (true) or none (false)"),
        method="filter_current_label",
    )
    validation_state = django_filters.ChoiceFilter(
        label=_("Validation state"), choices=ValidationState.choices, method="filter_state"
    )

    def filter_current_label(self, organisations, name, value):
        if value:
            return directory.holding_current_label(organisations)
        return organisations.exclude(pk__in=directory.current_labels().values("organisation_id"))

    def filter_state(self, organisations, name, value):
        # Others only ever see verified organisations and their own; the filter narrows
        # within what the scoped queryset already allows.
        return organisations.filter(validation_state=value)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Cluster organisations: verified ones for everybody, plus your own when signed in."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    search_fields = ["name", "acronym", "city", "keywords", "description"]
    ordering_fields = ["name", "created_at", "year_established", "member_employees"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return with_api_relations(organisations_for_user(self.request.user))

    def list(self, request, *args, **kwargs):
        return page_cache.serve(
            request,
            variant=request.accepted_media_type,
            build=lambda: self.rendered_list(request, *args, **kwargs),
        )

    def rendered_list(self, request, *args, **kwargs):
        # The cache stores bytes: render now what dispatch would render after this returns.
        response = super().list(request, *args, **kwargs)
        return self.finalize_response(request, response, *args, **kwargs).render()


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    search_fields = ["name"]
    ordering = ["name"]


class SectoralIndustryViewSet(ReferenceViewSet):
    queryset = SectoralIndustry.objects.all()
    serializer_class = SectoralIndustrySerializer


class EmergingIndustryViewSet(ReferenceViewSet):
    queryset = EmergingIndustry.objects.prefetch_related("sectoral_industries")
    serializer_class = EmergingIndustrySerializer


class EcosystemViewSet(ReferenceViewSet):
    queryset = Ecosystem.objects.all()
    serializer_class = EcosystemSerializer


class RegionFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(field_name="country_id")
    level = django_filters.TypedChoiceFilter(choices=[(1, 1), (2, 2), (3, 3)], coerce=int)

    class Meta:
        model = Region
        fields = []


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    search_fields = ["name", "code"]
    ordering = ["code"]
    lookup_value_regex = "[A-Z0-9]{2,5}"


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    search_fields = ["name"]
    ordering = ["name"]
    lookup_value_regex = "[A-Z]{2}"


class CallStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallStage
        fields = ["number", "title", "deadline"]


class EvaluationCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationCriterion
        fields = ["stage", "name", "description", "weight", "pass_mark"]


class CallSerializer(serializers.ModelSerializer):
    stages = CallStageSerializer(many=True, read_only=True)
    criteria = EvaluationCriterionSerializer(many=True, read_only=True)
    eligible_types = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganisationType.choices), read_only=True
    )
    sectoral_industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    emerging_industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    policy_objectives = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The call's public page.")

    class Meta:
        model = Call
        fields = [
            "id",
            "reference",
            "type",
            "title",
            "description",
            "state",
            "eligible_types",
            "min_partners",
            "min_countries",
            "verified_required",
            "label_required",
            "budget",
            "funding_rate",
            "stages",
            "criteria",
            "sectoral_industries",
            "emerging_industries",
            "policy_objectives",
            "url",
        ]

    @extend_schema_field(serializers.URLField())
    def get_url(self, call):
        return public_page_url(call, self.context.get("request"))


class CallFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=CallType.choices)
    state = django_filters.ChoiceFilter(choices=CallState.choices)

    class Meta:
        model = Call
        fields = []


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls for partnerships: published ones for everybody, drafts too for staff."""

    serializer_class = CallSerializer
    filterset_class = CallFilter
    search_fields = ["title", "reference", "description"]
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at", "-id"]
    rules_permissions = {"retrieve": "partnerships.view_call"}

    def get_queryset(self):
        return with_call_relations(calls_for_user(self.request.user))


class ExpressionPartnerSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    country = serializers.CharField(source="organisation.country_id", read_only=True)

    class Meta:
        model = ExpressionPartner
        fields = ["organisation", "organisation_name", "country", "state", "responded_at"]


class ExpressionSerializer(serializers.ModelSerializer):
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    partners = ExpressionPartnerSerializer(many=True, read_only=True)
    sectoral_industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    emerging_industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    policy_objectives = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = ExpressionOfInterest
        fields = [
            "id",
            "call",
            "lead",
            "lead_name",
            "title",
            "objectives",
            "sectoral_industries",
            "emerging_industries",
            "policy_objectives",
            "preparatory_activities",
            "implementation_activities",
            "investment_activities",
            "budget_requested",
            "state",
            "partners",
            "submitted_at",
            "stage2_submitted_at",
            "withdrawn_at",
            "updated_at",
        ]


class ExpressionFilter(django_filters.FilterSet):
    call = django_filters.NumberFilter(field_name="call_id")
    state = django_filters.ChoiceFilter(choices=ExpressionState.choices)

    class Meta:
        model = ExpressionOfInterest
        fields = []


class ExpressionViewSet(viewsets.ReadOnlyModelViewSet):
    """Expressions of interest of the organisations you manage, as lead or partner; staff see
    all. Anonymous requests get an empty list."""

    serializer_class = ExpressionSerializer
    filterset_class = ExpressionFilter
    search_fields = ["title", "lead__name"]
    ordering_fields = ["updated_at", "submitted_at", "title"]
    ordering = ["-updated_at", "-id"]
    rules_permissions = {"retrieve": "partnerships.view_expressionofinterest"}

    def get_queryset(self):
        return with_expression_relations(expressions_for_user(self.request.user))


class PartnershipMemberSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    country = serializers.CharField(source="organisation.country_id", read_only=True)

    class Meta:
        model = PartnershipMember
        fields = ["organisation", "organisation_name", "country", "is_coordinator"]


class PartnershipMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnershipMilestone
        fields = ["phase", "title", "due_on", "reached_on"]


class PartnershipOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnershipOutcome
        fields = ["kind", "description", "amount", "achieved_on"]


class StrategicPartnershipSerializer(serializers.ModelSerializer):
    call_reference = serializers.CharField(source="call.reference", read_only=True)
    members = PartnershipMemberSerializer(many=True, read_only=True)
    milestones = PartnershipMilestoneSerializer(many=True, read_only=True)
    outcomes = PartnershipOutcomeSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The partnership's public page.")

    class Meta:
        model = StrategicPartnership
        fields = [
            "id",
            "call",
            "call_reference",
            "name",
            "acronym",
            "summary",
            "phase",
            "funded",
            "started_on",
            "ends_on",
            "website",
            "members",
            "milestones",
            "outcomes",
            "url",
        ]

    @extend_schema_field(serializers.URLField())
    def get_url(self, partnership):
        return public_page_url(partnership, self.context.get("request"))


class StrategicPartnershipViewSet(viewsets.ReadOnlyModelViewSet):
    """Strategic partnerships with their members, milestones and outcomes; public."""

    serializer_class = StrategicPartnershipSerializer
    filterset_class = PartnershipFilter
    search_fields = ["name", "acronym"]
    ordering_fields = ["name", "started_on"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return with_partnership_relations(partnerships_for_user(self.request.user))


class ReviewScoreSerializer(serializers.ModelSerializer):
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = ReviewScore
        fields = ["criterion", "criterion_name", "score", "comment"]


class ReviewSerializer(serializers.ModelSerializer):
    expression = serializers.IntegerField(source="assignment.expression_id", read_only=True)
    expression_title = serializers.CharField(source="assignment.expression.title", read_only=True)
    call = serializers.IntegerField(source="assignment.expression.call_id", read_only=True)
    stage = serializers.IntegerField(source="assignment.stage", read_only=True)
    reviewer = serializers.IntegerField(source="assignment.reviewer_id", read_only=True)
    reviewer_name = serializers.CharField(
        source="assignment.reviewer.get_full_name", read_only=True
    )
    scores = ReviewScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "call",
            "expression",
            "expression_title",
            "stage",
            "reviewer",
            "reviewer_name",
            "state",
            "version",
            "submitted_at",
            "updated_at",
            "scores",
        ]


class ReviewFilter(django_filters.FilterSet):
    call = django_filters.NumberFilter(field_name="assignment__expression__call_id")
    expression = django_filters.NumberFilter(field_name="assignment__expression_id")
    stage = django_filters.NumberFilter(field_name="assignment__stage")
    state = django_filters.ChoiceFilter(choices=ReviewState.choices)

    class Meta:
        model = Review
        fields = []


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """Reviews of expressions of interest, for Commission staff only. A reviewer sees their own
    reviews, and the other submitted reviews of an expression once their own is submitted;
    moderators and the staff managing a call's review see all of that call. Anybody else gets
    an empty list."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    ordering_fields = ["updated_at", "submitted_at"]
    ordering = ["assignment__expression_id", "assignment__stage", "id"]
    rules_permissions = {"retrieve": "partnerships.view_review"}

    def get_queryset(self):
        return with_review_detail(reviews_for_user(self.request.user))


def register(router):
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("countries", CountryViewSet, basename="country")
    router.register("regions", RegionViewSet, basename="region")
    router.register("sectors", SectoralIndustryViewSet, basename="sector")
    router.register("emerging-industries", EmergingIndustryViewSet, basename="emerging-industry")
    router.register("ecosystems", EcosystemViewSet, basename="ecosystem")
    router.register("calls", CallViewSet, basename="call")
    router.register("expressions", ExpressionViewSet, basename="expression")
    router.register("partnerships", StrategicPartnershipViewSet, basename="partnership")
    router.register("reviews", ReviewViewSet, basename="review")
