"""The evaluation of expressions of interest by a pool of Commission staff."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from partnerships.enums import (
    AssignmentSource,
    ConflictAction,
    ConflictRule,
    DecisionState,
    ExpressionState,
    OutboxState,
    ReviewState,
)
from partnerships.rules import can_view_review

from .call import SCORE_MAX, Call, EvaluationCriterion, ExpressionOfInterest
from .organisation import Organisation
from .reference import Country

SCORE_FIELD = {
    "max_digits": 2,
    "decimal_places": 1,
    "validators": [MinValueValidator(0), MaxValueValidator(SCORE_MAX)],
}
SCORE_RANGE = models.Q(score__gte=0, score__lte=SCORE_MAX)


class CallReviewer(models.Model):
    """A member of staff in the reviewer pool of a call; a moderator writes the consensus."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_pools",
        verbose_name=_("reviewer"),
    )
    is_moderator = models.BooleanField(
        _("moderator"),
        default=False,
        help_text=_("Moderators write the consensus and are never assigned as reviewers."),
    )
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
        help_text=_("Used by the same-country rule when the call applies it."),
    )
    max_load = models.PositiveSmallIntegerField(
        _("maximum reviews"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("call reviewer")
        verbose_name_plural = _("call reviewers")
        ordering = ["call", "user__full_name", "user__email", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="call_reviewer_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.call}"


class ConflictDeclaration(models.Model):
    """A person declares they must not review consortia that include an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
        verbose_name=_("organisation"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="conflict_declaration_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"


class ReviewAssignment(models.Model):
    """A reviewer asked to score one expression at one stage."""

    expression = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="review_assignments"
    )
    stage = models.PositiveSmallIntegerField(
        _("stage"), validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    source = models.CharField(_("source"), max_length=10, choices=AssignmentSource.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        ordering = ["expression", "stage", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["expression", "stage", "reviewer"], name="review_assignment_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=AssignmentSource.values),
                name="review_assignment_source_valid",
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.expression} ({self.stage})"


class Review(RulesModel):
    """One reviewer's scores; hidden from the other reviewers until theirs is submitted."""

    assignment = models.OneToOneField(
        ReviewAssignment, on_delete=models.CASCADE, related_name="review"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    # Bumped by every save, so a save from a stale form is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["assignment__expression", "assignment__stage", "id"]
        rules_permissions = {"view": can_view_review}
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ReviewState.values), name="review_state_valid"
            ),
        ]

    def __str__(self):
        return str(self.assignment)

    def get_absolute_url(self):
        return reverse("partnerships:review-detail", kwargs={"pk": self.pk})

    @property
    def is_submitted(self):
        return self.state == ReviewState.SUBMITTED


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        EvaluationCriterion, on_delete=models.CASCADE, related_name="review_scores"
    )
    score = models.DecimalField(_("score"), null=True, blank=True, **SCORE_FIELD)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        ordering = ["review", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique"),
            models.CheckConstraint(condition=SCORE_RANGE, name="review_score_range"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class ConsensusScore(models.Model):
    """The moderator's agreed score for one criterion; it counts in the ranking."""

    expression = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="consensus_scores"
    )
    criterion = models.ForeignKey(
        EvaluationCriterion, on_delete=models.CASCADE, related_name="consensus_scores"
    )
    score = models.DecimalField(_("score"), **SCORE_FIELD)
    comment = models.TextField(_("comment"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consensus score")
        verbose_name_plural = _("consensus scores")
        ordering = ["expression", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["expression", "criterion"], name="consensus_score_unique"
            ),
            models.CheckConstraint(condition=SCORE_RANGE, name="consensus_score_range"),
        ]

    def __str__(self):
        return f"{self.expression} – {self.criterion}: {self.score}"


class Decision(models.Model):
    """A verdict on an expression at one stage, kept pending until the stage is released."""

    expression = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="decisions"
    )
    stage = models.PositiveSmallIntegerField(
        _("stage"), validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=ExpressionState.choices)
    reason = models.TextField(_("reason"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DecisionState.choices, default=DecisionState.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["expression", "stage", "id"]
        constraints = [
            models.UniqueConstraint(fields=["expression", "stage"], name="decision_unique"),
            models.CheckConstraint(
                condition=models.Q(state__in=DecisionState.values), name="decision_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.expression}: {self.get_outcome_display()} ({self.get_state_display()})"


class OutboxMessage(models.Model):
    """An e-mail about a decision that staff preview before it goes out."""

    # The address is copied so the preview shows where it goes; erasure scrubs it.
    to = models.EmailField(_("to"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    expression = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="outbox_messages"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=OutboxState.values), name="outbox_state_valid"
            ),
        ]

    def __str__(self):
        return self.subject


class ConflictLogEntry(models.Model):
    """A reviewer kept away from an expression because of a conflict of interest."""

    expression = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="conflict_log"
    )
    stage = models.PositiveSmallIntegerField(_("stage"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_log"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule = models.CharField(_("rule"), max_length=20, choices=ConflictRule.choices)
    action = models.CharField(_("action"), max_length=10, choices=ConflictAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest log entry")
        verbose_name_plural = _("conflict of interest log")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.reviewer} / {self.expression}: {self.get_rule_display()}"
