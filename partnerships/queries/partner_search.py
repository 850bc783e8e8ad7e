"""Partner searches a person may open, and what a search's page and its author's list show.

A closed or expired search stays readable at its address, so links in e-mails and feeds keep
working; a draft is its organisation's own.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from partnerships.enums import ValidationState
from partnerships.models import (
    Organisation,
    OrganisationMembership,
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchInterest,
)

# What the board's cards and a search's page show of what it seeks.
SOUGHT_RELATIONS = (
    "countries",
    "seeking_sectors",
    "seeking_emerging",
    "seeking_ecosystems",
    "seeking_value_chain",
)


def partner_searches_for_user(user):
    """Every search `user` may open: published once, their organisations' own, all for staff."""
    searches = PartnerSearch.objects.all()
    if user is not None and user.is_authenticated and user.is_active and user.is_staff:
        return searches
    public = Q(published_at__isnull=False)
    if user is None or not user.is_authenticated or not user.is_active:
        return searches.filter(public)
    own = OrganisationMembership.objects.filter(organisation=OuterRef("author_id"), user=user)
    return searches.filter(public | Exists(own))


def partner_searches_of_member(user):
    """The searches of the organisations `user` manages, newest first, drafts included."""
    if not user.is_authenticated:
        return PartnerSearch.objects.none()
    return (
        PartnerSearch.objects.filter(author__memberships__user=user)
        .select_related("author", "call")
        .annotate(interest_count=Count("interests", distinct=True))
        .order_by("-updated_at", "-id")
    )


def with_detail_relations(searches):
    return searches.select_related("author__country", "author__region", "call").prefetch_related(
        *SOUGHT_RELATIONS,
        Prefetch(
            "comments",
            queryset=PartnerSearchComment.objects.select_related("author").order_by(
                "created_at", "id"
            ),
        ),
    )


def interests_of(search):
    """The organisations interested in `search`, side by side, with what they bring."""
    return list(
        PartnerSearchInterest.objects.filter(search=search)
        .select_related("organisation__country", "organisation__region", "created_by")
        .prefetch_related(
            "value_chain",
            "organisation__sectoral_industries",
            "organisation__labels",
        )
        .order_by("created_at", "id")
    )


def is_following(search, user):
    return user.is_authenticated and search.follows.filter(user=user).exists()


def interested_organisations_of(user, search):
    """Which of `user`'s organisations have already answered `search`."""
    if not user.is_authenticated:
        return set()
    return set(
        search.interests.filter(organisation__memberships__user=user).values_list(
            "organisation_id", flat=True
        )
    )


def possible_answerers(user, search):
    """The organisations `user` may answer `search` for: verified, theirs, not yet answered."""
    return (
        Organisation.objects.filter(
            memberships__user=user, validation_state=ValidationState.VERIFIED
        )
        .exclude(pk=search.author_id)
        .exclude(partner_search_interests__search=search)
        .distinct()
        .order_by("name")
    )
