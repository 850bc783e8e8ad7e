from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/calendar/", views.EventCalendarView.as_view(), name="event-calendar"),
    path("events/feed.ics", views.events_feed, name="event-feed"),
    path("events/mine/", views.MyEventsView.as_view(), name="my-events"),
    path("events/organise/", views.WorkspaceView.as_view(), name="workspace"),
    path("events/organise/new/", views.EventCreateView.as_view(), name="event-create"),
    path("events/<int:pk>/organise/", views.EventEditView.as_view(), name="event-edit"),
    path(
        "events/<int:pk>/organise/organisers/",
        views.EventOrganisersView.as_view(),
        name="event-organisers",
    ),
    path(
        "events/<int:pk>/organise/organisers/<int:role>/remove/",
        views.EventOrganiserRemoveView.as_view(),
        name="event-organiser-remove",
    ),
    path(
        "events/<int:pk>/organise/participants/",
        views.WorkspaceParticipantsView.as_view(),
        name="workspace-participants",
    ),
    path(
        "events/<int:pk>/organise/participants.csv",
        views.ParticipantsExportView.as_view(fmt="csv"),
        name="participants-csv",
    ),
    path(
        "events/<int:pk>/organise/participants.xlsx",
        views.ParticipantsExportView.as_view(fmt="xlsx"),
        name="participants-xlsx",
    ),
    path(
        "events/<int:pk>/organise/participants/<int:registration>/decide/",
        views.WorkspaceDecisionView.as_view(),
        name="workspace-decide",
    ),
    path(
        "events/<int:pk>/organise/participants/<int:registration>/act/",
        views.ActForView.as_view(),
        name="act-for",
    ),
    path(
        "events/<int:pk>/organise/participants/<int:registration>/act/answer/<int:meeting>/",
        views.ActForAnswerView.as_view(),
        name="act-for-answer",
    ),
    path("events/<int:pk>/badge/", views.BadgeView.as_view(), name="badge"),
    path("events/<int:pk>/badge.svg", views.BadgeQRView.as_view(), name="badge-qr"),
    path("events/<int:pk>/organise/check-in/", views.CheckInView.as_view(), name="check-in"),
    path("events/<int:pk>/organise/mailing/", views.MailingView.as_view(), name="mailing"),
    path("events/<int:pk>/organise/dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path(
        "events/<int:pk>/organise/meetings/<int:meeting>/no-show/",
        views.MeetingNoShowView.as_view(),
        name="meeting-no-show",
    ),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("events/<int:pk>/event.ics", views.event_feed, name="event-ics"),
    path("events/<int:pk>/register/", views.RegisterView.as_view(), name="event-register"),
    path(
        "events/<int:pk>/participants/",
        views.ParticipantListView.as_view(),
        name="participant-list",
    ),
    path(
        "events/<int:pk>/participants/<int:registration>/request/",
        views.MeetingRequestView.as_view(),
        name="meeting-request",
    ),
    path(
        "events/<int:pk>/participants/<int:registration>/preference/",
        views.PreferenceView.as_view(),
        name="preference",
    ),
    path("events/<int:pk>/schedule/", views.ScheduleRunView.as_view(), name="schedule-run"),
    path("events/<int:pk>/agenda/", views.AgendaView.as_view(), name="agenda"),
    path("events/<int:pk>/agenda.ics", views.AgendaFeedView.as_view(), name="agenda-ics"),
    path("events/<int:pk>/availability/", views.AvailabilityView.as_view(), name="availability"),
    path(
        "events/<int:pk>/agenda/feed-key/",
        views.CalendarFeedKeyView.as_view(),
        name="agenda-feed-key",
    ),
    path("events/agenda/<str:token>.ics", views.agenda_subscription, name="agenda-subscription"),
    path("events/<int:pk>/agenda/print/", views.AgendaPrintView.as_view(), name="agenda-print"),
    path("events/<int:pk>/suggestions/", views.SuggestionsView.as_view(), name="suggestions"),
    path("events/<int:pk>/statistics/", views.EventStatisticsView.as_view(), name="statistics"),
    path("events/<int:pk>/meetings/", views.EventMeetingsView.as_view(), name="event-meetings"),
    path(
        "events/registrations/<int:pk>/decide/",
        views.RegistrationDecisionView.as_view(),
        name="registration-decide",
    ),
    path(
        "events/meetings/<int:pk>/answer/", views.MeetingAnswerView.as_view(), name="meeting-answer"
    ),
    path(
        "events/meetings/<int:pk>/cancel/", views.MeetingCancelView.as_view(), name="meeting-cancel"
    ),
    path(
        "events/meetings/<int:pk>/propose/",
        views.MeetingProposeView.as_view(),
        name="meeting-propose",
    ),
    path("events/meetings/<int:pk>/book/", views.MeetingBookView.as_view(), name="meeting-book"),
    path("events/meetings/<int:pk>/move/", views.MeetingMoveView.as_view(), name="meeting-move"),
    path(
        "events/meetings/<int:pk>/follow-up/",
        views.MeetingFollowUpView.as_view(),
        name="meeting-follow-up",
    ),
]
