"""API: an organisation's recommended partners, scoped like the pages (others get 404)."""

from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from matchmaking.explain import band
from matchmaking.models import Recommendation
from matchmaking.queries import (
    explained_recommendations,
    organisations_with_recommendations_for_user,
    vocabulary_names,
)
from matchmaking.sentences import sentence


class RecommendationSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    contributions = serializers.DictField(child=serializers.FloatField(), read_only=True)
    reasons = serializers.SerializerMethodField()
    band = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "rank",
            "partner",
            "partner_name",
            "score",
            "band",
            "contributions",
            "reasons",
            "run",
        ]

    def get_band(self, rec) -> str:
        """ "strong", "good" or "fair" (explain.band); the score stays a number here."""
        return band(rec.contributions)

    def get_reasons(self, rec) -> list[dict]:
        names = self.context["names"]
        return [
            {
                "code": reason.code,
                "contribution": reason.contribution,
                "params": reason.params,
                "text": sentence(reason, names),
            }
            for reason in rec.reasons
        ]


class RecommendationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The organisation's current set, best first, with contributions and reasons."""

    serializer_class = RecommendationSerializer
    pagination_class = None
    filter_backends = []
    rules_permissions = {"list": "matchmaking.view_recommendations"}

    def organisation(self):
        if not hasattr(self, "_organisation"):
            self._organisation = get_object_or_404(
                organisations_with_recommendations_for_user(self.request.user),
                pk=self.kwargs["organisation_pk"],
            )
        return self._organisation

    def get_queryset(self):
        return Recommendation.objects.none()

    def list(self, request, *args, **kwargs):
        organisation = self.organisation()
        self.check_object_permissions(request, organisation)
        serializer = self.get_serializer(explained_recommendations(organisation), many=True)
        return Response(serializer.data)

    def get_serializer_context(self):
        return super().get_serializer_context() | {"names": vocabulary_names()}


def register(router):
    router.register(
        r"organisations/(?P<organisation_pk>[0-9]+)/recommendations",
        RecommendationViewSet,
        basename="organisation-recommendation",
    )
