"""Taking part: registering, the participant list, suggestions, requests and preferences."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from events import services
from events.forms import MeetingRequestForm, ParticipantFilterForm, PreferenceForm, RegistrationForm
from events.matching import suggestions_for
from events.models import Registration
from events.queries import participants_for_user, proposable_slots, registration_of
from events.views.mixins import EventMixin, report_refusal


class RegisterView(LoginRequiredMixin, EventMixin, PermissionRequiredMixin, View):
    permission_required = "events.register_event"
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
            report_refusal(request, error)
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

    def slots(self):
        own = registration_of(self.request.user, self.event)
        parties = [self.target().pk] + ([own.pk] if own else [])
        return proposable_slots(self.event, parties)

    def get(self, request, pk, registration):
        return self.render_page(MeetingRequestForm(slots=self.slots(), event=self.event))

    def post(self, request, pk, registration):
        # Any slot of the event is accepted here: the service says why a taken one is refused.
        form = MeetingRequestForm(
            request.POST, slots=self.event.slots.select_related("event"), event=self.event
        )
        if form.is_valid():
            try:
                services.request_meeting(
                    self.event,
                    by=request.user,
                    recipient=self.target(),
                    message=form.cleaned_data["message"],
                    slots=form.cleaned_data["slots"],
                    kind=form.cleaned_data.get("kind"),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your meeting request is sent."))
                return redirect("events:agenda", pk=self.event.pk)
        form.fields["slots"].queryset = self.slots()
        return self.render_page(form, status=400)


class PreferenceView(ParticipantActionMixin, View):
    def post(self, request, pk, registration):
        form = PreferenceForm(request.POST)
        own = registration_of(request.user, self.event)
        if form.is_valid():
            try:
                services.set_preference(own, target=self.target(), level=form.cleaned_data["level"])
            except ValidationError as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("Your preference is saved."))
        else:
            messages.error(request, _("Choose a preference."))
        return redirect("events:participant-list", pk=self.event.pk)


class SuggestionsView(EventMixin, LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "events.request_meeting"
    template_name = "events/suggestions.html"
    partial_name = "events/includes/_suggestions.html"

    def get(self, request, pk):
        own = registration_of(request.user, self.event)
        context = {"event": self.event, "own": own, "suggestions": suggestions_for(own)}
        template = self.partial_name if request.htmx else self.template_name
        return render(request, template, context)
