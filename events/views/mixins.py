"""How event views find their event or meeting, and report a refused change."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404

from events.models import Event
from events.queries import meetings_for_user


def report_refusal(request, error):
    messages.error(request, " ".join(error.messages))


class EventMixin:
    def dispatch(self, request, *args, **kwargs):
        self.event = get_object_or_404(Event, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.event


class MeetingMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        # Someone else's meeting is a 404, not a 403: its existence is private.
        self.meeting = get_object_or_404(meetings_for_user(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.meeting


def form_errors(form):
    """A form's errors as one message, each after its field's label."""
    return " ".join(
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )
