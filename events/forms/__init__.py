"""All HTML input of the events app: the participants' forms and the organisers'."""

from events.forms.base import (
    BookingForm,
    EventFilterForm,
    MeetingAnswerForm,
    MeetingCancelForm,
    MeetingMoveForm,
    MeetingOutcomeForm,
    MeetingRatingForm,
    MeetingRequestForm,
    ParticipantFilterForm,
    PreferenceForm,
    RegistrationForm,
)
from events.forms.organising import (
    ActForRequestForm,
    DecisionForm,
    EventForm,
    MailingForm,
    NoShowForm,
    OrganiserForm,
    WorkspaceFilterForm,
    window_formset,
)

__all__ = [
    "ActForRequestForm",
    "BookingForm",
    "DecisionForm",
    "EventFilterForm",
    "EventForm",
    "MailingForm",
    "MeetingAnswerForm",
    "MeetingCancelForm",
    "MeetingMoveForm",
    "MeetingOutcomeForm",
    "MeetingRatingForm",
    "MeetingRequestForm",
    "NoShowForm",
    "OrganiserForm",
    "ParticipantFilterForm",
    "PreferenceForm",
    "RegistrationForm",
    "WorkspaceFilterForm",
    "window_formset",
]
