"""Partner searches in a person's data export and erasure.

Connected to the same signals as the apps above (see partnerships.apps), so the privacy
service need not know of every subject. Comments and answers stay with the searches they
belong to, the person's name and addresses taken out of them; whom they follow goes.
"""

from partnerships.models import (
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchFollow,
    PartnerSearchInterest,
)
from partnerships.services.partner_search import index_partner_search


def _iso(value):
    return value.isoformat() if value else None


def export_personal_data(sender, *, user, **kwargs):
    return {
        "partner_searches_started": [
            {"search_id": search.pk, "title": search.title, "created_at": _iso(search.created_at)}
            for search in PartnerSearch.objects.filter(created_by=user).order_by("created_at", "pk")
        ],
        "partner_search_answers": [
            {
                "search_id": interest.search_id,
                "organisation": interest.organisation.name,
                "brings": interest.brings,
                "answered_at": _iso(interest.created_at),
            }
            for interest in PartnerSearchInterest.objects.filter(created_by=user)
            .select_related("organisation")
            .order_by("created_at", "pk")
        ],
        "partner_search_comments": [
            {"search_id": comment.search_id, "body": comment.body, "at": _iso(comment.created_at)}
            for comment in PartnerSearchComment.objects.filter(author=user).order_by(
                "created_at", "pk"
            )
        ],
        "partner_searches_followed": [
            {"search_id": follow.search_id, "since": _iso(follow.created_at)}
            for follow in PartnerSearchFollow.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }


def erase_personal_data(sender, *, user, redact, **kwargs):
    searches = redact.rewrite(PartnerSearch.objects, ("title", "description"), touch=True)
    for search in PartnerSearch.objects.filter(pk__in=searches).select_related("author"):
        index_partner_search(search)
    comments = redact.rewrite(PartnerSearchComment.objects, ("body",))
    answers = redact.rewrite(PartnerSearchInterest.objects, ("brings",))
    follows, _rows = PartnerSearchFollow.objects.filter(user=user).delete()
    return {
        "partner_search_texts": len(searches) + len(comments) + len(answers),
        "partner_search_follows": follows,
    }
