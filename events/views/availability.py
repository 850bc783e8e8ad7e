"""A participant's own settings for an event: when they are free, and the calendar feed."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from events import ical, services
from events.forms import AvailabilityForm, CalendarFeedForm
from events.models import Registration
from events.queries import booked_meetings, registration_of
from events.views.mixins import EventMixin, form_errors


class OwnRegistrationMixin(LoginRequiredMixin, EventMixin):
    def own(self):
        own = registration_of(self.request.user, self.event)
        if own is None:
            raise Http404
        return own


class AvailabilityView(OwnRegistrationMixin, View):
    template_name = "events/availability.html"

    def render_page(self, own, form, status=200):
        busy = set(own.unavailable_slots.values_list("pk", flat=True))
        chosen = None
        if form.is_bound:
            chosen = {str(value) for value in form.data.getlist("available")}
        days = {}
        for slot in self.event.slots.order_by("starts_at"):
            local = timezone.localtime(slot.starts_at, self.event.zone)
            free = str(slot.pk) in chosen if chosen is not None else slot.pk not in busy
            days.setdefault(local.date(), []).append((slot, free))
        context = {"event": self.event, "own": own, "form": form, "days": sorted(days.items())}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        own = self.own()
        return self.render_page(own, AvailabilityForm(event=self.event))

    def post(self, request, pk):
        own = self.own()
        form = AvailabilityForm(request.POST, event=self.event)
        if form.is_valid():
            try:
                services.set_availability(
                    own, available=form.cleaned_data["available"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your availability is saved."))
                return redirect("events:availability", pk=self.event.pk)
        return self.render_page(own, form, status=400)


class CalendarFeedKeyView(OwnRegistrationMixin, View):
    def post(self, request, pk):
        own = self.own()
        form = CalendarFeedForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors(form))
        elif form.cleaned_data["action"] == "renew":
            services.renew_calendar_token(own, by=request.user)
            messages.success(
                request, _("Your calendar address is ready; an older one no longer works.")
            )
        else:
            services.revoke_calendar_token(own, by=request.user)
            messages.success(request, _("The calendar feed is stopped."))
        return redirect("events:agenda", pk=self.event.pk)


def agenda_subscription(request, token):
    """The agenda feed a calendar app fetches without a session: the secret is the key."""
    registration = get_object_or_404(
        Registration.objects.select_related("event", "user"), calendar_token=token
    )
    meetings = booked_meetings(registration.user, registration.event)
    body = ical.agenda_calendar(
        meetings,
        event=registration.event,
        registration=registration,
        name=_("My agenda: %(event)s") % {"event": registration.event.title},
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    # The address is the secret: no shared cache may keep it, no page may link out from it.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
