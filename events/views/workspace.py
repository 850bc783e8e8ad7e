"""The organisers' workspace: their events, setting one up, and who organises it."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from events import services
from events.forms import EventForm, OrganiserForm, window_formset
from events.models import Event
from events.queries import organised_events
from events.views.mixins import EventMixin


class WorkspaceView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "events.organise_events"
    template_name = "events/workspace.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(events=organised_events(self.request.user), **kwargs)


class EventFormMixin:
    template_name = "events/event_form.html"

    def render_page(self, form, windows, status=200):
        context = {"form": form, "windows": windows, "event": getattr(self, "event", None)}
        return render(self.request, self.template_name, context, status=status)

    def save(self, form, windows):
        """Hand the checked input to the service; its refusals go back onto the form."""
        data = form.cleaned_data
        try:
            return self.write(
                by=self.request.user,
                fields=data,
                windows=windows.windows(),
                sectors=data["sectoral_industries"],
                emerging=data["emerging_industries"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return None

    def post_form(self, instance):
        form = EventForm(self.request.POST, instance=instance)
        windows = window_formset(self.request.POST)
        if form.is_valid() and windows.is_valid():
            event = self.save(form, windows)
            if event is not None:
                messages.success(self.request, self.done_message)
                return redirect("events:workspace-participants", pk=event.pk)
        return self.render_page(form, windows, status=400)


class EventCreateView(LoginRequiredMixin, PermissionRequiredMixin, EventFormMixin, View):
    permission_required = "events.add_event"
    done_message = _("The event is set up. Its meeting hours are cut into slots.")

    def write(self, **kwargs):
        return services.create_event(**kwargs)

    def get(self, request):
        form = EventForm()
        return self.render_page(form, window_formset())

    def post(self, request):
        return self.post_form(Event())


class EventEditView(EventMixin, LoginRequiredMixin, PermissionRequiredMixin, EventFormMixin, View):
    permission_required = "events.manage_event"
    done_message = _("The event is saved.")

    def write(self, **kwargs):
        return services.update_event(self.event, **kwargs)

    def get(self, request, pk):
        form = EventForm(instance=self.event)
        return self.render_page(form, window_formset(event=self.event))

    def post(self, request, pk):
        return self.post_form(self.event)


class EventOrganisersView(EventMixin, LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "events.manage_event"
    template_name = "events/event_organisers.html"

    def render_page(self, form, status=200):
        context = {
            "event": self.event,
            "form": form,
            "organisers": self.event.organisers.select_related("user", "appointed_by"),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(OrganiserForm())

    def post(self, request, pk):
        form = OrganiserForm(request.POST)
        if form.is_valid():
            try:
                services.add_organiser(
                    self.event, email=form.cleaned_data["email"], by=request.user
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(request, _("They now organise this event and are told so."))
                return redirect("events:event-organisers", pk=self.event.pk)
        return self.render_page(form, status=400)


class EventOrganiserRemoveView(EventMixin, LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "events.manage_event"

    def post(self, request, pk, role):
        role = get_object_or_404(self.event.organisers, pk=role)
        services.remove_organiser(role, by=request.user)
        messages.success(request, _("They no longer organise this event."))
        return redirect("events:event-organisers", pk=self.event.pk)
