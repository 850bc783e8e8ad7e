"""The events app's pages, one module per audience and job."""

from events.views.agenda import AgendaFeedView, AgendaPrintView, AgendaView, MyEventsView
from events.views.availability import AvailabilityView, CalendarFeedKeyView, agenda_subscription
from events.views.check_in import BadgeQRView, BadgeView, CheckInView
from events.views.dashboard import DashboardView, MeetingNoShowView
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
    MeetingProposeView,
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
from events.views.workspace import (
    EventCreateView,
    EventEditView,
    EventOrganiserRemoveView,
    EventOrganisersView,
    WorkspaceView,
)
from events.views.workspace_participants import (
    ActForAnswerView,
    ActForView,
    MailingView,
    ParticipantsExportView,
    WorkspaceDecisionView,
    WorkspaceParticipantsView,
)

__all__ = [
    "BadgeQRView",
    "BadgeView",
    "CheckInView",
    "AvailabilityView",
    "CalendarFeedKeyView",
    "agenda_subscription",
    "ActForAnswerView",
    "ActForView",
    "DashboardView",
    "EventCreateView",
    "EventEditView",
    "EventOrganiserRemoveView",
    "EventOrganisersView",
    "MailingView",
    "MeetingNoShowView",
    "ParticipantsExportView",
    "WorkspaceDecisionView",
    "WorkspaceParticipantsView",
    "WorkspaceView",
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
    "MeetingProposeView",
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
