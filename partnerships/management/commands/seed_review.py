"""A demo call under review, so every step of a review can be walked; safe to run again.

ESCP-S3 2026 closed ten days before the day of seeding with 14 eligible expressions of
interest. Its reviewer pool holds the demo staff member, the demo reviewer, a third reviewer
and the demo moderator; every expression has two reviewers. The third reviewer has submitted
every score sheet, the demo staff member too (so the ranking is open to them), the demo
reviewer all but three (two drafts, one untouched): the ranking waits for those. The
moderator has written the consensus of all but two of the expressions whose reviews are all
in, and the ranking's complete rows are ready for decisions: releasing them fills the outbox.

Every write after the expressions goes through the review services, as a person would.
"""

import datetime as dt
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import services
from partnerships.enums import CallState, CallType, ExpressionState, ReviewState
from partnerships.management.commands.create_demo_users import MODERATOR, REVIEWER, STAFF
from partnerships.management.commands.seed_partnerships import (
    ELIGIBLE_TYPES,
    INNOSUP_THEMES,
    at_5pm,
    bulk_expressions,
    move_call,
    plan_consortia,
    verified_pool,
)
from partnerships.models import Call, PolicyObjective, ReviewAssignment, User

S = ExpressionState
REFERENCE = "escp-s3-2026"
EXPRESSIONS = 14
CLOSED_DAYS_AGO = 10
# A third reviewer who cannot sign in: the demo pool needs three reviewers for two per
# expression to spread, and only two of them are demo logins.
THIRD_REVIEWER = ("rafael.reviewer@clusterportal.example", "Rafael Ramos")
CRITERIA = [
    ("Relevance to smart specialisation strategies", Decimal(1)),
    ("Quality of the partnership and its roadmap", Decimal(1)),
    ("Expected investment impact", Decimal("1.5")),
]
# Score sheets each demo reviewer leaves open: (drafts saved, untouched), counted from the end.
# The demo staff member has submitted all theirs, so the ranking is open to them.
LEFT_OPEN = {REVIEWER.email: (2, 1)}
CONSENSUS_LEFT = 2
COMMENTS = (
    "Convincing and well argued.",
    "Clear, but the evidence is thin in places.",
    "Weak: the plan leaves the key question open.",
)


def demo_score(expression_index, reviewer_index, criterion_index):
    """A score from 1.5 to 5 in half points, different for each sheet but the same every run."""
    return Decimal(3 + (expression_index * 3 + reviewer_index + criterion_index * 2) % 8) / 2


def _staff(email):
    user = User.objects.filter(email__iexact=email, is_staff=True, is_active=True).first()
    if user is None:
        raise CommandError(
            _("The demo staff login %(email)s is missing: run create_demo_users first.")
            % {"email": email}
        )
    return user


def _third_reviewer():
    email, name = THIRD_REVIEWER
    user = User.objects.filter(email__iexact=email).first()
    return user or User.objects.create_user(email, None, full_name=name, is_staff=True)


def _create_call(staff):
    deadline = at_5pm(timezone.localdate() - dt.timedelta(days=CLOSED_DAYS_AGO))
    call = services.create_call(
        by=staff,
        reference=REFERENCE,
        type=CallType.ESCP_S3,
        title="European Strategic Cluster Partnerships for smart specialisation (2026 round)",
        description=(
            "Cluster partnerships that turn regional smart specialisation strategies into joint "
            "investment projects. The call is closed and its expressions of interest are under "
            "review."
        ),
        eligible_types=[str(t) for t in ELIGIBLE_TYPES],
        min_partners=2,
        min_countries=3,
        verified_required=True,
        label_required=False,
        budget=Decimal("2000000"),
        funding_rate=Decimal(70),
        policy_objectives=PolicyObjective.objects.filter(
            slug__in=["advanced-manufacturing", "green-transition"]
        ),
        stages=[{"number": 1, "deadline": timezone.now() + dt.timedelta(days=1)}],
        criteria=[
            {"name": name, "weight": weight, "pass_mark": 3, "stage": 1, "order": order}
            for order, (name, weight) in enumerate(CRITERIA)
        ],
    )
    move_call(call, [deadline.date()], CallState.IN_EVALUATION)
    call.refresh_from_db()
    return call, deadline


def _add_expressions(call, deadline):
    pool = verified_pool()
    consortia = plan_consortia(pool, EXPRESSIONS, offset=len(pool) // 4)
    path = (S.SUBMITTED, S.ELIGIBLE)

    def title(index, consortium):
        theme = INNOSUP_THEMES[index % len(INNOSUP_THEMES)]
        return f"Smart specialisation investments in {theme} ({consortium.lead.acronym})"

    return bulk_expressions(
        call,
        [(consortium, path) for consortium in consortia],
        title=title,
        budget=lambda index, path: Decimal(150_000 + 25_000 * (index % 5)),
        dates=(deadline - dt.timedelta(days=2), None, None),
    )


def _score_sheets(call, expressions, reviewers):
    """Save and submit the score sheets, leaving open what LEFT_OPEN says."""
    criteria = list(call.criteria.order_by("order"))
    position = {expression.pk: index for index, expression in enumerate(expressions)}
    for reviewer_index, reviewer in enumerate(reviewers):
        assignments = list(
            ReviewAssignment.objects.filter(expression__call=call, reviewer=reviewer)
            .select_related("review")
            .order_by("expression__submitted_at", "expression_id")
        )
        drafts, untouched = LEFT_OPEN.get(reviewer.email, (0, 0))
        submitted = len(assignments) - drafts - untouched
        for number, assignment in enumerate(assignments[: submitted + drafts]):
            index = position[assignment.expression_id]
            scores = {}
            for criterion_index, criterion in enumerate(criteria):
                value = demo_score(index, reviewer_index, criterion_index)
                comment = COMMENTS[0 if value >= 4 else (1 if value >= 3 else 2)]
                scores[criterion.pk] = (value, comment)
            review = services.save_review(
                assignment.review,
                scores=scores,
                expected_version=assignment.review.version,
                by=reviewer,
            )
            if number < submitted:
                services.submit_review(review, by=reviewer)


def _consensus(call, expressions, moderator):
    """The consensus (the mean of the reviews, to the half point) on every expression whose
    reviews are all in, but the last CONSENSUS_LEFT of them."""
    criteria = list(call.criteria.order_by("order"))
    ready = [
        expression
        for expression in expressions
        if not expression.review_assignments.exclude(review__state=ReviewState.SUBMITTED).exists()
    ]
    for expression in ready[: max(0, len(ready) - CONSENSUS_LEFT)]:
        scores = {}
        for criterion in criteria:
            given = [
                score.score
                for score in criterion.review_scores.filter(
                    review__assignment__expression=expression
                )
            ]
            mean = sum(given, Decimal(0)) / len(given)
            scores[criterion.pk] = (
                (mean * 2).to_integral_value() / 2,
                _("The panel agrees with the reviewers."),
            )
        services.set_consensus(
            expression,
            stage=1,
            scores=scores,
            expected_versions={criterion.pk: 0 for criterion in criteria},
            by=moderator,
        )


class Command(BaseCommand):
    help = _("Create a demo call under review, with reviewers, score sheets and a consensus.")

    @transaction.atomic
    def handle(self, *args, **options):
        if Call.objects.filter(reference=REFERENCE).exists():
            self.stdout.write(_("Call under review: already there."))
            return
        staff, reviewer, moderator = (_staff(login.email) for login in (STAFF, REVIEWER, MODERATOR))
        reviewers = [staff, reviewer, _third_reviewer()]
        call, deadline = _create_call(staff)
        expressions = _add_expressions(call, deadline)
        for user in reviewers:
            services.add_reviewer(call, user=user, by=staff)
        services.add_reviewer(call, user=moderator, by=staff, is_moderator=True)
        services.auto_assign(call, stage=1, per_expression=2, by=staff)
        _score_sheets(call, expressions, reviewers)
        _consensus(call, expressions, moderator)
        self.stdout.write(
            self.style.SUCCESS(
                _("Call under review: %(call)s with %(count)d expressions of interest.")
                % {"call": call.title, "count": len(expressions)}
            )
        )
