"""Every write in the partnerships app goes through a function of this package.

One module per subject; the names are re-exported so callers write `services.create_...`.
"""

from partnerships.services.audit import log_action
from partnerships.services.notifications import absolute, queue_email
from partnerships.services.organisation import (
    PROFILE_M2M_FIELDS,
    accept_invitation,
    add_member,
    change_validation_state,
    confirm_programme,
    create_organisation,
    decide_validation,
    invite_member,
    mark_for_rescoring,
    record_label,
    submit_for_validation,
    transfer_ownership,
    update_organisation,
)

__all__ = [
    "PROFILE_M2M_FIELDS",
    "absolute",
    "accept_invitation",
    "add_member",
    "change_validation_state",
    "confirm_programme",
    "create_organisation",
    "decide_validation",
    "invite_member",
    "log_action",
    "mark_for_rescoring",
    "queue_email",
    "record_label",
    "submit_for_validation",
    "transfer_ownership",
    "update_organisation",
]
