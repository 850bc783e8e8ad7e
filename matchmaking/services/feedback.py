"""A member's verdict on a partner suggested to its organisation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchmaking.enums import FeedbackVerdict
from matchmaking.models import RecommendationFeedback
from matchmaking.queries import current_recommendations
from partnerships.services import log_action


def give_feedback(organisation, *, partner, verdict, by):
    """Store a member's verdict on a suggested partner (one row per verdict, the latest kept)."""
    if verdict not in FeedbackVerdict.values:
        raise ValidationError(_("Choose useful, not relevant or contacted."))
    shown = current_recommendations(organisation).filter(partner=partner).first()
    if shown is None:
        raise ValidationError(_("This partner is not among your recommended partners."))
    with transaction.atomic():
        feedback, _created = RecommendationFeedback.objects.update_or_create(
            organisation=organisation,
            partner=partner,
            verdict=verdict,
            defaults={"by": by, "run_id": shown.run_id, "score": shown.score},
        )
        log_action(
            organisation,
            "recommendation feedback",
            actor=by,
            data={
                "partner": partner.pk,
                "verdict": verdict,
            },
        )
    return feedback
