"""Reviews and their scores over the API."""

import django_filters
from rest_framework import serializers, viewsets

from partnerships.enums import ReviewState
from partnerships.models import (
    Review,
    ReviewScore,
)
from partnerships.queries import (
    reviews_for_user,
    with_review_detail,
)


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
