"""Expressions of interest and their partners over the API."""

import django_filters
from rest_framework import serializers, viewsets

from partnerships.enums import ExpressionState
from partnerships.models import (
    ExpressionOfInterest,
    ExpressionPartner,
)
from partnerships.queries import (
    expressions_for_user,
    with_expression_relations,
)


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
