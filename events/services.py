"""Every write in the events app: registrations, meeting requests, bookings."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events import scheduling
from events.enums import (
    MEETING_OPEN_STATES,
    MEETING_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    MeetingState,
    Preference,
    RegistrationState,
    WhoMayMeet,
)
from events.models import (
    CooperationItem,
    Meeting,
    MeetingPreference,
    MeetingSeat,
    Registration,
    Slot,
)
from partnerships.models import OrganisationMembership
from partnerships.services import absolute, log_action, queue_email
from partnerships.statemachine import ensure_transition

# Bookings of different meetings may race for the same free table; the loser tries the next.
TABLE_ATTEMPTS = 5


def _notify(*, subject, text, url, recipients):
    queue_email(
        subject=subject,
        template="events/email/notice.txt",
        context={"text": text, "url": absolute(url)},
        recipients=recipients,
    )


def generate_slots(event, *, by):
    """Cut the event's meeting windows into slots of the meeting length; keeps booked slots."""
    length = dt.timedelta(minutes=event.meeting_minutes)
    wanted = []
    for window in event.windows.all():
        start = dt.datetime.combine(window.day, window.start, tzinfo=event.zone)
        end = dt.datetime.combine(window.day, window.end, tzinfo=event.zone)
        while start + length <= end:
            wanted.append((start, start + length))
            start += length
    with transaction.atomic():
        existing = {slot.starts_at: slot for slot in event.slots.all()}
        keep = {start for start, _end in wanted}
        event.slots.exclude(starts_at__in=keep).filter(meetings__isnull=True).delete()
        Slot.objects.bulk_create(
            [
                Slot(event=event, starts_at=start, ends_at=end)
                for start, end in wanted
                if start not in existing
            ]
        )
        log_action(event, "slots_generated", actor=by, data={"slots": len(wanted)})
    return event.slots.count()


def register(event, *, user, organisation, introduction="", items=()):
    """Register `user` as a representative of `organisation`, with their cooperation profile.

    `items` are (direction, kind, title, description) tuples.
    """
    if not event.registration_is_open():
        raise ValidationError(_("Registration for this event is closed."), code="closed")
    if not OrganisationMembership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            _("You can only register as a representative of your own organisation."),
            code="not_member",
        )
    state = RegistrationState.PENDING if event.requires_approval else RegistrationState.APPROVED
    with transaction.atomic():
        # Lock the event so that two last-minute registrations cannot both take the last seat.
        event = type(event).objects.select_for_update().get(pk=event.pk)
        if event.registrations.filter(user=user).exists():
            raise ValidationError(_("You are already registered for this event."), code="duplicate")
        taken = event.registrations.exclude(
            state__in=[RegistrationState.REJECTED, RegistrationState.CANCELLED]
        ).count()
        if event.capacity is not None and taken >= event.capacity:
            raise ValidationError(_("This event is full."), code="full")
        registration = Registration.objects.create(
            event=event,
            user=user,
            organisation=organisation,
            introduction=introduction,
            state=state,
            decided_at=None if event.requires_approval else timezone.now(),
        )
        CooperationItem.objects.bulk_create(
            [
                CooperationItem(
                    registration=registration,
                    direction=direction,
                    kind=kind,
                    title=title,
                    description=description,
                )
                for direction, kind, title, description in items
            ]
        )
        log_action(registration, "registered", actor=user, data={"state": state})
        if event.requires_approval:
            _notify(
                subject=_("New registration for %(event)s") % {"event": event.title},
                text=_("%(user)s (%(organisation)s) asks to take part.")
                % {"user": user, "organisation": organisation},
                url=reverse("events:participant-list", args=[event.pk]),
                recipients=[event.organiser.email],
            )
    return registration


def decide_registration(registration, *, approve, by):
    """The organiser approves or rejects a pending registration; the participant is told."""
    to = RegistrationState.APPROVED if approve else RegistrationState.REJECTED
    ensure_transition(
        REGISTRATION_TRANSITIONS, current=registration.state, to=to, choices=RegistrationState
    )
    with transaction.atomic():
        registration.state = to
        registration.decided_at = timezone.now()
        registration.save(update_fields=["state", "decided_at"])
        log_action(registration, "registration_decided", actor=by, data={"state": to})
        _notify(
            subject=_("Your registration for %(event)s") % {"event": registration.event.title},
            text=_("Your registration is now: %(state)s.") % {"state": RegistrationState(to).label},
            url=registration.event.get_absolute_url(),
            recipients=[registration.user.email],
        )
    return registration


def _check_may_meet(event, requester, recipient):
    if requester.pk == recipient.pk:
        raise ValidationError(_("You cannot ask yourself for a meeting."), code="self")
    if recipient.event_id != event.pk or not recipient.is_approved:
        raise ValidationError(
            _("This person is not an approved participant of the event."), code="not_participant"
        )
    if not requester.is_approved:
        raise ValidationError(
            _("Your registration must be approved before you ask for meetings."),
            code="not_approved",
        )
    if (
        event.who_may_meet == WhoMayMeet.OTHER_ORGANISATIONS
        and requester.organisation_id == recipient.organisation_id
    ):
        raise ValidationError(
            _("At this event you can only meet people from other organisations."), code="rule"
        )
    if (
        event.who_may_meet == WhoMayMeet.OTHER_COUNTRIES
        and requester.organisation.country_id == recipient.organisation.country_id
    ):
        raise ValidationError(
            _("At this event you can only meet people from other countries."), code="rule"
        )


def request_meeting(event, *, by, recipient, message):
    """Ask another participant for a meeting; accepted at once when the event needs no answer."""
    requester = (
        Registration.objects.select_related("organisation").filter(event=event, user=by).first()
    )
    if requester is None:
        raise ValidationError(_("Register for the event first."), code="not_registered")
    _check_may_meet(event, requester, recipient)
    if not message.strip():
        raise ValidationError(_("Write a short message for the person you ask."), code="empty")
    pair = Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester)
    with transaction.atomic():
        Registration.objects.select_for_update().get(pk=requester.pk)
        if Meeting.objects.filter(pair, state__in=MEETING_OPEN_STATES).exists():
            raise ValidationError(
                _("You already have a meeting or a pending request with this person."),
                code="duplicate",
            )
        sent = (
            Meeting.objects.filter(requester=requester)
            .exclude(state=MeetingState.CANCELLED)
            .count()
        )
        if event.request_quota is not None and sent >= event.request_quota:
            raise ValidationError(
                _("You have used all %(quota)s meeting requests of this event.")
                % {"quota": event.request_quota},
                code="quota",
            )
        accepted = not event.requests_need_acceptance
        meeting = Meeting.objects.create(
            event=event,
            requester=requester,
            recipient=recipient,
            message=message.strip(),
            state=MeetingState.ACCEPTED if accepted else MeetingState.REQUESTED,
            responded_at=timezone.now() if accepted else None,
        )
        log_action(meeting, "meeting_requested", actor=by)
        _notify(
            subject=_("Meeting request at %(event)s") % {"event": event.title},
            text=_("%(user)s (%(organisation)s) would like to meet you: %(message)s")
            % {
                "user": requester.user,
                "organisation": requester.organisation,
                "message": meeting.message,
            },
            url=reverse("events:agenda", args=[event.pk]),
            recipients=[recipient.user.email],
        )
    return meeting


def answer_meeting(meeting, *, accept, by, reason=""):
    """The recipient accepts or declines a request; a decline may carry a reason."""
    to = MeetingState.ACCEPTED if accept else MeetingState.DECLINED
    ensure_transition(MEETING_TRANSITIONS, current=meeting.state, to=to, choices=MeetingState)
    with transaction.atomic():
        meeting.state = to
        meeting.reason = "" if accept else reason.strip()
        meeting.responded_at = timezone.now()
        meeting.save(update_fields=["state", "reason", "responded_at"])
        log_action(meeting, "meeting_answered", actor=by, data={"state": to})
        _notify(
            subject=_("Your meeting request at %(event)s") % {"event": meeting.event.title},
            text=_("%(user)s answered your request: %(state)s. %(reason)s")
            % {"user": meeting.recipient.user, "state": MeetingState(to).label, "reason": reason},
            url=reverse("events:agenda", args=[meeting.event_id]),
            recipients=[meeting.requester.user.email],
        )
    return meeting


def cancel_meeting(meeting, *, by, reason=""):
    """Either party calls a request or meeting off; its slot and seats are freed."""
    ensure_transition(
        MEETING_TRANSITIONS, current=meeting.state, to=MeetingState.CANCELLED, choices=MeetingState
    )
    with transaction.atomic():
        meeting.seats.all().delete()
        meeting.state = MeetingState.CANCELLED
        meeting.reason = reason.strip()
        meeting.slot = None
        meeting.table = None
        meeting.save(update_fields=["state", "reason", "slot", "table"])
        log_action(meeting, "meeting_cancelled", actor=by)
        other = meeting.recipient if meeting.requester.user_id == by.pk else meeting.requester
        _notify(
            subject=_("Meeting cancelled at %(event)s") % {"event": meeting.event.title},
            text=_("%(user)s cancelled your meeting. %(reason)s")
            % {"user": by, "reason": meeting.reason},
            url=reverse("events:agenda", args=[meeting.event_id]),
            recipients=[other.user.email],
        )
    return meeting


def set_preference(registration, *, target, level):
    """Record how much `registration` wants to meet `target`, for the organiser's scheduling."""
    if target.event_id != registration.event_id or target.pk == registration.pk:
        raise ValidationError(_("Choose another participant of this event."), code="target")
    with transaction.atomic():
        preference, _created = MeetingPreference.objects.update_or_create(
            registration=registration, target=target, defaults={"level": level}
        )
        log_action(registration, "preference_set", actor=registration.user, data={"level": level})
    return preference


class BookingConflict(ValidationError):
    """A slot was taken by somebody else; the message says by what."""


def _constraint_of(error):
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    return getattr(diag, "constraint_name", None) or str(cause or error)


def book_slot(meeting, *, slot, by):
    """Put an accepted meeting into a free slot at the first free table.

    The database decides races: a person's seat per slot and a table per slot are unique, so of
    many simultaneous bookings exactly one wins and the others get a `BookingConflict`.
    """
    if slot.event_id != meeting.event_id:
        raise ValidationError(_("This slot belongs to another event."), code="slot")
    for _attempt in range(TABLE_ATTEMPTS):
        try:
            return _book_once(meeting.pk, slot=slot, by=by)
        except IntegrityError as error:
            constraint = _constraint_of(error)
            if "seat_one_meeting_per_slot" in constraint:
                raise BookingConflict(
                    _("You or your partner already have another meeting in this slot."),
                    code="person_busy",
                ) from error
            if "meeting_one_per_table_and_slot" not in constraint:
                raise
    raise BookingConflict(_("Every table is taken in this slot."), code="tables_full")


def _book_once(meeting_pk, *, slot, by):
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update()
            .select_related("event", "requester__user", "recipient__user")
            .get(pk=meeting_pk)
        )
        if meeting.state != MeetingState.ACCEPTED:
            raise ValidationError(
                _("Only an accepted meeting can be booked into a slot."), code="not_accepted"
            )
        parties = (meeting.requester_id, meeting.recipient_id)
        busy = MeetingSeat.objects.filter(slot=slot, participant_id__in=parties).exclude(
            meeting=meeting
        )
        if busy.exists():
            raise BookingConflict(
                _("You or your partner already have another meeting in this slot."),
                code="person_busy",
            )
        taken = set(
            Meeting.objects.filter(slot=slot).exclude(pk=meeting.pk).values_list("table", flat=True)
        )
        free = [n for n in range(1, meeting.event.tables + 1) if n not in taken]
        if not free:
            raise BookingConflict(_("Every table is taken in this slot."), code="tables_full")
        moved = meeting.slot_id is not None
        meeting.seats.all().delete()
        meeting.slot = slot
        meeting.table = free[0]
        meeting.save(update_fields=["slot", "table"])
        MeetingSeat.objects.bulk_create(
            [
                MeetingSeat(event=meeting.event, slot=slot, participant_id=p, meeting=meeting)
                for p in parties
            ]
        )
        log_action(
            meeting,
            "meeting_moved" if moved else "meeting_booked",
            actor=by,
            data={"slot": slot.pk, "table": meeting.table},
        )
        # Both people are told, whoever booked: a slot change nobody hears about is a no-show.
        _notify(
            subject=_("Meeting booked at %(event)s") % {"event": meeting.event.title},
            text=_("Your meeting %(meeting)s is at %(slot)s, table %(table)s.")
            % {"meeting": meeting, "slot": slot, "table": meeting.table},
            url=reverse("events:agenda", args=[meeting.event_id]),
            recipients=[meeting.requester.user.email, meeting.recipient.user.email],
        )
    return meeting


def _priority(meeting, levels):
    pair = {
        levels.get((meeting.requester_id, meeting.recipient_id)),
        levels.get((meeting.recipient_id, meeting.requester_id)),
    }
    if Preference.NO_THANKS in pair:
        return scheduling.Priority.NO_THANKS
    if Preference.MUST_MEET in pair:
        return scheduling.Priority.MUST
    return scheduling.Priority.MEET


def run_scheduler(event, *, by, time_budget=scheduling.DEFAULT_TIME_BUDGET):
    """Place every accepted, unbooked meeting of `event` with the scheduler core.

    Bookings participants already made stay where they are. Each person with a newly placed
    meeting is told. Returns the core's `Schedule`.
    """
    with transaction.atomic():
        meetings = list(
            Meeting.objects.select_for_update()
            .filter(event=event, state=MeetingState.ACCEPTED)
            .select_related("requester__user", "recipient__user")
            .order_by("pk")
        )
        levels = {
            (p.registration_id, p.target_id): p.level
            for p in MeetingPreference.objects.filter(registration__event=event)
        }
        instance = scheduling.Instance(
            slots=list(event.slots.order_by("starts_at").values_list("pk", flat=True)),
            tables=event.tables,
            meetings=[
                scheduling.Meeting(
                    id=m.pk,
                    participants=(m.requester_id, m.recipient_id),
                    priority=_priority(m, levels),
                )
                for m in meetings
            ],
            fixed={m.pk: (m.slot_id, m.table) for m in meetings if m.slot_id is not None},
        )
        result = scheduling.schedule(instance, time_budget=time_budget)
        placed = [m for m in meetings if m.slot_id is None and m.pk in result.placements]
        for meeting in placed:
            meeting.slot_id, meeting.table = result.placements[meeting.pk]
        try:
            with transaction.atomic():
                Meeting.objects.bulk_update(placed, ["slot", "table"])
                MeetingSeat.objects.bulk_create(
                    [
                        MeetingSeat(event=event, slot_id=m.slot_id, participant_id=p, meeting=m)
                        for m in placed
                        for p in (m.requester_id, m.recipient_id)
                    ]
                )
        except IntegrityError as error:
            raise ValidationError(
                _("Someone booked a slot while the schedule was made. Run it again."),
                code="changed",
            ) from error
        log_action(
            event,
            "schedule_run",
            actor=by,
            data={"placed": len(placed), "unplaced": len(result.unplaced)},
        )
        touched = {}
        for meeting in placed:
            for registration in (meeting.requester, meeting.recipient):
                touched.setdefault(registration.user.email, 0)
                touched[registration.user.email] += 1
        for email, count in touched.items():
            _notify(
                subject=_("Your meeting schedule for %(event)s") % {"event": event.title},
                text=_("The organiser placed %(count)s of your meetings into slots.")
                % {"count": count},
                url=reverse("events:agenda", args=[event.pk]),
                recipients=[email],
            )
    return result
