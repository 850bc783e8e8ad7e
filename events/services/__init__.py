"""Every write in the events app: registrations, meeting requests, bookings, follow-ups."""

from events.services.booking import (
    TABLE_ATTEMPTS,
    BookingConflict,
    book_slot,
    generate_slots,
    move_meeting,
    run_scheduler,
)
from events.services.expiry import expire_requests, remind_expiring_requests
from events.services.follow_up import rate_meeting, report_outcome
from events.services.meetings import (
    answer_meeting,
    cancel_meeting,
    check_proposals,
    propose_times,
    request_meeting,
)
from events.services.organising import (
    add_organiser,
    answer_meeting_for,
    check_in,
    check_windows,
    create_event,
    mark_no_show,
    remove_organiser,
    request_meeting_for,
    send_mailing,
    update_event,
)
from events.services.registrations import (
    decide_registration,
    register,
    renew_calendar_token,
    revoke_calendar_token,
    set_availability,
    set_preference,
)

__all__ = [
    "TABLE_ATTEMPTS",
    "BookingConflict",
    "add_organiser",
    "answer_meeting_for",
    "check_in",
    "check_windows",
    "create_event",
    "mark_no_show",
    "remove_organiser",
    "request_meeting_for",
    "send_mailing",
    "update_event",
    "answer_meeting",
    "book_slot",
    "cancel_meeting",
    "check_proposals",
    "decide_registration",
    "expire_requests",
    "generate_slots",
    "move_meeting",
    "propose_times",
    "rate_meeting",
    "register",
    "remind_expiring_requests",
    "renew_calendar_token",
    "revoke_calendar_token",
    "report_outcome",
    "request_meeting",
    "run_scheduler",
    "set_availability",
    "set_preference",
]
