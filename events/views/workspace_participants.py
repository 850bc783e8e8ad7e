"""The organisers' participant list: deciding, exporting, mailing, acting for someone."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from events import exports, services
from events.enums import MeetingState
from events.forms import (
    ActForRequestForm,
    DecisionForm,
    MailingForm,
    MeetingAnswerForm,
    WorkspaceFilterForm,
)
from events.queries import workspace_participants
from events.views.mixins import EventMixin, form_errors, report_refusal


class OrganiserMixin(EventMixin, LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "events.manage_event"

    def filtered(self):
        """The participants the query string's filter picks, and the filter form."""
        form = WorkspaceFilterForm(self.request.GET or None)
        participants = workspace_participants(self.event)
        if form.is_bound:
            participants = form.filter(participants) if form.is_valid() else participants.none()
        return participants, form

    def registration(self):
        return get_object_or_404(
            self.event.registrations.select_related("user", "organisation"),
            pk=self.kwargs["registration"],
        )


class WorkspaceParticipantsView(OrganiserMixin, View):
    template_name = "events/workspace_participants.html"

    def get(self, request, pk):
        participants, form = self.filtered()
        context = {
            "event": self.event,
            "form": form,
            "participants": participants,
            "query": request.GET.urlencode(),
            "decision_form": DecisionForm(),
            "can_act_for": request.user.has_perm("events.act_for_participant", self.event),
        }
        return render(request, self.template_name, context)


class ParticipantsExportView(OrganiserMixin, View):
    fmt = "csv"

    def get(self, request, pk):
        participants, _form = self.filtered()
        rows = exports.participant_rows(participants, zone=self.event.zone)
        name = f"participants-{self.event.pk}"
        if self.fmt == "xlsx":
            response = HttpResponse(
                exports.as_xlsx(rows, title=_("Participants")),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(exports.as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.{self.fmt}"'
        return response


class WorkspaceDecisionView(OrganiserMixin, View):
    def post(self, request, pk, registration):
        registration = self.registration()
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            try:
                services.decide_registration(
                    registration,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                report_refusal(request, error)
            else:
                messages.success(
                    request,
                    _("%(name)s: %(state)s. They are told by e-mail.")
                    % {"name": registration.user, "state": registration.get_state_display()},
                )
        query = request.POST.get("query", "")
        target = redirect("events:workspace-participants", pk=self.event.pk)
        if query and len(query) < 1000:
            target["Location"] += "?" + query
        return target


class MailingView(OrganiserMixin, View):
    template_name = "events/event_mailing.html"

    def render_page(self, form, filter_form, participants, status=200):
        context = {
            "event": self.event,
            "form": form,
            "filter_form": filter_form,
            "recipient_count": participants.count(),
            "query": self.request.GET.urlencode(),
            "mailings": self.event.mailings.select_related("sent_by")[:20],
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        participants, filter_form = self.filtered()
        return self.render_page(MailingForm(), filter_form, participants)

    def post(self, request, pk):
        participants, filter_form = self.filtered()
        form = MailingForm(request.POST)
        if form.is_valid():
            try:
                mailing = services.send_mailing(
                    self.event,
                    registrations=participants,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    audience=filter_form.audience() if filter_form.is_bound else {},
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The message is on its way to %(count)s participant.",
                        "The message is on its way to %(count)s participants.",
                        mailing.recipient_count,
                    )
                    % {"count": mailing.recipient_count},
                )
                return redirect("events:mailing", pk=self.event.pk)
        return self.render_page(form, filter_form, participants, status=400)


class ActForView(OrganiserMixin, View):
    """What a participant who asked the organisers for help needs done in their name."""

    permission_required = "events.act_for_participant"
    template_name = "events/act_for.html"

    def render_page(self, registration, form, status=200):
        incoming = (
            registration.meetings_received.filter(state=MeetingState.REQUESTED)
            .select_related("requester__user", "requester__organisation")
            .order_by("created_at")
        )
        context = {
            "event": self.event,
            "participant": registration,
            "form": form,
            "incoming": incoming,
            "answer_form": MeetingAnswerForm(),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk, registration):
        registration = self.registration()
        return self.render_page(registration, ActForRequestForm(registration=registration))

    def post(self, request, pk, registration):
        registration = self.registration()
        form = ActForRequestForm(request.POST, registration=registration)
        if form.is_valid():
            try:
                services.request_meeting_for(
                    registration,
                    recipient=form.cleaned_data["recipient"],
                    message=form.cleaned_data["message"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The request is sent in the name of %(name)s.") % {"name": registration.user},
                )
                return redirect("events:act-for", pk=self.event.pk, registration=registration.pk)
        return self.render_page(registration, form, status=400)


class ActForAnswerView(OrganiserMixin, View):
    permission_required = "events.act_for_participant"

    def post(self, request, pk, registration, meeting):
        registration = self.registration()
        meeting = get_object_or_404(registration.meetings_received, pk=meeting)
        form = MeetingAnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            try:
                services.answer_meeting_for(
                    meeting,
                    registration=registration,
                    accept=form.cleaned_data["decision"] == "accept",
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                report_refusal(request, error)
            else:
                messages.success(
                    request,
                    _("The request is answered in the name of %(name)s.")
                    % {"name": registration.user},
                )
        return redirect("events:act-for", pk=self.event.pk, registration=registration.pk)
