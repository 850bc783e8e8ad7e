"""A participant's agenda: on screen, as iCalendar and on paper; their events at a glance."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from clusterportal.origin import site_url
from events import ical
from events.forms import MeetingAnswerForm
from events.queries import agenda, booked_meetings, my_upcoming_participation, registration_of
from events.views.mixins import EventMixin


class AgendaView(LoginRequiredMixin, EventMixin, TemplateView):
    template_name = "events/agenda.html"

    def get_context_data(self, **kwargs):
        own = registration_of(self.request.user, self.event)
        if own is None:
            raise Http404
        meetings = list(agenda(self.request.user, self.event))
        for meeting in meetings:
            meeting.other = meeting.other_party(own)
            meeting.incoming = meeting.answerer_id == own.pk
            meeting.held = meeting.was_held()
        feed_url = None
        if own.calendar_token:
            path = reverse("events:agenda-subscription", args=[own.calendar_token])
            feed_url = f"{site_url()}{path}"
        return super().get_context_data(
            event=self.event,
            own=own,
            meetings=meetings,
            answer_form=MeetingAnswerForm(),
            feed_url=feed_url,
            **kwargs,
        )


class AgendaFeedView(LoginRequiredMixin, EventMixin, View):
    def get(self, request, pk):
        own = registration_of(request.user, self.event)
        if own is None:
            raise Http404
        body = ical.agenda_calendar(
            booked_meetings(request.user, self.event),
            event=self.event,
            registration=own,
            name=_("My agenda: %(event)s") % {"event": self.event.title},
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="agenda-{self.event.pk}.ics"'
        return response


class AgendaPrintView(LoginRequiredMixin, EventMixin, TemplateView):
    """The booked meetings for paper: one page per day, no navigation."""

    template_name = "events/agenda_print.html"

    def get_context_data(self, **kwargs):
        own = registration_of(self.request.user, self.event)
        if own is None:
            raise Http404
        meetings = booked_meetings(self.request.user, self.event).select_related(
            "requester__organisation__country", "recipient__organisation__country"
        )
        days = {}
        for meeting in meetings:
            meeting.other = meeting.other_party(own)
            day = timezone.localtime(meeting.slot.starts_at, self.event.zone).date()
            days.setdefault(day, []).append(meeting)
        return super().get_context_data(
            event=self.event, own=own, days=sorted(days.items()), **kwargs
        )


class MyEventsView(LoginRequiredMixin, TemplateView):
    """The events a person takes part in and their meetings there: a slot of the dashboard,
    loaded with HTMX, or a page of its own without it."""

    def get_template_names(self):
        if self.request.htmx:
            return ["events/includes/_my_events.html"]
        return ["events/my_events.html"]

    def get_context_data(self, **kwargs):
        registrations = list(my_upcoming_participation(self.request.user))
        return super().get_context_data(registrations=registrations, **kwargs)
