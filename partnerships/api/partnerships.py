"""Strategic partnerships, their members, milestones and outcomes over the API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from partnerships.api.common import public_page_url
from partnerships.filters import PartnershipFilter
from partnerships.models import (
    PartnershipMember,
    PartnershipMilestone,
    PartnershipOutcome,
    StrategicPartnership,
)
from partnerships.queries import (
    partnerships_for_user,
    with_partnership_relations,
)


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
