"""The events app's pages, one module per audience and job."""

from events.views.agenda import AgendaFeedView, AgendaPrintView, AgendaView, MyEventsView
from events.views.listing import (
    EVENTS_PER_PAGE,
    EventCalendarView,
    EventDetailView,
    EventListView,
    event_feed,
    events_feed,
)
from events.views.meetings import (
    MeetingAnswerView,
    MeetingBookView,
    MeetingCancelView,
    MeetingFollowUpView,
)
from events.views.organiser import (
    EventMeetingsView,
    EventStatisticsView,
    MeetingMoveView,
    ScheduleRunView,
)
from events.views.participation import (
    MeetingRequestView,
    ParticipantListView,
    PreferenceView,
    RegisterView,
    RegistrationDecisionView,
    SuggestionsView,
)

__all__ = [
    "AgendaFeedView",
    "AgendaPrintView",
    "AgendaView",
    "MyEventsView",
    "EVENTS_PER_PAGE",
    "EventCalendarView",
    "EventDetailView",
    "EventListView",
    "EventMeetingsView",
    "EventStatisticsView",
    "MeetingAnswerView",
    "MeetingBookView",
    "MeetingCancelView",
    "MeetingFollowUpView",
    "MeetingMoveView",
    "MeetingRequestView",
    "ParticipantListView",
    "PreferenceView",
    "RegisterView",
    "RegistrationDecisionView",
    "ScheduleRunView",
    "SuggestionsView",
    "event_feed",
    "events_feed",
]
