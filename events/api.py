import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action

from clusterportal.api import IdFilter
from events.enums import EventType, MeetingState
from events.models import CooperationItem, Event, Meeting, Registration
from events.queries import events_listing, meetings_for_user, participants_for_user


class EventSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", read_only=True, allow_null=True)
    sectoral_industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    emerging_industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    participant_count = serializers.IntegerField(read_only=True)
    # In the request's language (Accept-Language), the English text where none was given.
    title = serializers.CharField(source="localised_title", read_only=True)
    description = serializers.CharField(source="localised_description", read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "type",
            "starts_on",
            "ends_on",
            "time_zone",
            "venue",
            "city",
            "country",
            "online_url",
            "registration_opens",
            "registration_closes",
            "capacity",
            "description",
            "sectoral_industries",
            "emerging_industries",
            "meeting_minutes",
            "tables",
            "requests_need_acceptance",
            "requires_approval",
            "request_quota",
            "who_may_meet",
            "participant_count",
        ]


class CooperationItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CooperationItem
        fields = ["direction", "kind", "title", "description"]


class ParticipantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    country = serializers.CharField(source="organisation.country_id", read_only=True)
    cooperation_items = CooperationItemSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "name",
            "organisation",
            "organisation_name",
            "country",
            "state",
            "introduction",
            "cooperation_items",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    requester = ParticipantSerializer(read_only=True)
    recipient = ParticipantSerializer(read_only=True)
    starts_at = serializers.DateTimeField(source="slot.starts_at", read_only=True, allow_null=True)
    ends_at = serializers.DateTimeField(source="slot.ends_at", read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "event",
            "requester",
            "recipient",
            "message",
            "state",
            "reason",
            "starts_at",
            "ends_at",
            "table",
            "outcome",
            "created_at",
        ]


class EventFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(field_name="country_id")
    type = django_filters.ChoiceFilter(choices=EventType.choices)
    sector = django_filters.CharFilter(field_name="sectoral_industries__slug")
    emerging = django_filters.CharFilter(field_name="emerging_industries__slug")
    date_from = django_filters.DateFilter(field_name="ends_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")

    class Meta:
        model = Event
        fields = ["country", "type", "sector", "emerging", "date_from", "date_to"]


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Matchmaking events, public to everybody."""

    serializer_class = EventSerializer
    filterset_class = EventFilter
    search_fields = ["title", "title_fr", "title_de", "city", "description"]
    ordering_fields = ["starts_on", "title"]
    ordering = ["starts_on", "id"]
    rules_permissions = {"participants": "events.view_participants"}

    def get_queryset(self):
        return events_listing()

    @extend_schema(responses=ParticipantSerializer(many=True))
    @action(detail=True, filterset_class=None, ordering=["id"], search_fields=[])
    def participants(self, request, pk=None):
        event = self.get_object()
        registrations = participants_for_user(request.user, event).order_by("id")
        page = self.paginate_queryset(registrations)
        return self.get_paginated_response(ParticipantSerializer(page, many=True).data)

    def permission_denied(self, request, message=None, code=None):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        raise exceptions.PermissionDenied(
            message or _("Only registered participants see who takes part.")
        )


class MeetingFilter(django_filters.FilterSet):
    # By id: an event that has none of your meetings is an empty list, not an error.
    event = IdFilter(field_name="event_id")
    state = django_filters.ChoiceFilter(choices=MeetingState.choices)

    class Meta:
        model = Meeting
        fields = []


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Your own meetings: the ones you asked for and the ones you were asked to."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering = ["slot__starts_at", "id"]

    def get_queryset(self):
        return meetings_for_user(self.request.user).prefetch_related(
            "requester__cooperation_items", "recipient__cooperation_items"
        )


def register(router):
    router.register("events", EventViewSet, basename="event")
    router.register("meetings", MeetingViewSet, basename="meeting")
