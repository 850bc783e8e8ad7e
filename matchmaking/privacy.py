"""The matchmaking app's part of a person's data export and erasure (see partnerships.signals).

Recommendations and their explanations are about organisations and are computed from
organisation profiles, so the only personal data here is who gave feedback on a suggestion
and which member of staff fitted weights.
"""

from matchmaking.models import RecommendationFeedback, WeightFit


def export_personal_data(sender, *, user, **kwargs):
    return {
        "recommendation_feedback": [
            {
                "organisation": feedback.organisation.name,
                "partner": feedback.partner.name,
                "verdict": feedback.verdict,
                "given_at": feedback.created_at.isoformat(),
            }
            for feedback in RecommendationFeedback.objects.filter(by=user)
            .select_related("organisation", "partner")
            .order_by("created_at", "pk")
        ]
    }


def erase_personal_data(sender, *, user, **kwargs):
    # The verdict belongs to the organisation and stays; who gave it does not.
    return {
        "recommendation_feedback": RecommendationFeedback.objects.filter(by=user).update(by=None),
        "weight_fits": WeightFit.objects.filter(by=user).update(by=None),
    }
