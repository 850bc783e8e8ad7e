"""Matchmaking's section of the weekly digest: partners newly suggested to a reader's
organisations (receiver of `partnerships.signals.digest_sections`)."""

from collections import defaultdict

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from matchmaking.enums import FeedbackVerdict
from matchmaking.models import Recommendation, RecommendationFeedback, RecommendationSet
from partnerships.digest import DigestItem, DigestSection
from partnerships.models import Organisation
from partnerships.services import absolute

# The best few of a new set: a digest is a pointer to the full list, not a copy of it.
PARTNERS_PER_ORGANISATION = 3


def recommendation_sections(sender, *, user_ids, organisations, since, **kwargs):
    """A section per reader whose organisations got a new set of recommendations this week."""
    organisation_ids = {pk for ids in organisations.values() for pk in ids}
    fresh = set(
        RecommendationSet.objects.filter(
            organisation_id__in=organisation_ids, switched_at__gte=since
        ).values_list("organisation_id", flat=True)
    )
    if not fresh:
        return {}
    current = RecommendationSet.objects.filter(organisation_id=OuterRef("organisation_id"))
    dismissed = set(
        RecommendationFeedback.objects.filter(
            organisation_id__in=fresh, verdict=FeedbackVerdict.NOT_RELEVANT
        ).values_list("organisation_id", "partner_id")
    )
    names = dict(Organisation.objects.filter(pk__in=fresh).values_list("pk", "name"))
    partners = defaultdict(list)
    # Plain values: a chunk reads thousands of rows, and whole organisations cost far more.
    rows = (
        Recommendation.objects.filter(
            organisation_id__in=fresh,
            run_id=Subquery(current.values("run_id")[:1]),
            # A few ranks more than shown, in case the best were dismissed since the run.
            rank__lte=PARTNERS_PER_ORGANISATION + 5,
        )
        .order_by("organisation_id", "rank")
        .values_list("organisation_id", "partner_id", "partner__name")
    )
    for organisation_id, partner_id, partner_name in rows:
        shown = partners[organisation_id]
        judged_irrelevant = (organisation_id, partner_id) in dismissed
        if not judged_irrelevant and len(shown) < PARTNERS_PER_ORGANISATION:
            shown.append((partner_id, partner_name))
    result = {}
    for user_id, ids in organisations.items():
        items = tuple(
            DigestItem(
                text=partner_name,
                url=absolute(reverse("partnerships:organisation-detail", args=[partner_id])),
                detail=_("suggested to %(organisation)s") % {"organisation": names[pk]},
            )
            for pk in sorted(ids)
            if pk in partners
            for partner_id, partner_name in partners[pk]
        )
        if items:
            result[user_id] = [
                DigestSection(
                    key="recommendations", title=_("New recommended partners"), items=items
                )
            ]
    return result
