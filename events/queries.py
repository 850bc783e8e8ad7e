"""Reads of the events app. Pages and the API start from these."""

from django.db.models import Avg, Count, F, Prefetch, Q
from django.utils import timezone

from events.enums import PROFILE_OUTCOMES, MeetingOutcome, MeetingState, RegistrationState
from events.models import (
    CooperationItem,
    Event,
    EventOrganiser,
    Meeting,
    MeetingRating,
    Registration,
    Slot,
)
from partnerships.rules import is_commission_staff


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
    if user.has_perm("events.manage_event", event):
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


def my_upcoming_participation(user, *, today=None):
    """The user's registrations for events not over yet, soonest first, each with the number of
    their accepted meetings and of the requests waiting for an answer, in one query."""
    if not user.is_authenticated:
        return Registration.objects.none()
    today = today or timezone.localdate()

    def meetings(state):
        return Count(
            "meetings_requested", filter=Q(meetings_requested__state=state), distinct=True
        ) + Count("meetings_received", filter=Q(meetings_received__state=state), distinct=True)

    return (
        Registration.objects.filter(user=user, event__ends_on__gte=today)
        .exclude(state__in=[RegistrationState.REJECTED, RegistrationState.CANCELLED])
        .select_related("event", "organisation")
        .annotate(
            accepted_meetings=meetings(MeetingState.ACCEPTED),
            open_requests=meetings(MeetingState.REQUESTED),
        )
        .order_by("event__starts_on", "event__title", "pk")
    )


def agenda(user, event):
    """The user's meetings at `event`, booked ones first in time order, with the times
    proposed for each request."""
    return (
        meetings_for_user(user)
        .filter(event=event)
        .prefetch_related(Prefetch("proposed_slots", queryset=Slot.objects.select_related("event")))
        .order_by("slot__starts_at", "created_at")
    )


def booked_meetings(user, event):
    return (
        meetings_for_user(user)
        .filter(event=event, state=MeetingState.ACCEPTED, slot__isnull=False)
        .order_by("slot__starts_at", "created_at")
    )


def free_slots(meeting):
    """Slots of the meeting's event where neither party is busy and a table is free."""
    parties = (meeting.requester_id, meeting.recipient_id)
    return (
        Slot.objects.filter(event=meeting.event_id, starts_at__gt=timezone.now())
        .exclude(seats__participant_id__in=parties)
        .exclude(unavailable_participants__in=parties)
        .annotate(booked=Count("meetings", distinct=True))
        .filter(booked__lt=meeting.event.tables)
        .order_by("starts_at")
    )


def proposable_slots(event, parties, *, now=None):
    """Slots of `event` still to come in which none of `parties` is busy or booked."""
    return (
        Slot.objects.filter(event=event, starts_at__gt=now or timezone.now())
        .exclude(seats__participant_id__in=parties)
        .exclude(unavailable_participants__in=parties)
        .select_related("event")
        .order_by("starts_at")
    )


def event_statistics(event, *, now=None):
    """The organiser's figures of `event`, in three queries whatever its size."""
    now = now or timezone.now()
    registrations = event.registrations.aggregate(
        registrations=Count("pk"),
        approved=Count("pk", filter=Q(state=RegistrationState.APPROVED)),
        pending=Count("pk", filter=Q(state=RegistrationState.PENDING)),
    )
    accepted = Q(state=MeetingState.ACCEPTED)
    booked = accepted & Q(slot__isnull=False)
    meetings = event.meetings.aggregate(
        requests=Count("pk"),
        accepted=Count("pk", filter=accepted),
        declined=Count("pk", filter=Q(state=MeetingState.DECLINED)),
        cancelled=Count("pk", filter=Q(state=MeetingState.CANCELLED)),
        scheduled=Count("pk", filter=booked),
        held=Count("pk", filter=booked & Q(slot__ends_at__lte=now)),
        negotiations=Count("pk", filter=Q(outcome=MeetingOutcome.NEGOTIATION)),
        agreements=Count("pk", filter=Q(outcome=MeetingOutcome.AGREEMENT)),
    )
    ratings = MeetingRating.objects.filter(meeting__event=event).aggregate(
        ratings=Count("pk"), average_rating=Avg("stars")
    )
    return registrations | meetings | ratings


def organisation_outcomes(organisation, *, with_negotiations):
    """Meetings of `organisation`'s people that led somewhere, newest first, with the partner.

    Agreements always; negotiations still going only when `with_negotiations`.
    """
    outcomes = PROFILE_OUTCOMES if with_negotiations else (MeetingOutcome.AGREEMENT,)
    meetings = (
        Meeting.objects.filter(
            Q(requester__organisation=organisation) | Q(recipient__organisation=organisation),
            outcome__in=outcomes,
        )
        .select_related("event", "requester__organisation", "recipient__organisation")
        .order_by("-outcome_at", "-pk")
    )
    meetings = list(meetings)
    for meeting in meetings:
        sides = (meeting.requester.organisation, meeting.recipient.organisation)
        meeting.partner = sides[1] if sides[0].pk == organisation.pk else sides[0]
    return meetings


def event_meetings(event):
    """Every accepted meeting of `event` with both sides, booked ones in time and table order."""
    return (
        Meeting.objects.filter(event=event, state=MeetingState.ACCEPTED)
        .select_related(
            "slot",
            "requester__user",
            "requester__organisation",
            "recipient__user",
            "recipient__organisation",
        )
        .order_by("slot__starts_at", "table", "pk")
    )


def meeting_outcome_pairs():
    """(requester's organisation, recipient's organisation, outcome, at) of every accepted
    meeting request and every agreement reached, between different organisations."""
    meetings = Meeting.objects.exclude(
        requester__organisation=F("recipient__organisation")
    ).values_list(
        "requester__organisation_id",
        "recipient__organisation_id",
        "state",
        "responded_at",
        "outcome",
        "outcome_at",
    )
    found = []
    for requester, recipient, state, responded_at, outcome, outcome_at in meetings.order_by("pk"):
        if state == MeetingState.ACCEPTED and responded_at is not None:
            found.append((requester, recipient, MeetingState.ACCEPTED, responded_at))
        if outcome == MeetingOutcome.AGREEMENT and outcome_at is not None:
            found.append((requester, recipient, MeetingOutcome.AGREEMENT, outcome_at))
    return found


def organised_events(user):
    """The events `user` organises or co-organises, every event for the Commission's staff,
    with their participant figures, soonest first."""
    if not user.is_authenticated:
        return Event.objects.none()
    events = Event.objects.all()
    if not is_commission_staff(user):
        co_organised = EventOrganiser.objects.filter(user=user).values("event_id")
        events = events.filter(Q(organiser=user) | Q(pk__in=co_organised))
    return (
        events.select_related("country")
        .annotate(
            approved_count=Count(
                "registrations", filter=Q(registrations__state=RegistrationState.APPROVED)
            ),
            pending_count=Count(
                "registrations", filter=Q(registrations__state=RegistrationState.PENDING)
            ),
        )
        .order_by("-ends_on", "title")
    )


def workspace_participants(event):
    """Everybody registered for `event` with what the organiser's list shows and exports:
    contact, organisation, country, profile lines and their meeting figures."""

    def meetings(state):
        return Count(
            "meetings_requested", filter=Q(meetings_requested__state=state), distinct=True
        ) + Count("meetings_received", filter=Q(meetings_received__state=state), distinct=True)

    return (
        Registration.objects.filter(event=event)
        .select_related("user", "organisation__country")
        .prefetch_related(
            Prefetch("cooperation_items", queryset=CooperationItem.objects.order_by("direction"))
        )
        .annotate(
            accepted_meetings=meetings(MeetingState.ACCEPTED),
            open_requests=meetings(MeetingState.REQUESTED),
        )
        .order_by("organisation__name", "user__full_name", "pk")
    )


def event_dashboard(event, *, now=None):
    """What the organisers watch on the day, in four queries whatever the event's size:
    meetings held so far and no-shows, the slot under way (or the last one) with its meetings
    and free tables, and the next slot."""
    now = now or timezone.now()
    booked = Q(state=MeetingState.ACCEPTED, slot__isnull=False)
    figures = event.meetings.aggregate(
        scheduled=Count("pk", filter=booked),
        held=Count("pk", filter=booked & Q(slot__ends_at__lte=now, no_show=False)),
        no_shows=Count("pk", filter=booked & Q(no_show=True)),
        to_come=Count("pk", filter=booked & Q(slot__starts_at__gt=now)),
    )
    with_bookings = event.slots.annotate(
        booked=Count("meetings", filter=Q(meetings__state=MeetingState.ACCEPTED))
    )
    floor_slot = with_bookings.filter(starts_at__lte=now).order_by("-starts_at").first()
    next_slot = with_bookings.filter(starts_at__gt=now).order_by("starts_at").first()
    for slot in (floor_slot, next_slot):
        if slot is not None:
            slot.free_tables = max(event.tables - slot.booked, 0)
    meetings = []
    if floor_slot is not None:
        meetings = list(event_meetings(event).filter(slot=floor_slot).order_by("table"))
    return figures | {
        "floor_slot": floor_slot,
        "floor_slot_running": floor_slot is not None and floor_slot.ends_at > now,
        "next_slot": next_slot,
        "floor_meetings": meetings,
    }
