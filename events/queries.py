"""Reads of the events app. Pages and the API start from these."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from events.enums import MeetingState, RegistrationState
from events.models import CooperationItem, Event, Meeting, Registration, Slot


def events_listing(events=None):
    """Events with what a list shows, in a fixed number of queries."""
    events = Event.objects.all() if events is None else events
    return (
        events.select_related("country")
        .prefetch_related("sectoral_industries", "emerging_industries")
        .annotate(
            participant_count=Count(
                "registrations", filter=Q(registrations__state=RegistrationState.APPROVED)
            )
        )
    )


def upcoming_events(*, today=None):
    today = today or timezone.localdate()
    return events_listing().filter(ends_on__gte=today).order_by("starts_on", "title")


def past_events(*, today=None):
    today = today or timezone.localdate()
    return events_listing().filter(ends_on__lt=today).order_by("-starts_on", "title")


def registration_of(user, event):
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.select_related("organisation").filter(event=event, user=user).first()
    )


def participants_for_user(user, event):
    """Who `user` may see registered for `event`: everybody for the organiser and staff,
    approved participants for an approved participant, nobody otherwise."""
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("user", "organisation__country")
        .prefetch_related(
            Prefetch("cooperation_items", queryset=CooperationItem.objects.order_by("direction"))
        )
    )
    if not user.is_authenticated:
        return registrations.none()
    if user.is_staff or event.organiser_id == user.pk:
        return registrations
    if event.registrations.filter(user=user, state=RegistrationState.APPROVED).exists():
        return registrations.filter(state=RegistrationState.APPROVED)
    return registrations.none()


def meetings_for_user(user):
    """The meetings `user` asked for or was asked to, at any event."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    return Meeting.objects.filter(Q(requester__user=user) | Q(recipient__user=user)).select_related(
        "event",
        "slot",
        "requester__user",
        "requester__organisation",
        "recipient__user",
        "recipient__organisation",
    )


def agenda(user, event):
    """The user's meetings at `event`, booked ones first in time order."""
    return meetings_for_user(user).filter(event=event).order_by("slot__starts_at", "created_at")


def booked_meetings(user, event):
    return agenda(user, event).filter(state=MeetingState.ACCEPTED, slot__isnull=False)


def free_slots(meeting):
    """Slots of the meeting's event where neither party is busy and a table is free."""
    parties = (meeting.requester_id, meeting.recipient_id)
    return (
        Slot.objects.filter(event=meeting.event_id)
        .exclude(seats__participant_id__in=parties)
        .annotate(booked=Count("meetings", distinct=True))
        .filter(booked__lt=meeting.event.tables)
        .order_by("starts_at")
    )
