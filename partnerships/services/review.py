"""Writes of the review: reviewer pools, conflicts of interest, assignments, scores, consensus,
decisions and the outbox of decision e-mails."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.enums import (
    DECISION_TRANSITIONS,
    EXPRESSION_TRANSITIONS,
    FINAL_OUTCOMES,
    OUTBOX_TRANSITIONS,
    REVIEW_TRANSITIONS,
    REVIEWABLE_STATES,
    SCREENING_OUTCOMES,
    AssignmentSource,
    ConflictAction,
    ConflictRule,
    DecisionState,
    ExpressionState,
    OutboxState,
    PartnerState,
    ReviewState,
)
from partnerships.integrity import unique_rule
from partnerships.models import (
    CallReviewer,
    ConflictDeclaration,
    ConflictLogEntry,
    ConsensusScore,
    Decision,
    ExpressionOfInterest,
    OrganisationMembership,
    OutboxMessage,
    Review,
    ReviewAssignment,
    ReviewScore,
)
from partnerships.models.call import SCORE_MAX
from partnerships.queries import stage_criteria
from partnerships.rules import is_commission_staff
from partnerships.services.audit import log_action, signed_in
from partnerships.services.expression import decide_expression
from partnerships.services.notifications import absolute, queue_email
from partnerships.statemachine import ensure_transition
from partnerships.text import single_line

SCORE_STEP = Decimal("0.5")


class StaleVersion(ValidationError):
    """Somebody saved the same thing since the form was loaded."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "Somebody saved this while you were editing it. Your text is kept below; "
                "compare it with the saved version and save again."
            ),
            code="stale",
        )


@dataclass(frozen=True)
class Conflict:
    rule: str
    organisation_id: int | None
    organisation_name: str

    @property
    def message(self):
        return _("%(rule)s: %(name)s") % {
            "rule": ConflictRule(self.rule).label,
            "name": self.organisation_name,
        }


@dataclass
class AssignmentReport:
    created: int = 0
    skipped_conflicts: int = 0
    # Titles of expressions that still lack reviewers because nobody eligible was left.
    short: list = field(default_factory=list)


def _require_staff(user):
    if not is_commission_staff(user):
        raise ValidationError(_("Only Commission staff can review calls."), code="not_staff")


def _check_stage(call, stage):
    if not call.stages.filter(number=stage).exists():
        raise ValidationError(_("This call has no stage %(n)d.") % {"n": stage}, code="no_stage")


def _criteria(call, stage):
    return list(stage_criteria(call, stage))


# Pool


@transaction.atomic
def add_reviewer(call, *, user, by, is_moderator=False, country=None, max_load=None):
    """Put a member of staff in the call's reviewer pool, or change their place in it."""
    _require_staff(user)
    if is_moderator and (
        ReviewAssignment.objects.filter(expression__call=call, reviewer=user).exists()
    ):
        raise ValidationError(
            _("%(name)s already has reviews in this call and cannot moderate it.") % {"name": user},
            code="has_reviews",
        )
    reviewer, created = CallReviewer.objects.update_or_create(
        call=call,
        user=user,
        defaults={"is_moderator": is_moderator, "country": country, "max_load": max_load},
    )
    log_action(
        call,
        "review.reviewer_added" if created else "review.reviewer_changed",
        actor=by,
        data={"user": user.pk, "moderator": is_moderator, "max_load": max_load},
    )
    return reviewer


@transaction.atomic
def remove_reviewer(reviewer, *, by):
    """Take someone out of the pool; their unsubmitted assignments go with them."""
    assignments = ReviewAssignment.objects.filter(
        expression__call=reviewer.call_id, reviewer=reviewer.user_id
    )
    if assignments.filter(review__state=ReviewState.SUBMITTED).exists():
        raise ValidationError(
            _("%(name)s has submitted reviews in this call; they stay in the pool.")
            % {"name": reviewer.user},
            code="has_submitted",
        )
    withdrawn = assignments.count()
    assignments.delete()
    log_action(
        reviewer.call,
        "review.reviewer_removed",
        actor=by,
        data={"user": reviewer.user_id, "assignments_withdrawn": withdrawn},
    )
    reviewer.delete()


@transaction.atomic
def set_same_country_rule(call, *, enabled, by):
    """Switch the same-country rule; it applies to assignments made from now on."""
    call.review_same_country_rule = bool(enabled)
    call.save(update_fields=["review_same_country_rule", "updated_at"])
    log_action(call, "review.same_country_rule", actor=by, data={"enabled": bool(enabled)})
    return call


# Conflicts of interest


def _consortium(expression):
    """[(organisation id, name, country id)] of the lead and every partner not declined."""
    rows = [(expression.lead_id, expression.lead.name, expression.lead.country_id)]
    for partner in expression.partners.exclude(state=PartnerState.DECLINED).select_related(
        "organisation"
    ):
        organisation = partner.organisation
        rows.append((organisation.pk, organisation.name, organisation.country_id))
    return rows


def conflicts_for(expression):
    """{user id: [Conflict]} of everybody who must not review `expression`.

    The managers of the lead and partner organisations, people who declared a conflict with
    one of them, and, when the call applies the same-country rule, pool members whose country
    is the country of one of them.
    """
    consortium = _consortium(expression)
    names = {pk: name for pk, name, _country in consortium}
    found = defaultdict(list)
    for user_id, organisation_id in OrganisationMembership.objects.filter(
        organisation_id__in=names
    ).values_list("user_id", "organisation_id"):
        found[user_id].append(
            Conflict(ConflictRule.AFFILIATION, organisation_id, names[organisation_id])
        )
    for user_id, organisation_id in ConflictDeclaration.objects.filter(
        organisation_id__in=names
    ).values_list("user_id", "organisation_id"):
        found[user_id].append(
            Conflict(ConflictRule.DECLARED, organisation_id, names[organisation_id])
        )
    if expression.call.review_same_country_rule:
        by_country = {}
        for pk, name, country in consortium:
            by_country.setdefault(country, (pk, name))
        for user_id, country in CallReviewer.objects.filter(
            call_id=expression.call_id, country_id__in=by_country
        ).values_list("user_id", "country_id"):
            pk, name = by_country[country]
            found[user_id].append(Conflict(ConflictRule.SAME_COUNTRY, pk, name))
    return dict(found)


def _log_conflict(expression, *, stage, reviewer_id, conflict, action, by):
    return ConflictLogEntry.objects.create(
        expression=expression,
        stage=stage,
        reviewer_id=reviewer_id,
        organisation_id=conflict.organisation_id,
        rule=conflict.rule,
        action=action,
        by=signed_in(by),
    )


@transaction.atomic
def declare_conflict(*, user, organisation, reason, by):
    """Record a declared conflict; unsubmitted assignments it touches are withdrawn."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say briefly why there is a conflict.")})
    declaration, created = ConflictDeclaration.objects.get_or_create(
        user=user, organisation=organisation, defaults={"reason": reason}
    )
    if not created:
        raise ValidationError(
            {
                "organisation": _("A conflict with %(name)s is already declared.")
                % {"name": organisation}
            },
            code="duplicate",
        )
    touched = ReviewAssignment.objects.filter(reviewer=user).filter(
        Q(expression__lead=organisation)
        | Q(
            expression__partners__organisation=organisation,
            expression__partners__state__in=[PartnerState.INVITED, PartnerState.CONFIRMED],
        )
    )
    conflict = Conflict(ConflictRule.DECLARED, organisation.pk, organisation.name)
    for assignment in touched.select_related("expression", "review").distinct():
        if getattr(assignment, "review", None) and assignment.review.is_submitted:
            continue
        _log_conflict(
            assignment.expression,
            stage=assignment.stage,
            reviewer_id=user.pk,
            conflict=conflict,
            action=ConflictAction.WITHDRAWN,
            by=by,
        )
        log_action(
            assignment.expression,
            "review.unassigned",
            actor=by,
            data={"reviewer": user.pk, "stage": assignment.stage, "why": "declared_conflict"},
        )
        assignment.delete()
    log_action(organisation, "review.conflict_declared", actor=by, data={"user": user.pk})
    return declaration


# Assignments


def _ensure_reviewable(expression, stage):
    if expression.state != REVIEWABLE_STATES.get(stage):
        raise ValidationError(
            _("“%(title)s” is “%(state)s” and cannot be reviewed at stage %(stage)d.")
            % {"title": expression.title, "state": expression.get_state_display(), "stage": stage},
            code="not_reviewable",
        )


def _already_reviews(reviewer):
    return ValidationError(
        {"reviewer": _("%(name)s already reviews this expression.") % {"name": reviewer}},
        code="duplicate",
    )


def _create_assignment(expression, *, stage, reviewer, source, by):
    # A hand assignment and an automatic run may pick the same reviewer at once.
    with unique_rule("review_assignment_unique", lambda: _already_reviews(reviewer)):
        assignment = ReviewAssignment.objects.create(
            expression=expression,
            stage=stage,
            reviewer=reviewer,
            source=source,
            assigned_by=signed_in(by),
        )
    Review.objects.create(assignment=assignment)
    log_action(
        expression,
        "review.assigned",
        actor=by,
        data={"reviewer": reviewer.pk, "stage": stage, "source": source},
    )
    return assignment


def _loads(call):
    return dict(
        ReviewAssignment.objects.filter(expression__call=call)
        .values_list("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )


@transaction.atomic
def auto_assign(call, *, stage, per_expression, by):
    """Give every reviewable expression of `stage` up to `per_expression` reviewers.

    The least loaded eligible pool member goes first (ties by name, then id), never one with
    a conflict of interest (each one skipped is logged) nor one at their maximum load.
    """
    _check_stage(call, stage)
    if not 1 <= per_expression <= 10:
        raise ValidationError(_("Assign between 1 and 10 reviewers per expression."))
    pool = list(
        CallReviewer.objects.select_for_update(of=("self",))
        .filter(call=call, is_moderator=False, user__is_active=True, user__is_staff=True)
        .select_related("user")
        .order_by("user__full_name", "user__email", "user_id")
    )
    loads = _loads(call)
    report = AssignmentReport()
    expressions = (
        ExpressionOfInterest.objects.filter(call=call, state=REVIEWABLE_STATES[stage])
        .select_related("lead", "call")
        .order_by("submitted_at", "id")
    )
    taken_by_expression = defaultdict(set)
    for expression_id, reviewer_id in ReviewAssignment.objects.filter(
        expression__call=call, stage=stage
    ).values_list("expression_id", "reviewer_id"):
        taken_by_expression[expression_id].add(reviewer_id)
    # A conflict skipped by an earlier run is logged once, not again on every run.
    skipped = set(
        ConflictLogEntry.objects.filter(
            expression__call=call, stage=stage, action=ConflictAction.SKIPPED
        ).values_list("expression_id", "reviewer_id", "rule", "organisation_id")
    )
    for expression in expressions:
        taken = taken_by_expression[expression.pk]
        missing = per_expression - len(taken)
        if missing <= 0:
            continue
        conflicts = conflicts_for(expression)
        candidates = sorted(
            (member for member in pool if member.user_id not in taken),
            key=lambda member: loads.get(member.user_id, 0),
        )
        for member in candidates:
            if missing == 0:
                break
            if member.max_load is not None and loads.get(member.user_id, 0) >= member.max_load:
                continue
            if member.user_id in conflicts:
                for conflict in conflicts[member.user_id]:
                    key = (expression.pk, member.user_id, conflict.rule, conflict.organisation_id)
                    if key in skipped:
                        continue
                    skipped.add(key)
                    _log_conflict(
                        expression,
                        stage=stage,
                        reviewer_id=member.user_id,
                        conflict=conflict,
                        action=ConflictAction.SKIPPED,
                        by=by,
                    )
                    report.skipped_conflicts += 1
                continue
            try:
                _create_assignment(
                    expression,
                    stage=stage,
                    reviewer=member.user,
                    source=AssignmentSource.AUTO,
                    by=by,
                )
            except ValidationError:
                # Assigned by hand meanwhile: the expression has this reviewer all the same.
                missing -= 1
                continue
            loads[member.user_id] = loads.get(member.user_id, 0) + 1
            report.created += 1
            missing -= 1
        if missing > 0:
            report.short.append(expression.title)
    log_action(
        call,
        "review.auto_assigned",
        actor=by,
        data={"stage": stage, "per_expression": per_expression, "created": report.created},
    )
    return report


def assign_reviewer(expression, *, stage, reviewer, by):
    """Assign one pool member by hand; a conflict of interest refuses it, and is logged."""
    with transaction.atomic():
        expression = (
            ExpressionOfInterest.objects.select_for_update(of=("self",))
            .select_related("call", "lead")
            .get(pk=expression.pk)
        )
        _check_stage(expression.call, stage)
        _ensure_reviewable(expression, stage)
        member = CallReviewer.objects.filter(call=expression.call, user=reviewer).first()
        if member is None or member.is_moderator or not (reviewer.is_staff and reviewer.is_active):
            raise ValidationError(
                {"reviewer": _("%(name)s is not a reviewer of this call.") % {"name": reviewer}},
                code="not_in_pool",
            )
        if ReviewAssignment.objects.filter(
            expression=expression, stage=stage, reviewer=reviewer
        ).exists():
            raise _already_reviews(reviewer)
        conflicts = conflicts_for(expression).get(reviewer.pk, [])
        if not conflicts:
            return _create_assignment(
                expression, stage=stage, reviewer=reviewer, source=AssignmentSource.MANUAL, by=by
            )
        # The refusal is part of the record: it is logged and committed before the error.
        for conflict in conflicts:
            _log_conflict(
                expression,
                stage=stage,
                reviewer_id=reviewer.pk,
                conflict=conflict,
                action=ConflictAction.REFUSED,
                by=by,
            )
    raise ValidationError(
        {
            "reviewer": _("%(name)s has a conflict of interest: %(conflicts)s.")
            % {"name": reviewer, "conflicts": "; ".join(c.message for c in conflicts)}
        },
        code="conflict",
    )


@transaction.atomic
def unassign(assignment, *, by):
    """Withdraw an assignment whose review is not submitted yet."""
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.is_submitted:
        raise ValidationError(_("A submitted review stays in the record."), code="submitted")
    log_action(
        assignment.expression,
        "review.unassigned",
        actor=by,
        data={"reviewer": assignment.reviewer_id, "stage": assignment.stage},
    )
    assignment.delete()


# Scoring


def parse_score(value):
    """A score from 0 to 5 in steps of 0.5, or None for an empty field."""
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(_("A score is a number from 0 to 5.")) from None
    if not score.is_finite() or not 0 <= score <= SCORE_MAX or score % SCORE_STEP:
        raise ValidationError(_("A score is a number from 0 to 5 in steps of 0.5."))
    return score


def _clean_scores(scores, criteria):
    by_id = {criterion.pk: criterion for criterion in criteria}
    unknown = set(scores) - set(by_id)
    if unknown:
        raise ValidationError(_("These criteria are not scored at this stage."), code="unknown")
    return {
        pk: (parse_score(score), (comment or "").strip()) for pk, (score, comment) in scores.items()
    }


@transaction.atomic
def save_review(review, *, scores, expected_version, by):
    """Save a reviewer's draft scores ({criterion id: (score, comment)}).

    Refused with StaleVersion when the review changed since `expected_version` was read. A
    save that changes nothing is no change at all: it keeps the version, whatever its age.
    """
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("assignment__expression__call")
        .get(pk=review.pk)
    )
    assignment = review.assignment
    if assignment.reviewer_id != by.pk:
        raise ValidationError(_("Only the assigned reviewer can score this."), code="not_reviewer")
    if review.is_submitted:
        raise ValidationError(_("This review is submitted and can no longer change."))
    cleaned = _clean_scores(scores, _criteria(assignment.expression.call, assignment.stage))
    saved = {s.criterion_id: (s.score, s.comment) for s in review.scores.all()}
    changed = {pk: value for pk, value in cleaned.items() if saved.get(pk, (None, "")) != value}
    if not changed:
        return review
    if review.version != expected_version:
        raise StaleVersion()
    for criterion_id, (score, comment) in changed.items():
        ReviewScore.objects.update_or_create(
            review=review, criterion_id=criterion_id, defaults={"score": score, "comment": comment}
        )
    review.version += 1
    review.save(update_fields=["version", "updated_at"])
    log_action(review, "review.saved", actor=by, data={"version": review.version})
    return review


@transaction.atomic
def submit_review(review, *, by):
    """Submit a complete review: every criterion scored and commented. It is final."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("assignment__expression__call")
        .get(pk=review.pk)
    )
    assignment = review.assignment
    if assignment.reviewer_id != by.pk:
        raise ValidationError(_("Only the assigned reviewer can submit this."))
    ensure_transition(
        REVIEW_TRANSITIONS, current=review.state, to=ReviewState.SUBMITTED, choices=ReviewState
    )
    saved = {s.criterion_id: s for s in review.scores.all()}
    missing = [
        criterion.name
        for criterion in _criteria(assignment.expression.call, assignment.stage)
        if criterion.pk not in saved
        or saved[criterion.pk].score is None
        or not saved[criterion.pk].comment
    ]
    if missing:
        raise ValidationError(
            _("Give a score and a comment for every criterion before submitting: %(names)s.")
            % {"names": ", ".join(missing)},
            code="incomplete",
        )
    review.state = ReviewState.SUBMITTED
    review.submitted_at = timezone.now()
    review.version += 1
    review.save(update_fields=["state", "submitted_at", "version", "updated_at"])
    log_action(review, "review.submitted", actor=by)
    return review


@transaction.atomic
def set_consensus(expression, *, stage, scores, expected_versions, by):
    """The moderator's consensus ({criterion id: (score, comment)}) once every review is in.

    `expected_versions` holds each criterion's consensus version as the form showed it (0 for
    none yet); a newer one on any criterion refuses the whole save with StaleVersion.
    """
    expression = (
        ExpressionOfInterest.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=expression.pk)
    )
    reviews = Review.objects.filter(assignment__expression=expression, assignment__stage=stage)
    if not reviews.filter(state=ReviewState.SUBMITTED).exists():
        raise ValidationError(_("The consensus waits for at least one submitted review."))
    if reviews.exclude(state=ReviewState.SUBMITTED).exists():
        raise ValidationError(
            _("Some reviews are not submitted yet; the consensus comes after all of them."),
            code="reviews_open",
        )
    criteria = _criteria(expression.call, stage)
    cleaned = _clean_scores(scores, criteria)
    current = {
        c.criterion_id: c
        for c in ConsensusScore.objects.select_for_update(of=("self",)).filter(
            expression=expression, criterion__in=criteria
        )
    }
    for criterion in criteria:
        version = current[criterion.pk].version if criterion.pk in current else 0
        if expected_versions.get(criterion.pk, 0) != version:
            raise StaleVersion()
    if any(score is None or not comment for score, comment in cleaned.values()):
        raise ValidationError(
            _("Give a consensus score and a comment for every criterion you fill in."),
            code="incomplete",
        )
    for criterion_id, (score, comment) in cleaned.items():
        consensus = current.get(criterion_id)
        if consensus is None:
            ConsensusScore.objects.create(
                expression=expression,
                criterion_id=criterion_id,
                score=score,
                comment=comment,
                by=by,
            )
        elif (consensus.score, consensus.comment) != (score, comment):
            consensus.score, consensus.comment, consensus.by = score, comment, by
            consensus.version += 1
            consensus.save()
    log_action(
        expression,
        "review.consensus",
        actor=by,
        data={"stage": stage, "scores": {str(k): str(v[0]) for k, v in cleaned.items()}},
    )
    return expression


# Decisions and the outbox


def outcomes_for(call, stage):
    """The verdicts a review at `stage` may reach."""
    return SCREENING_OUTCOMES if stage == 1 and call.is_two_stage else FINAL_OUTCOMES


@transaction.atomic
def record_decision(expression, *, stage, outcome, by, reason=""):
    """Record (or change) the pending verdict on one expression at one stage."""
    # The expression's lock makes a second verdict at the same moment change the first one
    # instead of inserting a duplicate.
    expression = (
        ExpressionOfInterest.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=expression.pk)
    )
    _check_stage(expression.call, stage)
    _ensure_reviewable(expression, stage)
    if outcome not in outcomes_for(expression.call, stage):
        raise ValidationError(
            {
                "outcome": _("“%(outcome)s” is not a verdict of this stage.")
                % {"outcome": ExpressionState(outcome).label}
            },
            code="invalid_outcome",
        )
    ensure_transition(
        EXPRESSION_TRANSITIONS, current=expression.state, to=outcome, choices=ExpressionState
    )
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .filter(expression=expression, stage=stage)
        .first()
    )
    if decision is not None and decision.state != DecisionState.PENDING:
        raise ValidationError(_("This decision is released and final."), code="released")
    if decision is None:
        decision = Decision(expression=expression, stage=stage)
    decision.outcome = outcome
    decision.reason = (reason or "").strip()
    decision.recorded_by = by
    decision.save()
    log_action(
        expression,
        "review.decision_recorded",
        actor=by,
        data={"stage": stage, "outcome": outcome},
    )
    return decision


def proposed_outcome(call, stage, row):
    """The verdict the ranking suggests for one row."""
    if stage == 1 and call.is_two_stage:
        return ExpressionState.STAGE1_PASSED if row.passed else ExpressionState.STAGE1_REJECTED
    if not row.passed:
        return ExpressionState.REJECTED
    return ExpressionState.SELECTED if row.within_budget else ExpressionState.RESERVE


@transaction.atomic
def propose_decisions(call, *, stage, ranking, by):
    """Pending decisions from the ranking (of queries.stage_ranking) for every complete row
    that has none yet."""
    decided = set(
        Decision.objects.filter(expression__call=call, stage=stage).values_list(
            "expression_id", flat=True
        )
    )
    created = 0
    for row in ranking.rows:
        if not row.complete or row.id in decided:
            continue
        record_decision(
            row.expression,
            stage=stage,
            outcome=proposed_outcome(call, stage, row),
            by=by,
        )
        created += 1
    return created


def _consortium_managers(expression):
    organisation_ids = [
        expression.lead_id,
        *expression.partners.filter(state=PartnerState.CONFIRMED).values_list(
            "organisation_id", flat=True
        ),
    ]
    memberships = (
        OrganisationMembership.objects.filter(
            organisation_id__in=organisation_ids, user__is_active=True
        )
        .select_related("user")
        .order_by("user__email", "user_id")
    )
    seen, users = set(), []
    for membership in memberships:
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            users.append(membership.user)
    return users


@transaction.atomic
def release_decisions(call, *, stage, by):
    """Apply every pending decision of the stage together and write the e-mails to the outbox.

    All or nothing: if one verdict can no longer be applied, none is. A selected consortium
    becomes a strategic partnership.
    """
    from partnerships.services.partnership import start_partnership

    decisions = list(
        Decision.objects.select_for_update(of=("self",))
        .filter(expression__call=call, stage=stage, state=DecisionState.PENDING)
        .select_related("expression", "expression__call")
        .order_by("expression__title", "id")
    )
    if not decisions:
        raise ValidationError(_("There are no pending decisions to release."), code="none")
    now = timezone.now()
    for decision in decisions:
        ensure_transition(
            DECISION_TRANSITIONS,
            current=decision.state,
            to=DecisionState.RELEASED,
            choices=DecisionState,
        )
        expression = decide_expression(
            decision.expression, to=decision.outcome, by=by, reason=decision.reason
        )
        decision.state = DecisionState.RELEASED
        decision.released_at = now
        decision.released_by = by
        decision.save(update_fields=["state", "released_at", "released_by"])
        if decision.outcome == ExpressionState.SELECTED:
            start_partnership(expression=expression, by=by)
        context = {
            "expression": expression,
            "call": call,
            "decision": decision,
            "outcome": ExpressionState(decision.outcome).label,
            "url": absolute(expression.get_absolute_url()),
        }
        subject = single_line(
            _("ClusterPortal: decision on “%(title)s”") % {"title": expression.title}
        )
        for user in _consortium_managers(expression):
            OutboxMessage.objects.create(
                to=user.email,
                recipient=user,
                subject=subject,
                body=render_to_string(
                    "partnerships/email/review_decision.txt", {**context, "recipient": user}
                ),
                expression=expression,
                decision=decision,
            )
    log_action(
        call, "review.decisions_released", actor=by, data={"stage": stage, "count": len(decisions)}
    )
    return decisions


@transaction.atomic
def send_outbox(messages, *, by):
    """Send the pending messages among `messages`; each goes out once, after commit."""
    ids = [message.pk for message in messages]
    pending = list(
        OutboxMessage.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, state=OutboxState.PENDING)
        .select_related("expression")
        .order_by("id")
    )
    now = timezone.now()
    for message in pending:
        ensure_transition(
            OUTBOX_TRANSITIONS, current=message.state, to=OutboxState.SENT, choices=OutboxState
        )
        message.state = OutboxState.SENT
        message.sent_at = now
        message.sent_by = by
        message.save(update_fields=["state", "sent_at", "sent_by"])
        queue_email(
            subject=message.subject,
            template="partnerships/email/outbox_message.txt",
            context={"body": message.body},
            recipients=[message.to],
        )
        log_action(
            message.expression, "review.message_sent", actor=by, data={"message": message.pk}
        )
    return len(pending)
