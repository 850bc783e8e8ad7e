from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchmaking.enums import (
    FIT_PENDING_STATES,
    ChunkState,
    FeedbackVerdict,
    FitState,
    RunKind,
    RunState,
)
from matchmaking.scoring import COMPONENTS, PENALTY, THEMATIC
from partnerships.models import Organisation

# The weights a profile holds are the scorer's components and its penalty, named once there.
WEIGHT_FIELDS = (*COMPONENTS, PENALTY)


# The fields that make the relevance (matchmaking.scoring.THEMATIC).
THEMATIC_FIELDS = THEMATIC


def weight_field(label, help_text):
    return models.FloatField(
        label, default=0.0, validators=[MinValueValidator(0.0)], help_text=help_text
    )


class WeightProfile(models.Model):
    """Named weights of the score components; staff edit them in the back office.

    Thematic weights are shares of the relevance, modulators multiply it (see
    matchmaking.scoring): geography raises a related partner and never lists an unrelated one.
    """

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120)
    cross_sector = weight_field(
        _("cross-sectoral linkage"),
        _("Different sectors that meet in an emerging industry or ecosystem."),
    )
    shared_focus = weight_field(
        _("shared focus"), _("The same declared emerging industries and ecosystems.")
    )
    value_chain = weight_field(
        _("value-chain complementarity"), _("Positions one or two steps apart in the chain.")
    )
    s3_objectives = weight_field(
        _("shared S3 objectives"), _("The same smart-specialisation policy objectives.")
    )
    seeking = weight_field(
        _("what partners seek"),
        _(
            "The partner holds what we seek (sectors, industries, value-chain roles), or we hold "
            "what it seeks."
        ),
    )
    text = weight_field(_("text similarity"), _("Similar descriptions and keywords."))
    international = weight_field(
        _("international reach"),
        _(
            "Raises a related partner abroad, more in one of the target countries (0.25 = up "
            "to a quarter more)."
        ),
    )
    partner_interest = weight_field(
        _("partner's interest"),
        _("Raises a related partner that has our country among its target countries."),
    )
    shared_markets = weight_field(
        _("shared target markets"),
        _("Raises a related partner with the same target countries; rare ones count more."),
    )
    strength = weight_field(
        _("existing strength"),
        _("Raises a related partner with a current label or more members than usual."),
    )
    duplicate = weight_field(
        _("near-duplicate penalty"),
        _("Share of the score taken from a partner in the same region and sector (0 to 1)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("weight profile")
        verbose_name_plural = _("weight profiles")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    cross_sector__gte=0,
                    shared_focus__gte=0,
                    value_chain__gte=0,
                    s3_objectives__gte=0,
                    seeking__gte=0,
                    text__gte=0,
                    international__gte=0,
                    partner_interest__gte=0,
                    shared_markets__gte=0,
                    strength__gte=0,
                    duplicate__gte=0,
                ),
                name="weight_profile_weights_non_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not any(getattr(self, name) > 0 for name in THEMATIC_FIELDS):
            raise ValidationError(
                _(
                    "Give at least one thematic component a weight: partners are listed for what "
                    "they do with you, geography only raises them."
                )
            )

    @property
    def weights(self):
        return {name: getattr(self, name) for name in WEIGHT_FIELDS}


class RecommendationRun(models.Model):
    """One scoring of every organisation with one weight profile; the latest done run is shown."""

    profile = models.ForeignKey(
        WeightProfile, on_delete=models.PROTECT, related_name="runs", verbose_name=_("profile")
    )
    # The weights as they were when the run scored, so a later edit never rewrites history.
    weights = models.JSONField(_("weights used"))
    k = models.PositiveSmallIntegerField(_("partners per organisation"))
    state = models.CharField(
        _("state"), max_length=10, choices=RunState.choices, default=RunState.RUNNING
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RunKind.choices, default=RunKind.FULL)
    organisations = models.PositiveIntegerField(_("organisations scored"), default=0)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation run")
        verbose_name_plural = _("recommendation runs")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=RunState.values), name="recommendation_run_state"
            ),
        ]

    def __str__(self):
        return f"{self.profile} {self.started_at:%Y-%m-%d %H:%M}"


class Recommendation(models.Model):
    """A suggested partner, with the signed contribution of every component to its score."""

    # Runs write millions of rows by COPY, and per-row foreign-key checks would cost more than
    # the scoring, so the database holds no constraints here: rows are derived data, written
    # only by run_recommendations with ids it has just read, and deletes cascade through
    # Django. Neither the run nor the organisation needs an index of its own: every read names
    # the run (through the organisation's pointer), and the unique (run, organisation, rank)
    # index starts with both, while every index costs time on each of the millions of rows a
    # run writes.
    run = models.ForeignKey(
        RecommendationRun,
        on_delete=models.CASCADE,
        related_name="recommendations",
        db_index=False,
        db_constraint=False,
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="recommendations",
        db_constraint=False,
        db_index=False,
    )
    # Unindexed: a random-order index on 20 rows per organisation costs a third of a run's
    # write time, and only the rare deletion of an organisation looks rows up by partner.
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    cross_sector = models.FloatField(default=0.0)
    shared_focus = models.FloatField(default=0.0)
    value_chain = models.FloatField(default=0.0)
    s3_objectives = models.FloatField(default=0.0)
    seeking = models.FloatField(default=0.0)
    text = models.FloatField(default=0.0)
    international = models.FloatField(default=0.0)
    partner_interest = models.FloatField(default=0.0)
    shared_markets = models.FloatField(default=0.0)
    strength = models.FloatField(default=0.0)
    duplicate = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["run", "organisation", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "organisation", "rank"], name="recommendation_unique_rank"
            ),
            models.CheckConstraint(
                condition=~models.Q(organisation=models.F("partner")),
                name="recommendation_not_self",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} → {self.partner_id} ({self.score:.3f})"

    @property
    def contributions(self):
        return {name: getattr(self, name) for name in WEIGHT_FIELDS}


class RecommendationSet(models.Model):
    """Which run an organisation's shown recommendations come from.

    Flipped in the transaction that wrote the run's rows for that organisation, so a reader
    that goes through it sees one complete set: the old one until the commit, then the new.
    """

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="recommendation_set",
        verbose_name=_("organisation"),
    )
    run = models.ForeignKey(
        RecommendationRun, on_delete=models.CASCADE, related_name="sets", verbose_name=_("run")
    )
    switched_at = models.DateTimeField(_("switched at"))

    class Meta:
        verbose_name = _("recommendation set")
        verbose_name_plural = _("recommendation sets")

    def __str__(self):
        return f"{self.organisation_id} → run {self.run_id}"


class RunChunk(models.Model):
    """One slice of a full run (organisations with ids first_id..last_id), scored by one task."""

    run = models.ForeignKey(
        RecommendationRun, on_delete=models.CASCADE, related_name="chunks", verbose_name=_("run")
    )
    first_id = models.BigIntegerField(_("first organisation id"))
    last_id = models.BigIntegerField(_("last organisation id"))
    state = models.CharField(
        _("state"), max_length=10, choices=ChunkState.choices, default=ChunkState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("run chunk")
        verbose_name_plural = _("run chunks")
        ordering = ["run", "first_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "first_id"], name="run_chunk_unique_start"),
            models.CheckConstraint(
                condition=models.Q(state__in=ChunkState.values), name="run_chunk_state"
            ),
        ]

    def __str__(self):
        return f"run {self.run_id} [{self.first_id}..{self.last_id}]"


class RecommendationFeedback(models.Model):
    """What a member thought of a suggested partner; kept by pair, since runs come and go."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="recommendation_feedback",
        verbose_name=_("organisation"),
    )
    partner = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner")
    )
    verdict = models.CharField(_("verdict"), max_length=14, choices=FeedbackVerdict.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    run = models.ForeignKey(
        RecommendationRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("run"),
    )
    score = models.FloatField(_("score when given"), null=True, blank=True)
    created_at = models.DateTimeField(_("given at"), auto_now=True)

    class Meta:
        verbose_name = _("recommendation feedback")
        verbose_name_plural = _("recommendation feedback")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "partner", "verdict"], name="feedback_unique_verdict"
            ),
            models.CheckConstraint(
                condition=models.Q(verdict__in=FeedbackVerdict.values), name="feedback_verdict"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} → {self.partner_id}: {self.verdict}"


class WeightFit(models.Model):
    """Weights fitted on the outcomes of pairs, kept beside the weights they were compared with.

    A fit changes nothing by itself: staff read its held-out figures and may adopt it, which
    writes its weights into a profile (see `services.adopt_weight_fit`).
    """

    profile = models.ForeignKey(
        WeightProfile,
        on_delete=models.SET_NULL,
        null=True,
        related_name="fits",
        verbose_name=_("compared with"),
    )
    current_weights = models.JSONField(_("weights compared with"))
    # Empty until the fit task is done (see services.request_weight_fit).
    weights = models.JSONField(_("fitted weights"), default=dict)
    # Counts and held-out figures of the fit: outcomes and positives on each side of the
    # split, AUC and recall in the top k of both weight sets (see services.fit_weight_profile).
    figures = models.JSONField(_("figures"), default=dict)
    cutoff = models.DateTimeField(_("trained on outcomes before"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=FitState.choices, default=FitState.DONE
    )
    # What the fit was asked for (test share, negatives per positive, seed, k): the task
    # reads them, so a fit queued from the page and one run from the command agree.
    parameters = models.JSONField(_("parameters"), default=dict)
    error = models.TextField(_("why the fit failed"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("fitted at"), auto_now_add=True)
    adopted_into = models.ForeignKey(
        WeightProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted into"),
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("weight fit")
        verbose_name_plural = _("weight fits")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.pk} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("matchmaking:fit-detail", args=[self.pk])

    @property
    def pending(self):
        return self.state in FIT_PENDING_STATES
