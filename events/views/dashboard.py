"""The organisers' live dashboard on the day, refreshed in place while it is open."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from events import services
from events.forms import NoShowForm
from events.queries import event_dashboard
from events.views.mixins import form_errors, report_refusal
from events.views.workspace_participants import OrganiserMixin


class DashboardView(OrganiserMixin, View):
    template_name = "events/event_dashboard.html"
    partial_name = "events/includes/_dashboard.html"

    def get(self, request, pk):
        context = {"event": self.event, "board": event_dashboard(self.event)}
        template = self.partial_name if request.htmx else self.template_name
        return render(request, template, context)


class MeetingNoShowView(OrganiserMixin, View):
    def post(self, request, pk, meeting):
        meeting = get_object_or_404(self.event.meetings, pk=meeting)
        form = NoShowForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            try:
                services.mark_no_show(
                    meeting, no_show=form.cleaned_data["no_show"], by=request.user
                )
            except ValidationError as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("The meeting is marked."))
        return redirect("events:dashboard", pk=self.event.pk)
