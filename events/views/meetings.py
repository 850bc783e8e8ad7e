"""One meeting: answering, cancelling, booking a slot and following it up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from events import services
from events.enums import MeetingOutcome
from events.forms import (
    BookingForm,
    MeetingAnswerForm,
    MeetingCancelForm,
    MeetingOutcomeForm,
    MeetingRatingForm,
    ProposeTimesForm,
)
from events.queries import free_slots, proposable_slots, registration_of
from events.views.mixins import MeetingMixin, report_refusal


class MeetingAnswerView(MeetingMixin, View):
    def post(self, request, pk):
        form = MeetingAnswerForm(request.POST, slots=self.meeting.event.slots.all())
        if not request.user.has_perm("events.answer_meeting", self.meeting):
            messages.error(request, _("Only the person asked can answer this request."))
        elif form.is_valid():
            try:
                services.answer_meeting(
                    self.meeting,
                    accept=form.cleaned_data["decision"] == "accept",
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    slot=form.cleaned_data["slot"],
                )
            except ValidationError as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("Your answer is sent."))
        else:
            messages.error(request, _("Choose accept or decline."))
        return redirect("events:agenda", pk=self.meeting.event_id)


class MeetingCancelView(MeetingMixin, PermissionRequiredMixin, View):
    permission_required = "events.cancel_meeting"

    def post(self, request, pk):
        form = MeetingCancelForm(request.POST)
        form.is_valid()
        try:
            services.cancel_meeting(
                self.meeting, by=request.user, reason=form.cleaned_data.get("reason", "")
            )
        except ValidationError as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The meeting is cancelled; the other person is told."))
        return redirect("events:agenda", pk=self.meeting.event_id)


class MeetingBookView(MeetingMixin, PermissionRequiredMixin, View):
    permission_required = "events.book_meeting"
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


class MeetingFollowUpView(MeetingMixin, PermissionRequiredMixin, View):
    permission_required = "events.follow_up_meeting"
    template_name = "events/meeting_follow_up.html"

    def render_page(self, rating_form=None, outcome_form=None, status=200):
        meeting = self.meeting
        own = registration_of(self.request.user, meeting.event)
        ratings = {rating.by_id: rating for rating in meeting.ratings.all()}
        mine = ratings.get(own.pk)
        other = meeting.other_party(own)
        if rating_form is None:
            initial = {"stars": mine.stars, "comment": mine.comment} if mine else None
            rating_form = MeetingRatingForm(initial=initial)
        context = {
            "meeting": meeting,
            "event": meeting.event,
            "other": other,
            "held": meeting.was_held(),
            "my_rating": mine,
            "their_rating": ratings.get(other.pk),
            "rating_form": rating_form,
            "outcome_form": outcome_form or MeetingOutcomeForm(current=meeting.outcome),
            "outcome_final": meeting.outcome == MeetingOutcome.AGREEMENT,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page()

    def post(self, request, pk):
        if request.POST.get("form") == "outcome":
            form = MeetingOutcomeForm(request.POST, current=self.meeting.outcome)
            if form.is_valid():
                try:
                    services.report_outcome(
                        self.meeting, by=request.user, outcome=form.cleaned_data["outcome"]
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("The outcome is saved; the other side is told."))
                    return redirect("events:meeting-follow-up", pk=self.meeting.pk)
            return self.render_page(outcome_form=form, status=400)
        form = MeetingRatingForm(request.POST)
        if form.is_valid():
            try:
                services.rate_meeting(
                    self.meeting,
                    by=request.user,
                    stars=form.cleaned_data["stars"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you: your rating is saved."))
                return redirect("events:meeting-follow-up", pk=self.meeting.pk)
        return self.render_page(rating_form=form, status=400)


class MeetingProposeView(MeetingMixin, PermissionRequiredMixin, View):
    """The person asked proposes other times than the ones offered."""

    permission_required = "events.answer_meeting"
    template_name = "events/meeting_propose.html"

    def slots(self):
        parties = (self.meeting.requester_id, self.meeting.recipient_id)
        return proposable_slots(self.meeting.event_id, parties)

    def render_page(self, form, status=200):
        context = {"meeting": self.meeting, "event": self.meeting.event, "form": form}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(ProposeTimesForm(slots=self.slots()))

    def post(self, request, pk):
        form = ProposeTimesForm(
            request.POST, slots=self.meeting.event.slots.select_related("event")
        )
        if form.is_valid():
            try:
                services.propose_times(
                    self.meeting, slots=form.cleaned_data["slots"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your times are sent; the other person picks one."))
                return redirect("events:agenda", pk=self.meeting.event_id)
        form.fields["slots"].queryset = self.slots()
        return self.render_page(form, status=400)
