"""Reads of organisations: who may see which, their labels, the home page's figures, the
validation queue, likely duplicates and the organisations a person owns alone."""

import difflib
import re
import unicodedata

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
)
from django.utils import timezone

from partnerships.enums import (
    LABEL_RANK,
    LabelLevel,
    LabelState,
    MembershipRole,
    ValidationState,
)
from partnerships.models import (
    EmergingIndustry,
    Label,
    Organisation,
    OrganisationMembership,
    Region,
)


def organisations_for_user(user):
    """Every organisation `user` may see: verified ones, their own, and all for staff."""
    organisations = Organisation.objects.all()
    if user is not None and user.is_authenticated and user.is_active and user.is_staff:
        return organisations
    if user is None or not user.is_authenticated or not user.is_active:
        return organisations.filter(validation_state=ValidationState.VERIFIED)
    own = OrganisationMembership.objects.filter(organisation=OuterRef("pk"), user=user)
    return organisations.filter(Q(validation_state=ValidationState.VERIFIED) | Exists(own))


def organisations_of_member(user):
    """The organisations `user` owns or edits, with their memberships."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def possible_leads(user):
    """The organisations `user` may put forward to lead an expression of interest: theirs,
    less those still waiting for validation."""
    return organisations_of_member(user).exclude(validation_state=ValidationState.PENDING)


def with_listing_relations(organisations):
    """Everything a list of organisations shows, fetched in a fixed number of queries."""
    return organisations.select_related("country", "region").prefetch_related(
        "sectoral_industries",
        "emerging_industries",
        "ecosystems",
        Prefetch("labels", queryset=Label.objects.order_by("-valid_until", "-id")),
    )


# What an organisation declares it pursues and seeks, as the API and the profile page show it.
DECLARED_RELATIONS = (
    "policy_objectives",
    "seeking_sectors",
    "seeking_emerging",
    "seeking_ecosystems",
    "seeking_value_chain",
)


def with_api_relations(organisations):
    """The listing relations with the declared objectives and what is sought."""
    return with_listing_relations(organisations).prefetch_related(*DECLARED_RELATIONS)


def with_profile_relations(organisations):
    return with_listing_relations(organisations).prefetch_related(
        "value_chain_positions",
        "target_countries",
        "s3_priorities__policy_objective",
        *DECLARED_RELATIONS,
        "memberships__user",
    )


def current_label(organisation, *, on=None):
    """The highest label valid on `on`, from prefetched labels when they are there."""
    day = on or timezone.localdate()
    current = [label for label in organisation.labels.all() if label.is_current_on(day)]
    if not current:
        return None
    return max(current, key=lambda label: (LABEL_RANK[label.level], label.valid_until))


def latest_label(organisation):
    labels = list(organisation.labels.all())
    return max(labels, key=lambda label: (label.valid_until, label.pk)) if labels else None


def home_figures(*, top=5):
    """Live counts for the home page, in three queries whatever the data.

    Public organisations only, each counted once under its best current label, and the
    `top` emerging industries that most public organisations work in.
    """
    public = Organisation.objects.filter(validation_state=ValidationState.VERIFIED)
    today = timezone.localdate()
    holds = {
        f"holds_{level}": Exists(
            Label.objects.filter(organisation=OuterRef("pk"), level=level, valid_until__gte=today)
        )
        for level in LABEL_RANK
    }
    gold, silver, bronze = LabelLevel.GOLD, LabelLevel.SILVER, LabelLevel.BRONZE
    counts = public.annotate(**holds).aggregate(
        total=Count("pk"),
        gold=Count("pk", filter=Q(holds_gold=True)),
        silver=Count("pk", filter=Q(holds_silver=True, holds_gold=False)),
        bronze=Count("pk", filter=Q(holds_bronze=True, holds_silver=False, holds_gold=False)),
    )
    emerging = (
        EmergingIndustry.objects.annotate(
            public_count=Count(
                "organisations",
                filter=Q(organisations__validation_state=ValidationState.VERIFIED),
            )
        )
        .filter(public_count__gt=0)
        .order_by("-public_count", "name")
        .values("slug", "name", "public_count")[:top]
    )
    label_counts = [
        {"key": level.value, "label": level.label, "value": counts[level.value]}
        for level in (gold, silver, bronze)
    ]
    return {
        "organisation_count": counts["total"],
        "country_count": public.values("country").distinct().count(),
        "labelled_count": sum(row["value"] for row in label_counts),
        "label_counts": label_counts,
        "emerging_industries": [
            {"key": row["slug"], "label": row["name"], "value": row["public_count"]}
            for row in emerging
        ],
    }


def dashboard_organisations(user):
    """The organisations `user` edits, with the user's own membership prefetched.

    The rules predicates read that prefetch, so permission checks per row cost no query.
    """
    own = OrganisationMembership.objects.filter(user=user)
    return (
        with_listing_relations(organisations_of_member(user))
        .prefetch_related(Prefetch("memberships", queryset=own))
        .order_by("name", "id")
    )


def pending_validation():
    """The staff validation queue: oldest submission first."""
    return with_listing_relations(
        Organisation.objects.filter(validation_state=ValidationState.PENDING)
    ).order_by("submitted_at", "id")


def labels_awaiting_check():
    """Declared labels staff have not checked yet, the soonest to run out first."""
    return (
        Label.objects.filter(state=LabelState.DECLARED)
        .select_related("organisation", "organisation__country")
        .order_by("valid_until", "id")
    )


def _name_key(name):
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", name.lower()))
    return " ".join(word for word in words if word not in NAME_NOISE)


NAME_NOISE = {"the", "e", "v", "ev", "asbl", "vzw", "gmbh", "association", "cluster", "of"}


def likely_duplicates(organisation, *, limit=5):
    """Other organisations with the same website domain or a very similar name.

    Candidates share the domain or the first letters of the name, so the fuzzy comparison
    runs over a handful of rows even in a directory of 100,000.
    """
    if organisation is None or organisation.pk is None:
        return []
    others = Organisation.objects.exclude(pk=organisation.pk).select_related("country")
    key = _name_key(organisation.name)
    matches = []
    if organisation.website_domain:
        matches = list(others.filter(website_domain=organisation.website_domain)[:limit])
    if key:
        candidates = others.filter(name__istartswith=organisation.name[:4]).exclude(
            pk__in=[m.pk for m in matches]
        )[:200]
        for candidate in candidates:
            ratio = difflib.SequenceMatcher(None, key, _name_key(candidate.name)).ratio()
            if ratio >= 0.85:
                matches.append(candidate)
    return matches[:limit]


def nuts2_regions():
    """{code: {name, country, country_name}} of every NUTS-2 region, in one query."""
    rows = (
        Region.objects.filter(level=2)
        .order_by("code")
        .values_list("code", "name", "country_id", "country__name")
    )
    return {
        code: {"name": name, "country": country, "country_name": country_name}
        for code, name, country, country_name in rows
    }


def sole_ownerships(user):
    """(organisation, has other members) for each organisation `user` is the only owner of:
    what deleting the account hands over to an editor, or leaves without anyone."""
    others = ~Q(organisation__memberships__user=user)
    owned_alone = (
        OrganisationMembership.objects.filter(user=user, role=MembershipRole.OWNER)
        .annotate(
            other_owners=Count(
                "organisation__memberships",
                filter=others & Q(organisation__memberships__role=MembershipRole.OWNER),
            ),
            others=Count("organisation__memberships", filter=others),
        )
        .filter(other_owners=0)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    return [(membership.organisation, membership.others > 0) for membership in owned_alone]
