"""Reads for matchmaking: the plain data the scoring core takes, loaded in a few bulk queries."""

from .consortium import (
    THEME_NAMES,
    ConsortiumSuggestions,
    call_themes,
    consortium_ids,
    partner_suggestions,
    weights_for_call,
)
from .profiles import scoring_profiles, taxonomy_from_db
from .recommendations import (
    current_recommendations,
    default_profile,
    dismissed_partners,
    explained_recommendations,
    feedback_given,
    fit_comparison,
    latest_run,
    organisations_with_recommendations_for_user,
    recent_feedback,
    recent_weight_fits,
    recommendations_for,
    run_progress_of,
    runs_with_progress,
    shown_partners,
    vocabulary_names,
)

__all__ = [
    "ConsortiumSuggestions",
    "THEME_NAMES",
    "call_themes",
    "consortium_ids",
    "current_recommendations",
    "default_profile",
    "dismissed_partners",
    "explained_recommendations",
    "feedback_given",
    "fit_comparison",
    "latest_run",
    "organisations_with_recommendations_for_user",
    "partner_suggestions",
    "recent_feedback",
    "recent_weight_fits",
    "recommendations_for",
    "run_progress_of",
    "runs_with_progress",
    "scoring_profiles",
    "shown_partners",
    "taxonomy_from_db",
    "vocabulary_names",
    "weights_for_call",
]
