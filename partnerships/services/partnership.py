"""Writes to strategic partnerships: founding from a selected consortium, phases, milestones."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import page_cache
from partnerships.enums import (
    PARTNERSHIP_TRANSITIONS,
    ExpressionState,
    PartnershipPhase,
    PartnerState,
)
from partnerships.models import (
    ExpressionOfInterest,
    PartnershipMember,
    PartnershipMilestone,
    PartnershipOutcome,
    StrategicPartnership,
)
from partnerships.services.audit import log_action
from partnerships.statemachine import ensure_transition

PHASE_ORDER = {phase: index for index, phase in enumerate(PartnershipPhase.values)}


def _today():
    return timezone.localdate()


@transaction.atomic
def start_partnership(*, expression, by, funded=True, started_on=None):
    """Found the partnership of a selected consortium, or return the one it already has.

    The lead becomes the coordinator and every confirmed partner a member; the partnership
    starts in its preparatory phase.
    """
    expression = (
        ExpressionOfInterest.objects.select_for_update()
        .select_related("call")
        .get(pk=expression.pk)
    )
    existing = StrategicPartnership.objects.filter(expression=expression).first()
    if existing is not None:
        return existing
    if expression.state != ExpressionState.SELECTED:
        raise ValidationError(
            _("Only a selected consortium becomes a partnership; this one is “%(state)s”.")
            % {"state": expression.get_state_display()},
            code="not_selected",
        )
    partnership = StrategicPartnership(
        call=expression.call,
        expression=expression,
        name=expression.title,
        summary=expression.objectives,
        phase=PartnershipPhase.PREPARATORY,
        funded=funded,
        started_on=started_on or _today(),
    )
    partnership.full_clean(exclude=["expression"])
    partnership.save()
    partner_ids = expression.partners.filter(state=PartnerState.CONFIRMED).values_list(
        "organisation_id", flat=True
    )
    PartnershipMember.objects.bulk_create(
        [
            PartnershipMember(
                partnership=partnership, organisation_id=expression.lead_id, is_coordinator=True
            )
        ]
        + [
            PartnershipMember(partnership=partnership, organisation_id=organisation_id)
            for organisation_id in partner_ids
            if organisation_id != expression.lead_id
        ]
    )
    log_action(
        partnership,
        "partnership.started",
        actor=by,
        data={"expression": expression.pk, "call": expression.call_id, "funded": funded},
    )
    return partnership


@transaction.atomic
def advance_phase(*, partnership, by, to=None):
    """Move the partnership to its next phase (or to `to`, when the table allows it)."""
    partnership = StrategicPartnership.objects.select_for_update().get(pk=partnership.pk)
    if to is None:
        following = sorted(PARTNERSHIP_TRANSITIONS.get(partnership.phase, ()), key=PHASE_ORDER.get)
        if not following:
            raise ValidationError(
                _("This partnership is already in its last phase (%(phase)s).")
                % {"phase": partnership.get_phase_display()},
                code="last_phase",
            )
        to = following[0]
    if to not in PartnershipPhase.values:
        raise ValidationError(_("Choose one of the partnership phases."), code="invalid_phase")
    ensure_transition(
        PARTNERSHIP_TRANSITIONS, current=partnership.phase, to=to, choices=PartnershipPhase
    )
    previous = partnership.phase
    partnership.phase = to
    partnership.save(update_fields=["phase", "updated_at"])
    log_action(
        partnership, "partnership.phase_changed", actor=by, data={"from": previous, "to": to}
    )
    page_cache.bump_on_commit(page_cache.partnership_scope(partnership.pk))
    return partnership


@transaction.atomic
def add_milestone(*, partnership, phase, title, due_on, by):
    """Plan a milestone of one phase of the partnership."""
    milestone = PartnershipMilestone(
        partnership=partnership, phase=phase, title=title.strip(), due_on=due_on
    )
    milestone.full_clean(exclude=["partnership"])
    milestone.save()
    log_action(
        partnership,
        "partnership.milestone_added",
        actor=by,
        data={"milestone": milestone.pk, "title": milestone.title, "phase": phase},
    )
    page_cache.bump_on_commit(page_cache.partnership_scope(partnership.pk))
    return milestone


def ensure_reachable(*, phase, current, reached_on):
    """Refuse a milestone reached ahead of its phase or on a day still to come."""
    if PHASE_ORDER[phase] > PHASE_ORDER[current]:
        raise ValidationError(
            _("This milestone belongs to the %(phase)s phase, which has not started yet.")
            % {"phase": PartnershipPhase(phase).label},
            code="phase_not_started",
        )
    if reached_on > _today():
        raise ValidationError({"reached_on": _("A milestone cannot be reached in the future.")})


@transaction.atomic
def reach_milestone(*, milestone, by, reached_on=None):
    """Mark a milestone reached; only one of the current or an earlier phase, never ahead."""
    milestone = (
        PartnershipMilestone.objects.select_for_update()
        .select_related("partnership")
        .get(pk=milestone.pk)
    )
    reached_on = reached_on or _today()
    if milestone.reached_on is not None:
        raise ValidationError(
            _("This milestone was already reached on %(date)s.")
            % {"date": milestone.reached_on.isoformat()},
            code="already_reached",
        )
    ensure_reachable(
        phase=milestone.phase, current=milestone.partnership.phase, reached_on=reached_on
    )
    milestone.reached_on = reached_on
    milestone.save(update_fields=["reached_on"])
    log_action(
        milestone.partnership,
        "partnership.milestone_reached",
        actor=by,
        data={"milestone": milestone.pk, "reached_on": reached_on.isoformat()},
    )
    page_cache.bump_on_commit(page_cache.partnership_scope(milestone.partnership_id))
    return milestone


def ensure_not_future(day, *, field):
    if isinstance(day, dt.date) and day > _today():
        raise ValidationError({field: _("This date is still to come.")})


@transaction.atomic
def add_outcome(*, partnership, kind, description, achieved_on, by, amount=None):
    """Record what the partnership has achieved (a strategy, an agreement, an investment...)."""
    ensure_not_future(achieved_on, field="achieved_on")
    outcome = PartnershipOutcome(
        partnership=partnership,
        kind=kind,
        description=description.strip(),
        achieved_on=achieved_on,
        amount=amount,
    )
    outcome.full_clean(exclude=["partnership"])
    outcome.save()
    log_action(
        partnership,
        "partnership.outcome_added",
        actor=by,
        data={"outcome": outcome.pk, "kind": kind, "amount": str(amount) if amount else None},
    )
    page_cache.bump_on_commit(page_cache.partnership_scope(partnership.pk))
    return outcome


PARTNERSHIP_FIELDS = ("name", "acronym", "summary", "funded", "started_on", "ends_on", "website")


@transaction.atomic
def update_partnership(*, partnership, by, **fields):
    """Change what a partnership page says about it; the phase moves only by advance_phase."""
    unknown = set(fields) - set(PARTNERSHIP_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    partnership = StrategicPartnership.objects.select_for_update().get(pk=partnership.pk)
    for name, value in fields.items():
        setattr(partnership, name, value)
    partnership.full_clean(exclude=["expression"])
    partnership.save()
    log_action(partnership, "partnership.updated", actor=by, data={"fields": sorted(fields)})
    page_cache.bump_on_commit(page_cache.partnership_scope(partnership.pk))
    return partnership
