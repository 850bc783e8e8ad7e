"""Reads that decide what a person may see. Pages and the API both start here."""

import difflib
import re
import unicodedata

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.utils import timezone

from partnerships import ranking
from partnerships.enums import (
    LABEL_RANK,
    REVIEWABLE_STATES,
    CallState,
    ExpressionState,
    LabelLevel,
    MembershipRole,
    PartnerState,
    ReviewState,
    ValidationState,
)
from partnerships.models import (
    Call,
    CallReviewer,
    CallStage,
    ConflictLogEntry,
    ConsensusScore,
    Decision,
    EmergingIndustry,
    EvaluationCriterion,
    ExpressionOfInterest,
    ExpressionPartner,
    Label,
    Organisation,
    OrganisationMembership,
    OutboxMessage,
    PartnershipMember,
    PartnershipMilestone,
    Region,
    Review,
    ReviewAssignment,
    ReviewScore,
    StrategicPartnership,
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


def _is_staff(user):
    return user is not None and user.is_authenticated and user.is_active and user.is_staff


def calls_for_user(user):
    """Published calls for everybody; drafts too for staff."""
    calls = Call.objects.all()
    if _is_staff(user):
        return calls
    return calls.exclude(state=CallState.DRAFT)


# Calls people can still answer first, the decided ones last; newest first within each.
CALL_LISTING_ORDER = (
    CallState.OPEN,
    CallState.CLOSED,
    CallState.IN_EVALUATION,
    CallState.DRAFT,
    CallState.DECIDED,
)


def in_listing_order(calls):
    return calls.annotate(
        listing_rank=Case(
            *(When(state=state, then=Value(rank)) for rank, state in enumerate(CALL_LISTING_ORDER)),
            default=Value(len(CALL_LISTING_ORDER)),
        )
    ).order_by("listing_rank", "-created_at", "-id")


def with_call_relations(calls):
    """Stages, criteria and themes of a list of calls in a fixed number of queries."""
    return calls.prefetch_related(
        Prefetch("stages", queryset=CallStage.objects.order_by("number")),
        Prefetch("criteria", queryset=EvaluationCriterion.objects.order_by("stage", "order", "id")),
        "sectoral_industries",
        "emerging_industries",
        "policy_objectives",
    )


def expressions_for_user(user):
    """Expressions a person may see: those of organisations they manage, as lead or partner.

    Staff see all. A partner's managers see the expression from the moment they are invited,
    so they can decide with the content in front of them.
    """
    expressions = ExpressionOfInterest.objects.all()
    if _is_staff(user):
        return expressions
    if user is None or not user.is_authenticated or not user.is_active:
        return expressions.none()
    managed = OrganisationMembership.objects.filter(user=user).values("organisation_id")
    as_partner = ExpressionPartner.objects.filter(
        expression=OuterRef("pk"), organisation_id__in=managed
    )
    return expressions.filter(Q(lead_id__in=managed) | Exists(as_partner))


def with_expression_relations(expressions):
    """What an expression list or page shows: call, lead, partners with their countries."""
    return expressions.select_related("call", "lead", "lead__country").prefetch_related(
        Prefetch(
            "partners",
            queryset=ExpressionPartner.objects.select_related(
                "organisation", "organisation__country"
            ).order_by("organisation__name", "id"),
        ),
        "call__stages",
        "sectoral_industries",
        "emerging_industries",
        "policy_objectives",
        "attachments",
    )


def partner_invitations_for_user(user):
    """Open invitations into consortia addressed to organisations `user` manages."""
    if user is None or not user.is_authenticated:
        return ExpressionPartner.objects.none()
    return (
        ExpressionPartner.objects.filter(
            state=PartnerState.INVITED, organisation__memberships__user=user
        )
        .select_related("organisation", "expression", "expression__lead", "expression__call")
        .order_by("-invited_at", "-id")
    )


def invitable_organisations(expression, name=""):
    """Verified organisations the lead may invite, found by name; the lead and live partners
    are left out."""
    taken = expression.partners.exclude(state=PartnerState.DECLINED).values("organisation_id")
    organisations = (
        Organisation.objects.filter(validation_state=ValidationState.VERIFIED)
        .exclude(pk=expression.lead_id)
        .exclude(pk__in=taken)
        .select_related("country")
        .order_by("name", "id")
    )
    if name:
        organisations = organisations.filter(Q(name__icontains=name) | Q(acronym__iexact=name))
    return organisations


def partnerships_for_user(user):
    """Strategic partnerships are public, except those of a call still in draft (staff only)."""
    return StrategicPartnership.objects.filter(call__in=calls_for_user(user))


def with_partnership_relations(partnerships):
    """What a partnership list or page shows: the call, members (coordinator first) with their
    countries, milestones and outcomes, in a fixed number of queries."""
    return partnerships.select_related("call").prefetch_related(
        Prefetch(
            "members",
            queryset=PartnershipMember.objects.select_related(
                "organisation", "organisation__country"
            ).order_by("-is_coordinator", "organisation__name", "id"),
        ),
        Prefetch("milestones", queryset=PartnershipMilestone.objects.order_by("due_on", "id")),
        "outcomes",
    )


# Reviews


def review_pool(call):
    """The call's reviewer pool with each member's number of assignments in the call."""
    return (
        call.reviewers.select_related("user", "country")
        .annotate(
            load=Count(
                "user__review_assignments",
                filter=Q(user__review_assignments__expression__call=call),
            )
        )
        .order_by("-is_moderator", "user__full_name", "user__email", "id")
    )


def stage_expressions(call, stage):
    """Expressions under review at `stage`: reviewable now, assigned or decided at the stage."""

    return (
        call.expressions.filter(
            Q(state=REVIEWABLE_STATES[stage])
            | Q(review_assignments__stage=stage)
            | Q(decisions__stage=stage)
        )
        .distinct()
        .select_related("lead", "lead__country")
        .order_by("submitted_at", "id")
    )


def with_review_relations(expressions, stage):
    """Assignments with their reviews and reviewers, and the stage's decision, prefetched."""

    return expressions.prefetch_related(
        Prefetch(
            "review_assignments",
            queryset=ReviewAssignment.objects.filter(stage=stage)
            .select_related("reviewer", "review")
            .order_by("created_at", "id"),
            to_attr="stage_assignments",
        ),
        Prefetch(
            "decisions", queryset=Decision.objects.filter(stage=stage), to_attr="stage_decisions"
        ),
        Prefetch(
            "partners",
            queryset=ExpressionPartner.objects.select_related(
                "organisation", "organisation__country"
            ).order_by("organisation__name", "id"),
        ),
    )


def reviews_for_user(user):
    """Reviews a person may read: their own; the others' of an expression and stage once their
    own is submitted (and only submitted ones); every review of a call they manage.

    Only staff review, and staff manage every call's review; a reviewer stays blind to the
    other reviews of an expression they review until their own is submitted (see rules.py).
    """
    reviews = Review.objects.all()
    if not _is_staff(user):
        return reviews.none()
    reviews_it_too = ReviewAssignment.objects.filter(
        reviewer=user,
        expression=OuterRef("assignment__expression"),
        stage=OuterRef("assignment__stage"),
    )
    own_submitted = Review.objects.filter(
        assignment__reviewer=user,
        state=ReviewState.SUBMITTED,
        assignment__expression=OuterRef("assignment__expression"),
        assignment__stage=OuterRef("assignment__stage"),
    )
    return reviews.filter(
        Q(assignment__reviewer=user)
        | Q(Exists(own_submitted), state=ReviewState.SUBMITTED)
        | ~Exists(reviews_it_too)
    )


def with_review_detail(reviews):
    """What a review page or the API shows: the assignment, expression, call and scores."""
    return reviews.select_related(
        "assignment__reviewer",
        "assignment__expression__call",
        "assignment__expression__lead",
    ).prefetch_related(
        Prefetch(
            "scores",
            queryset=ReviewScore.objects.select_related("criterion").order_by(
                "criterion__order", "criterion_id"
            ),
        )
    )


def organisations_under_review_by(user):
    """Organisations in the consortia of the calls `user` is in the reviewer pool of."""
    calls = CallReviewer.objects.filter(user=user).values("call_id")
    return (
        Organisation.objects.filter(
            Q(led_expressions__call__in=calls)
            | Q(expression_partnerships__expression__call__in=calls)
        )
        .distinct()
        .order_by("name", "id")
    )


def assignments_for_reviewer(user):
    """The person's own review assignments, newest call first."""

    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("expression", "expression__call", "expression__lead", "review")
        .order_by("-expression__call__created_at", "expression__title", "stage", "id")
    )


def stage_criteria(call, stage):
    """The criteria scored at one stage of `call`, in the order the score sheet shows them."""
    return call.criteria.filter(stage=stage).order_by("order", "id")


def stage_ranking(call, stage):
    """The ranking of one stage (see partnerships.ranking), from a fixed number of queries."""
    criteria = [
        ranking.Criterion(id=c.pk, name=c.name, weight=c.weight, pass_mark=c.pass_mark)
        for c in stage_criteria(call, stage)
    ]
    expressions = list(stage_expressions(call, stage))
    candidates = {
        e.pk: ranking.Candidate(
            id=e.pk,
            title=e.title,
            budget_requested=e.budget_requested,
            submitted_at=e.stage2_submitted_at if stage == 2 else e.submitted_at,
        )
        for e in expressions
    }
    scores = ReviewScore.objects.filter(
        review__assignment__expression_id__in=candidates,
        review__assignment__stage=stage,
        review__state=ReviewState.SUBMITTED,
        criterion__stage=stage,
    ).order_by("review_id", "criterion_id")
    for expression_id, criterion_id, score in scores.values_list(
        "review__assignment__expression_id", "criterion_id", "score"
    ):
        if score is not None:
            candidates[expression_id].individual.setdefault(criterion_id, []).append(score)
    for expression_id, criterion_id, score in ConsensusScore.objects.filter(
        expression_id__in=candidates, criterion__stage=stage, criterion__call=call
    ).values_list("expression_id", "criterion_id", "score"):
        candidates[expression_id].consensus[criterion_id] = score
    result = ranking.rank(candidates.values(), criteria, budget=call.budget)
    by_id = {e.pk: e for e in expressions}
    for row in result.rows:
        row.expression = by_id[row.id]
    return result


def conflict_log(call):
    """Every reviewer kept away from an expression of `call` by a conflict, newest first."""

    return (
        ConflictLogEntry.objects.filter(expression__call=call)
        .select_related("expression", "reviewer", "organisation", "by")
        .order_by("-created_at", "-id")
    )


def outbox_for_call(call):
    """The decision e-mails of `call`: waiting ones first, each group oldest first."""

    return (
        OutboxMessage.objects.filter(expression__call=call)
        .select_related("expression", "sent_by")
        .order_by("state", "created_at", "id")
    )


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


def confirmed_consortium_pairs():
    """(lead id, partner id, confirmed at) of every partner that confirmed a consortium."""
    return list(
        ExpressionPartner.objects.filter(state=PartnerState.CONFIRMED, responded_at__isnull=False)
        .exclude(expression__state=ExpressionState.WITHDRAWN)
        .values_list("expression__lead_id", "organisation_id", "responded_at")
        .order_by("pk")
    )
