"""Runs, recommendations, feedback and weight fits, as shown to members and staff."""

from collections import defaultdict

from django.db.models import Count, OuterRef, Q, Subquery

from matchmaking.enums import (
    DEFAULT_WEIGHT_PROFILES,
    ChunkState,
    FeedbackVerdict,
    RunState,
    WeightProfileName,
)
from matchmaking.explain import explain
from matchmaking.models import (
    Recommendation,
    RecommendationFeedback,
    RecommendationRun,
    RecommendationSet,
    WeightFit,
    WeightProfile,
)
from matchmaking.scoring import COMPONENTS, PENALTY
from matchmaking.text import term_idf
from partnerships.models import (
    Country,
    Ecosystem,
    EmergingIndustry,
    Organisation,
    PolicyObjective,
    Region,
    SectoralIndustry,
    ValueChainPosition,
)
from partnerships.models.localised import localised, localised_columns
from partnerships.queries import organisations_of_member

from .profiles import scoring_profiles, taxonomy_from_db


def default_profile():
    """The default weight profile as staff last saved it (a migration stores it), or, if it was
    removed, an unsaved one with the shipped weights: a read never writes."""
    profile = WeightProfile.objects.filter(slug=WeightProfileName.DEFAULT).first()
    if profile is None:
        profile = WeightProfile(
            slug=WeightProfileName.DEFAULT,
            name=str(WeightProfileName.DEFAULT.label),
            **DEFAULT_WEIGHT_PROFILES[WeightProfileName.DEFAULT],
        )
    return profile


def latest_run(profile):
    """The newest finished run of a weight profile, or None."""
    return RecommendationRun.objects.filter(profile=profile, state=RunState.DONE).first()


def recommendations_for(organisation, run):
    """An organisation's recommendations in a run, best first, partners loaded."""
    return (
        Recommendation.objects.filter(run=run, organisation=organisation)
        .select_related("partner", "partner__country", "partner__region")
        .order_by("rank")
    )


def current_recommendations(organisation):
    """The organisation's shown set, best first: the rows of the run its pointer names.

    Going through the pointer is what makes a switch atomic for readers: rows of a run being
    written, or of a superseded run not yet deleted, are never mixed in.
    Partners the organisation judged not relevant are left out from the moment it says so.
    """
    current = RecommendationSet.objects.filter(organisation=organisation).values("run_id")
    dismissed = RecommendationFeedback.objects.filter(
        organisation=organisation, verdict=FeedbackVerdict.NOT_RELEVANT
    ).values("partner_id")
    return (
        Recommendation.objects.filter(organisation=organisation, run_id=Subquery(current[:1]))
        .exclude(partner_id__in=dismissed)
        .select_related("partner", "partner__country", "partner__region")
        .order_by("rank")
    )


def shown_partners(organisation_ids):
    """organisation id -> partner ids of its current set, for these organisations."""
    current = RecommendationSet.objects.filter(organisation_id=OuterRef("organisation_id"))
    shown = defaultdict(list)
    for organisation_id, partner_id in (
        Recommendation.objects.filter(
            organisation_id__in=list(organisation_ids), run_id=Subquery(current.values("run_id"))
        )
        .order_by("organisation_id", "rank")
        .values_list("organisation_id", "partner_id")
    ):
        shown[organisation_id].append(partner_id)
    return dict(shown)


def dismissed_partners():
    """organisation id -> ids of the partners it judged not relevant, which no run lists."""
    dismissed = defaultdict(set)
    for organisation_id, partner_id in RecommendationFeedback.objects.filter(
        verdict=FeedbackVerdict.NOT_RELEVANT
    ).values_list("organisation_id", "partner_id"):
        dismissed[organisation_id].add(partner_id)
    return dict(dismissed)


def runs_with_progress(limit=20):
    """The newest runs with their chunk counts and feedback, for the staff runs page."""
    return (
        RecommendationRun.objects.select_related("profile")
        .annotate(
            chunks_total=Count("chunks", distinct=True),
            chunks_done=Count("chunks", filter=Q(chunks__state=ChunkState.DONE), distinct=True),
            chunks_failed=Count("chunks", filter=Q(chunks__state=ChunkState.FAILED), distinct=True),
        )
        .order_by("-started_at", "-id")[:limit]
    )


def recent_feedback(limit=50):
    return RecommendationFeedback.objects.select_related("organisation", "partner", "by")[:limit]


def recent_weight_fits(limit=20):
    """The newest weight fits with the profiles and people they name, for the staff page."""
    return WeightFit.objects.select_related("profile", "by", "adopted_into")[:limit]


def fit_comparison(fit):
    """(component label, weight compared with, fitted weight) of every component and the
    penalty, in the scorer's order."""
    return [
        (
            WeightProfile._meta.get_field(name).verbose_name,
            fit.current_weights.get(name, 0.0),
            fit.weights.get(name, 0.0),
        )
        for name in (*COMPONENTS, PENALTY)
    ]


def run_progress_of(run):
    """(chunks done, chunks failed, chunks in all) of a run."""
    states = list(run.chunks.values_list("state", flat=True))
    return states.count(ChunkState.DONE), states.count(ChunkState.FAILED), len(states)


def organisations_with_recommendations_for_user(user):
    """Organisations whose recommendations `user` may see: their own, and all for staff."""
    if user.is_authenticated and user.is_active and user.is_staff:
        return Organisation.objects.all()
    return organisations_of_member(user)


def explained_recommendations(organisation):
    """The shown set with, on each recommendation, `reasons` (explain.Reason, largest first).

    Reasons are rebuilt from the two profiles and the stored contributions, so they always
    match the score that was stored. A set scored before the relevance floor may hold a
    partner with a score of zero or less: it is never shown.
    """
    recommendations = [rec for rec in current_recommendations(organisation) if rec.score > 0]
    if not recommendations:
        return recommendations
    ids = [organisation.pk, *(rec.partner_id for rec in recommendations)]
    profiles, _eligible = scoring_profiles(organisations=Organisation.objects.filter(pk__in=ids))
    by_id = {profile.id: profile for profile in profiles}
    taxonomy = taxonomy_from_db()
    source = by_id[organisation.pk]
    # Distinctive among what the reader is shown: a word every listed partner uses says less.
    idf = term_idf([profile.text for profile in profiles])
    for rec in recommendations:
        rec.reasons = explain(source, by_id[rec.partner_id], rec.contributions, taxonomy, idf=idf)
    return recommendations


def vocabulary_names():
    """slug or code -> display name, in the active language, of every vocabulary reasons
    refer to."""
    names = {}
    for model, key in (
        (SectoralIndustry, "slug"),
        (EmergingIndustry, "slug"),
        (Ecosystem, "slug"),
        (ValueChainPosition, "slug"),
        (PolicyObjective, "slug"),
        (Country, "code"),
    ):
        names[model._meta.model_name] = {
            row[key]: localised(row, "name")
            for row in model.objects.values(key, *localised_columns("name"))
        }
    names["region"] = dict(Region.objects.filter(level=2).values_list("code", "name"))
    return names


def feedback_given(organisation):
    """partner id -> verdicts the organisation gave, for marking them on its list."""
    given = defaultdict(list)
    for partner_id, verdict in RecommendationFeedback.objects.filter(
        organisation=organisation
    ).values_list("partner_id", "verdict"):
        given[partner_id].append(verdict)
    return dict(given)
