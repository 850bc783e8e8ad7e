"""Calls, their stages and evaluation criteria over the API."""

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from partnerships.api.common import public_page_url
from partnerships.enums import (
    CallState,
    CallType,
    OrganisationType,
)
from partnerships.models import (
    Call,
    CallStage,
    EvaluationCriterion,
)
from partnerships.queries import (
    calls_for_user,
    with_call_relations,
)


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
    # In the request's language (Accept-Language), the English text where none was given.
    title = serializers.CharField(source="localised_title", read_only=True)
    description = serializers.CharField(source="localised_description", read_only=True)

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
    search_fields = ["title", "title_fr", "title_de", "reference", "description"]
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at", "-id"]
    rules_permissions = {"retrieve": "partnerships.view_call"}

    def get_queryset(self):
        return with_call_relations(calls_for_user(self.request.user))
