"""Organisations and their labels over the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from clusterportal.api import StrictBooleanFilter
from partnerships import directory, page_cache
from partnerships.api.common import public_page_url
from partnerships.enums import (
    LabelLevel,
    ValidationState,
)
from partnerships.filters import OrganisationFacetFilter
from partnerships.models import (
    Label,
    Organisation,
)
from partnerships.queries import (
    current_label,
    organisations_for_user,
    with_api_relations,
)


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
            "state",
        ]
        # Whether staff verified a label is theirs to say, on the validation page.
        read_only_fields = ["state"]


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

    current_label = StrictBooleanFilter(
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
