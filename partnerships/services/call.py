"""Writes to calls for partnerships: staff create, schedule and move them through states."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships import page_cache
from partnerships.enums import CALL_TRANSITIONS, CallState
from partnerships.integrity import save_checked
from partnerships.models import Call, CallStage, EvaluationCriterion
from partnerships.services.audit import log_action, signed_in
from partnerships.statemachine import ensure_transition

CALL_M2M_FIELDS = ("sectoral_industries", "emerging_industries", "policy_objectives")


def _apply(call, fields):
    relations = {name: fields.pop(name) for name in CALL_M2M_FIELDS if name in fields}
    for name, value in fields.items():
        setattr(call, name, value)
    call.eligible_types = sorted(set(call.eligible_types or []))
    call.full_clean(exclude=list(CALL_M2M_FIELDS))
    save_checked(call)
    for name, values in relations.items():
        getattr(call, name).set(values)
    return sorted(fields) + sorted(relations)


@transaction.atomic
def create_call(*, by, stages=(), criteria=(), **fields):
    """Create a draft call with its stages ({number, deadline, title}) and criteria."""
    call = Call(state=CallState.DRAFT, created_by=signed_in(by))
    _apply(call, dict(fields))
    for stage in stages:
        set_stage(call, by=by, **stage)
    for criterion in criteria:
        add_criterion(call, by=by, **criterion)
    log_action(call, "call.created", actor=by)
    return call


@transaction.atomic
def update_call(call, *, by, **fields):
    """Change a call's text, rules or themes; the state moves only through change_call_state."""
    if "state" in fields:
        raise ValidationError(_("Change the state of a call through its actions."))
    changed = _apply(call, dict(fields))
    log_action(call, "call.updated", actor=by, data={"fields": changed})
    page_cache.bump_on_commit(page_cache.CALLS)
    return call


@transaction.atomic
def set_stage(call, *, number, deadline, by, title=""):
    """Create or reschedule stage `number` (1 or 2); deadlines are stored time-zone aware."""
    if timezone.is_naive(deadline):
        raise ValidationError({"deadline": _("Give the deadline with its time zone.")})
    if number == 2 and not call.stages.filter(number=1).exists():
        raise ValidationError(_("A call needs a first stage before a second one."))
    stage = CallStage.objects.filter(call=call, number=number).first() or CallStage(
        call=call, number=number
    )
    stage.deadline = deadline
    stage.title = title
    stage.full_clean(exclude=["call"])
    first = call.stages.filter(number=1).exclude(pk=stage.pk).first()
    if number == 2 and first and deadline <= first.deadline:
        raise ValidationError({"deadline": _("Stage 2 must close after stage 1.")})
    save_checked(stage)
    log_action(call, "call.stage_set", actor=by, data={"stage": number, "deadline": str(deadline)})
    page_cache.bump_on_commit(page_cache.CALLS)
    return stage


@transaction.atomic
def add_criterion(call, *, name, by, stage=1, weight=1, pass_mark=3, description="", order=None):
    """Add an evaluation criterion scored 0-5 with its weight and pass mark."""
    criterion = EvaluationCriterion(
        call=call,
        stage=stage,
        name=name,
        description=description,
        weight=weight,
        pass_mark=pass_mark,
        order=call.criteria.count() if order is None else order,
    )
    criterion.full_clean(exclude=["call"])
    save_checked(criterion)
    log_action(call, "call.criterion_added", actor=by, data={"criterion": name, "stage": stage})
    return criterion


@transaction.atomic
def change_call_state(call, *, to, by):
    """Open, close, evaluate or decide a call; opening needs a first stage still to come."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    ensure_transition(CALL_TRANSITIONS, current=call.state, to=to, choices=CallState)
    if to == CallState.OPEN:
        first = call.stages.filter(number=1).first()
        if first is None:
            raise ValidationError(
                _("Give the call a first stage with its deadline before opening it.")
            )
        if not call.criteria.exists():
            raise ValidationError(_("Give the call its evaluation criteria before opening it."))
        last = call.stages.order_by("-number").first()
        if last.is_past():
            raise ValidationError(_("Every deadline of this call has passed; move one first."))
    previous = call.state
    call.state = to
    call.save(update_fields=["state", "updated_at"])
    log_action(call, f"call.{to}", actor=by, data={"from": previous, "to": to})
    page_cache.bump_on_commit(page_cache.CALLS)
    return call
