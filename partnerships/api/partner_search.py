"""Public API of the partner-search board: list and detail of the open searches."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets

from partnerships.api.common import public_page_url
from partnerships.board import open_partner_searches, with_board_relations
from partnerships.filters import PartnerSearchFilter
from partnerships.models import PartnerSearch


class ErrorSerializer(serializers.Serializer):
    """What a refused request answers: the fields it names, each with its messages."""

    detail = serializers.CharField(required=False)


class PartnerSearchSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    call = serializers.SerializerMethodField()
    seeking_sectors = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    seeking_emerging = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    seeking_ecosystems = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    seeking_value_chain = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    countries = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    interest_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = PartnerSearch
        fields = [
            "id",
            "title",
            "description",
            "author",
            "call",
            "deadline",
            "published_at",
            "seeking_sectors",
            "seeking_emerging",
            "seeking_ecosystems",
            "seeking_value_chain",
            "countries",
            "interest_count",
            "url",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "country": {"type": "string"},
            },
        }
    )
    def get_author(self, search):
        author = search.author
        return {"id": author.pk, "name": author.name, "country": author.country_id}

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "title": {"type": "string"}},
        }
    )
    def get_call(self, search):
        return {"id": search.call.pk, "title": search.call.title} if search.call else None

    @extend_schema_field(serializers.URLField())
    def get_url(self, search):
        return public_page_url(search, self.context.get("request"))


@extend_schema(tags=["partner searches"])
class PartnerSearchViewSet(viewsets.ReadOnlyModelViewSet):
    """Open partner searches (published, deadline not passed), with the board's filters."""

    serializer_class = PartnerSearchSerializer
    filterset_class = PartnerSearchFilter
    ordering_fields = ["published_at", "deadline"]
    ordering = ["-published_at", "-id"]
    rules_permissions = {"list": None, "retrieve": None}

    def get_queryset(self):
        return with_board_relations(open_partner_searches())

    @extend_schema(
        responses={
            200: PartnerSearchSerializer(many=True),
            400: OpenApiResponse(
                ErrorSerializer,
                description=_("A filter value names nothing (for example ?country=XX)."),
            ),
        }
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={
            200: PartnerSearchSerializer,
            404: OpenApiResponse(
                ErrorSerializer, description=_("No open partner search has this id.")
            ),
        }
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
