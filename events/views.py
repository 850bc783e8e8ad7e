import calendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from events import ical, services
from events.forms import (
    BookingForm,
    EventFilterForm,
    MeetingAnswerForm,
    MeetingCancelForm,
    MeetingRequestForm,
    ParticipantFilterForm,
    PreferenceForm,
    RegistrationForm,
)
from events.models import Event, Registration
from events.queries import (
    agenda,
    booked_meetings,
    events_listing,
    free_slots,
    meetings_for_user,
    participants_for_user,
    past_events,
    registration_of,
    upcoming_events,
)


def _errors(request, error):
    messages.error(request, " ".join(error.messages))


class EventListView(TemplateView):
    template_name = "events/event_list.html"

    def get_context_data(self, **kwargs):
        form = EventFilterForm(self.request.GET or None)
        past = form.is_bound and form.is_valid() and form.cleaned_data["when"] == "past"
        events = past_events() if past else upcoming_events()
        if form.is_bound and form.is_valid():
            events = form.filter(events)
        elif form.is_bound:
            events = events.none()
        return super().get_context_data(form=form, events=events, past=past, **kwargs)


class EventCalendarView(TemplateView):
    template_name = "events/event_calendar.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        try:
            month = dt.datetime.strptime(self.request.GET.get("month", ""), "%Y-%m").date()
        except ValueError:
            month = today.replace(day=1)
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
        first, last = weeks[0][0], weeks[-1][-1]
        events = list(
            events_listing().filter(starts_on__lte=last, ends_on__gte=first).order_by("starts_on")
        )
        grid = [
            [
                {
                    "date": day,
                    "in_month": day.month == month.month,
                    "events": [e for e in events if e.starts_on <= day <= e.ends_on],
                }
                for day in week
            ]
            for week in weeks
        ]
        previous = (month - dt.timedelta(days=1)).replace(day=1)
        following = (month + dt.timedelta(days=32)).replace(day=1)
        return super().get_context_data(
            month=month, weeks=grid, previous=previous, following=following, **kwargs
        )


class EventDetailView(TemplateView):
    template_name = "events/event_detail.html"

    def get_context_data(self, **kwargs):
        event = get_object_or_404(events_listing(), pk=self.kwargs["pk"])
        user = self.request.user
        return super().get_context_data(
            event=event,
            registration=registration_of(user, event),
            windows=event.windows.all(),
            can_see_participants=user.has_perm("events.view_participants", event),
            **kwargs,
        )


def events_feed(request):
    body = ical.events_calendar(upcoming_events(), name=_("ClusterPortal events"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def event_feed(request, pk):
    event = get_object_or_404(Event.objects.select_related("country"), pk=pk)
    body = ical.events_calendar([event], name=event.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


class EventMixin:
    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(Event, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.event


class RegisterView(LoginRequiredMixin, EventMixin, View):
    template_name = "events/registration_form.html"

    def render_page(self, form, status=200):
        context = {"event": self.event, "form": form}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(RegistrationForm(user=request.user))

    def post(self, request, pk):
        form = RegistrationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                registration = services.register(
                    self.event,
                    user=request.user,
                    organisation=form.cleaned_data["organisation"],
                    introduction=form.cleaned_data["introduction"],
                    items=form.items(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if registration.is_approved:
                    messages.success(request, _("You are registered."))
                else:
                    messages.success(
                        request, _("Your registration waits for the organiser's approval.")
                    )
                return redirect(self.event)
        return self.render_page(form, status=400)


class ParticipantListView(EventMixin, LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "events.view_participants"
    template_name = "events/participant_list.html"

    def get_context_data(self, **kwargs):
        form = ParticipantFilterForm(self.request.GET or None)
        participants = participants_for_user(self.request.user, self.event)
        if form.is_bound and form.is_valid():
            participants = form.filter(participants)
        own = registration_of(self.request.user, self.event)
        return super().get_context_data(
            event=self.event,
            form=form,
            participants=participants,
            own=own,
            can_manage=self.request.user.has_perm("events.manage_event", self.event),
            preference_form=PreferenceForm(),
            **kwargs,
        )


class RegistrationDecisionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
        if not request.user.has_perm("events.manage_event", registration.event):
            raise Http404
        try:
            services.decide_registration(
                registration, approve=request.POST.get("decision") == "approve", by=request.user
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Decision recorded; the participant is told."))
        return redirect("events:participant-list", pk=registration.event_id)


class ParticipantActionMixin(EventMixin, LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "events.request_meeting"

    def target(self):
        participants = participants_for_user(self.request.user, self.event)
        return get_object_or_404(participants, pk=self.kwargs["registration"])


class MeetingRequestView(ParticipantActionMixin, View):
    template_name = "events/meeting_request.html"

    def render_page(self, form, status=200):
        context = {"event": self.event, "form": form, "target": self.target()}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk, registration):
        return self.render_page(MeetingRequestForm())

    def post(self, request, pk, registration):
        form = MeetingRequestForm(request.POST)
        if form.is_valid():
            try:
                services.request_meeting(
                    self.event,
                    by=request.user,
                    recipient=self.target(),
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your meeting request is sent."))
                return redirect("events:agenda", pk=self.event.pk)
        return self.render_page(form, status=400)


class PreferenceView(ParticipantActionMixin, View):
    def post(self, request, pk, registration):
        form = PreferenceForm(request.POST)
        own = registration_of(request.user, self.event)
        if form.is_valid():
            try:
                services.set_preference(own, target=self.target(), level=form.cleaned_data["level"])
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("Your preference is saved."))
        else:
            messages.error(request, _("Choose a preference."))
        return redirect("events:participant-list", pk=self.event.pk)


class MeetingMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        # Someone else's meeting is a 404, not a 403: its existence is private.
        self.meeting = get_object_or_404(meetings_for_user(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class MeetingAnswerView(MeetingMixin, View):
    def post(self, request, pk):
        form = MeetingAnswerForm(request.POST)
        if not request.user.has_perm("events.answer_meeting", self.meeting):
            messages.error(request, _("Only the person asked can answer this request."))
        elif form.is_valid():
            try:
                services.answer_meeting(
                    self.meeting,
                    accept=form.cleaned_data["decision"] == "accept",
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("Your answer is sent."))
        else:
            messages.error(request, _("Choose accept or decline."))
        return redirect("events:agenda", pk=self.meeting.event_id)


class MeetingCancelView(MeetingMixin, View):
    def post(self, request, pk):
        form = MeetingCancelForm(request.POST)
        form.is_valid()
        try:
            services.cancel_meeting(
                self.meeting, by=request.user, reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The meeting is cancelled; the other person is told."))
        return redirect("events:agenda", pk=self.meeting.event_id)


class MeetingBookView(MeetingMixin, View):
    template_name = "events/meeting_book.html"

    def render_page(self, form, status=200):
        context = {"meeting": self.meeting, "event": self.meeting.event, "form": form}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(BookingForm(slots=free_slots(self.meeting)))

    def post(self, request, pk):
        form = BookingForm(request.POST, slots=self.meeting.event.slots.all())
        if form.is_valid():
            try:
                services.book_slot(self.meeting, slot=form.cleaned_data["slot"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The meeting is booked; both of you are told."))
                return redirect("events:agenda", pk=self.meeting.event_id)
        form.fields["slot"].queryset = free_slots(self.meeting)
        return self.render_page(form, status=409 if form.non_field_errors() else 400)


class AgendaView(LoginRequiredMixin, EventMixin, TemplateView):
    template_name = "events/agenda.html"

    def get_context_data(self, **kwargs):
        own = registration_of(self.request.user, self.event)
        if own is None:
            raise Http404
        meetings = list(agenda(self.request.user, self.event))
        for meeting in meetings:
            meeting.other = meeting.other_party(own)
            meeting.incoming = meeting.recipient_id == own.pk
        return super().get_context_data(
            event=self.event,
            own=own,
            meetings=meetings,
            answer_form=MeetingAnswerForm(),
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


class ScheduleRunView(EventMixin, LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "events.manage_event"

    def post(self, request, pk):
        try:
            result = services.run_scheduler(self.event, by=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _("Schedule made: %(placed)s meetings in slots, %(unplaced)s could not be placed.")
                % {
                    "placed": len(result.placements),
                    "unplaced": len(result.unplaced),
                },
            )
        return redirect("events:participant-list", pk=self.event.pk)
