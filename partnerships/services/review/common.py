"""What every step of the review shares: the score step, stale saves and the staff check."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partnerships.queries import stage_criteria
from partnerships.rules import is_commission_staff

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


def _require_staff(user):
    if not is_commission_staff(user):
        raise ValidationError(_("Only Commission staff can review calls."), code="not_staff")


def _check_stage(call, stage):
    if not call.stages.filter(number=stage).exists():
        raise ValidationError(_("This call has no stage %(n)d.") % {"n": stage}, code="no_stage")


def _criteria(call, stage):
    return list(stage_criteria(call, stage))
