"""Slots and tables: cutting slots, booking, the organiser's moves and the scheduler run."""

import datetime as dt
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events import scheduling
from events.enums import MeetingKind, MeetingState, Preference
from events.models import Event, Meeting, MeetingPreference, MeetingSeat, Registration, Slot
from events.services.notices import notify
from partnerships.integrity import constraint_name
from partnerships.services import log_action

# Bookings of different meetings may race for the same free table; the loser tries the next.
TABLE_ATTEMPTS = 5


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
        # Two organisers cutting slots at once would both insert the same start times.
        Event.objects.select_for_update().filter(pk=event.pk).first()
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


class BookingConflict(ValidationError):
    """A slot was taken by somebody else; the message says by what."""


def locked_meeting(meeting_pk):
    """The meeting, row-locked: booking, answering and cancelling read its state under it."""
    return (
        Meeting.objects.select_for_update()
        .select_related("event", "requester__user", "recipient__user")
        .get(pk=meeting_pk)
    )


def _seat(meeting, *, slot, table):
    """Put a locked meeting at `table` in `slot`, moving both people's seats with it."""
    meeting.seats.all().delete()
    meeting.slot = slot
    meeting.table = table
    meeting.save(update_fields=["slot", "table"])
    MeetingSeat.objects.bulk_create(
        [
            MeetingSeat(event=meeting.event, slot=slot, participant_id=p, meeting=meeting)
            for p in (meeting.requester_id, meeting.recipient_id)
        ]
    )


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
            constraint = constraint_name(error)
            if "seat_one_meeting_per_slot" in constraint:
                raise BookingConflict(
                    _("You or your partner already have another meeting in this slot."),
                    code="person_busy",
                ) from error
            if "meeting_one_per_table_and_slot" not in constraint:
                raise
    raise BookingConflict(_("Every table is taken in this slot."), code="tables_full")


def check_slot_open(meeting, slot, *, now=None):
    """Refuse a slot that is over or in which one of the two people said they are busy."""
    if slot.starts_at <= (now or timezone.now()):
        raise ValidationError(_("This slot has already begun; choose a later one."), code="past")
    busy = slot.unavailable_participants.filter(
        pk__in=(meeting.requester_id, meeting.recipient_id)
    ).select_related("user")
    names = sorted(str(registration.user) for registration in busy)
    if names:
        raise BookingConflict(
            _("Not available at this time: %(names)s.") % {"names": ", ".join(names)},
            code="unavailable",
        )


def seat_in_free_table(meeting, *, slot):
    """Seat a locked meeting at the first free table of `slot`, or a readable refusal.

    The checks read what is committed; two bookings passing them at once meet the unique
    seats and tables, and the caller turns that IntegrityError into a refusal or a retry.
    """
    check_slot_open(meeting, slot)
    parties = (meeting.requester_id, meeting.recipient_id)
    busy = MeetingSeat.objects.filter(slot=slot, participant_id__in=parties).exclude(
        meeting=meeting
    )
    if busy.exists():
        raise BookingConflict(
            _("You or your partner already have another meeting in this slot."),
            code="person_busy",
        )
    if meeting.kind == MeetingKind.ONLINE:
        # A video room per meeting: no table to find.
        _seat(meeting, slot=slot, table=None)
        return
    taken = set(
        Meeting.objects.filter(slot=slot).exclude(pk=meeting.pk).values_list("table", flat=True)
    )
    free = [n for n in range(1, meeting.event.tables + 1) if n not in taken]
    if not free:
        raise BookingConflict(_("Every table is taken in this slot."), code="tables_full")
    _seat(meeting, slot=slot, table=free[0])


def _book_once(meeting_pk, *, slot, by):
    with transaction.atomic():
        meeting = locked_meeting(meeting_pk)
        if meeting.state != MeetingState.ACCEPTED:
            raise ValidationError(
                _("Only an accepted meeting can be booked into a slot."), code="not_accepted"
            )
        moved = meeting.slot_id is not None
        seat_in_free_table(meeting, slot=slot)
        log_action(
            meeting,
            "meeting_moved" if moved else "meeting_booked",
            actor=by,
            data={"slot": slot.pk, "table": meeting.table},
        )
        # Both people are told, whoever booked: a slot change nobody hears about is a no-show.
        notify(
            subject=_("Meeting booked at %(event)s") % {"event": meeting.event.title},
            text=_("Your meeting %(meeting)s is at %(slot)s, table %(table)s.")
            % {"meeting": meeting, "slot": slot, "table": meeting.table},
            url=reverse("events:agenda", args=[meeting.event_id]),
            recipients=[meeting.requester.user.email, meeting.recipient.user.email],
        )
    return meeting


def move_meeting(meeting, *, slot, table, by):
    """The organiser puts an accepted meeting into a given slot and table; both sides are told.

    Refused, with the reason, when a table number does not exist, the table is taken in that
    slot or one of the two people has another meeting then. The database decides races.
    """
    if slot.event_id != meeting.event_id:
        raise ValidationError(_("This slot belongs to another event."), code="slot")
    try:
        return _move_once(meeting.pk, slot=slot, table=table, by=by)
    except IntegrityError as error:
        constraint = constraint_name(error)
        if "seat_one_meeting_per_slot" in constraint:
            raise BookingConflict(
                _("One of the two people already has another meeting in this slot."),
                code="person_busy",
            ) from error
        if "meeting_one_per_table_and_slot" in constraint:
            raise BookingConflict(
                _("Table %(table)s is taken in this slot.") % {"table": table}, code="table_taken"
            ) from error
        raise


def _move_once(meeting_pk, *, slot, table, by):
    with transaction.atomic():
        meeting = locked_meeting(meeting_pk)
        if meeting.state != MeetingState.ACCEPTED:
            raise ValidationError(
                _("Only an accepted meeting can be put into a slot."), code="not_accepted"
            )
        if meeting.kind == MeetingKind.ONLINE:
            table = None
        elif not 1 <= table <= meeting.event.tables:
            raise ValidationError(
                _("Choose a table from 1 to %(tables)s.") % {"tables": meeting.event.tables},
                code="table",
            )
        if meeting.slot_id == slot.pk and meeting.table == table:
            return meeting
        check_slot_open(meeting, slot)
        parties = (meeting.requester_id, meeting.recipient_id)
        if (
            MeetingSeat.objects.filter(slot=slot, participant_id__in=parties)
            .exclude(meeting=meeting)
            .exists()
        ):
            raise BookingConflict(
                _("One of the two people already has another meeting in this slot."),
                code="person_busy",
            )
        if (
            table is not None
            and Meeting.objects.filter(slot=slot, table=table).exclude(pk=meeting.pk).exists()
        ):
            raise BookingConflict(
                _("Table %(table)s is taken in this slot.") % {"table": table}, code="table_taken"
            )
        before = {"slot": meeting.slot_id, "table": meeting.table}
        _seat(meeting, slot=slot, table=table)
        log_action(
            meeting,
            "meeting_moved_by_organiser",
            actor=by,
            data={"before": before, "slot": slot.pk, "table": table},
        )
        notify(
            subject=_("Your meeting at %(event)s was moved") % {"event": meeting.event.title},
            text=_("The organiser moved your meeting %(meeting)s to %(slot)s, table %(table)s.")
            % {"meeting": meeting, "slot": slot, "table": table},
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


def _core_meeting(meeting, levels):
    return scheduling.Meeting(
        id=meeting.pk,
        participants=(meeting.requester_id, meeting.recipient_id),
        priority=_priority(meeting, levels),
    )


def _sit(busy, meetings, placements):
    """`busy` with each person of `meetings` also busy in the slot `placements` gives them."""
    busy = {person: set(taken) for person, taken in busy.items()}
    for meeting in meetings:
        if meeting.pk in placements:
            for person in (meeting.requester_id, meeting.recipient_id):
                busy.setdefault(person, set()).add(placements[meeting.pk][0])
    return busy


def _schedule_tables_then_online(meetings, *, slots, busy, event, levels, time_budget):
    """The core twice: meetings at tables first, the scarce resource; then online meetings,
    which need no table, in the slots their people still have free."""

    def available(taken):
        return {
            person: [s for s in slots if s not in busy_slots]
            for person, busy_slots in taken.items()
        }

    at_tables = [m for m in meetings if m.kind != MeetingKind.ONLINE]
    online = [m for m in meetings if m.kind == MeetingKind.ONLINE]
    booked_online = {m.pk: (m.slot_id, None) for m in online if m.slot_id is not None}
    first = scheduling.schedule(
        scheduling.Instance(
            slots=slots,
            availability=available(_sit(busy, online, booked_online)),
            tables=event.tables,
            meetings=[_core_meeting(m, levels) for m in at_tables],
            fixed={m.pk: (m.slot_id, m.table) for m in at_tables if m.slot_id is not None},
        ),
        time_budget=time_budget,
    )
    waiting = [m for m in online if m.slot_id is None]
    if not waiting:
        return scheduling.Schedule(
            placements=first.placements | booked_online, unplaced=first.unplaced, stats=first.stats
        )
    taken = _sit(_sit(busy, online, booked_online), at_tables, first.placements)
    second = scheduling.schedule(
        scheduling.Instance(
            slots=slots,
            availability=available(taken),
            tables=len(waiting),
            meetings=[_core_meeting(m, levels) for m in waiting],
        ),
        time_budget=time_budget,
    )
    placements = {pk: (slot, None) for pk, (slot, _table) in second.placements.items()}
    return scheduling.Schedule(
        placements=first.placements | booked_online | placements,
        unplaced=first.unplaced + second.unplaced,
        stats=first.stats,
    )


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
        slots = list(event.slots.order_by("starts_at").values_list("pk", flat=True))
        busy = {}
        for registration_id, slot_id in Registration.unavailable_slots.through.objects.filter(
            slot__event=event
        ).values_list("registration_id", "slot_id"):
            busy.setdefault(registration_id, set()).add(slot_id)
        result = _schedule_tables_then_online(
            meetings, slots=slots, busy=busy, event=event, levels=levels, time_budget=time_budget
        )
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
        touched = Counter(
            registration.user.email
            for meeting in placed
            for registration in (meeting.requester, meeting.recipient)
        )
        for email, count in touched.items():
            notify(
                subject=_("Your meeting schedule for %(event)s") % {"event": event.title},
                text=_("The organiser placed %(count)s of your meetings into slots.")
                % {"count": count},
                url=reverse("events:agenda", args=[event.pk]),
                recipients=[email],
            )
    return result
