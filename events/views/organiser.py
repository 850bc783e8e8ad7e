"""The organiser's pages: the scheduler run, all meetings with their moves, statistics."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from events import services
from events.forms import MeetingMoveForm
from events.models import Meeting
from events.queries import event_meetings, event_statistics
from events.views.mixins import EventMixin, report_refusal


class ScheduleRunView(EventMixin, LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "events.manage_event"

    def post(self, request, pk):
        try:
            result = services.run_scheduler(self.event, by=request.user)
        except ValidationError as error:
            report_refusal(request, error)
        else:
            messages.success(
                request,
                _("Schedule made: %(placed)s meetings in slots, %(unplaced)s could not be placed.")
                % {"placed": len(result.placements), "unplaced": len(result.unplaced)},
            )
        return redirect("events:participant-list", pk=self.event.pk)


class EventMeetingsView(EventMixin, LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "events.manage_event"
    template_name = "events/event_meetings.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event,
            meetings=event_meetings(self.event),
            slots=list(self.event.slots.select_related("event")),
            **kwargs,
        )


class MeetingMoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.select_related("event"), pk=pk)
        if not request.user.has_perm("events.manage_event", meeting.event):
            raise Http404
        form = MeetingMoveForm(request.POST, event=meeting.event)
        if form.is_valid():
            try:
                services.move_meeting(
                    meeting,
                    slot=form.cleaned_data["slot"],
                    table=form.cleaned_data["table"],
                    by=request.user,
                )
            except ValidationError as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("The meeting is moved; both people are told."))
        else:
            messages.error(
                request,
                " ".join(
                    f"{form.fields[name].label}: {error}"
                    for name, errors in form.errors.items()
                    for error in errors
                ),
            )
        return redirect("events:event-meetings", pk=meeting.event_id)


class EventStatisticsView(EventMixin, LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "events.view_statistics"
    template_name = "events/event_statistics.html"

    def get_context_data(self, **kwargs):
        figures = event_statistics(self.event)
        funnel = [
            {"label": label, "value": figures[name]}
            for name, label in (
                ("approved", _("Approved participants")),
                ("requests", _("Meeting requests")),
                ("accepted", _("Accepted")),
                ("scheduled", _("Scheduled")),
                ("held", _("Held")),
                ("agreements", _("Agreements")),
            )
        ]
        return super().get_context_data(
            event=self.event,
            figures=figures,
            funnel=funnel,
            funnel_max=max(max(row["value"] for row in funnel), 1),
            **kwargs,
        )
