"""One check for every declared state machine in the portal."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def allowed_targets(transitions, current):
    return transitions.get(current, set())


def ensure_transition(transitions, *, current, to, choices):
    """Raise a readable ValidationError unless `transitions` allows `current` -> `to`."""
    if to not in allowed_targets(transitions, current):
        raise ValidationError(
            _("This cannot move from “%(current)s” to “%(to)s”.")
            % {"current": choices(current).label, "to": choices(to).label},
            code="invalid_transition",
        )
