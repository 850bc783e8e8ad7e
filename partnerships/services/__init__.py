"""Every write in the partnerships app goes through a function of this package.

One module per subject; the names are re-exported so callers write `services.create_...`.
"""

from partnerships.services.audit import log_action
from partnerships.services.call import (
    add_criterion,
    change_call_state,
    create_call,
    set_stage,
    update_call,
)
from partnerships.services.expression import (
    EXPRESSION_FIELDS,
    add_attachment,
    decide_expression,
    invite_partner,
    respond_to_partnership,
    stage_deadline,
    start_expression,
    submission_findings,
    submit_expression,
    update_expression,
    withdraw_expression,
)
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
    "EXPRESSION_FIELDS",
    "PROFILE_M2M_FIELDS",
    "absolute",
    "accept_invitation",
    "add_attachment",
    "add_criterion",
    "add_member",
    "change_call_state",
    "change_validation_state",
    "confirm_programme",
    "create_call",
    "create_organisation",
    "decide_expression",
    "decide_validation",
    "invite_member",
    "invite_partner",
    "log_action",
    "mark_for_rescoring",
    "queue_email",
    "record_label",
    "respond_to_partnership",
    "set_stage",
    "stage_deadline",
    "start_expression",
    "submission_findings",
    "submit_expression",
    "submit_for_validation",
    "transfer_ownership",
    "update_call",
    "update_expression",
    "update_organisation",
    "withdraw_expression",
]
