"""Meeting requests: asking, answering and calling a meeting off."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import (
    MEETING_OPEN_STATES,
    MEETING_TRANSITIONS,
    EventFormat,
    MeetingKind,
    MeetingState,
    WhoMayMeet,
)
from events.models import Meeting, Registration, Slot
from events.services.booking import (
    TABLE_ATTEMPTS,
    BookingConflict,
    locked_meeting,
    seat_in_free_table,
)
from events.services.notices import notify
from partnerships import services
from partnerships.enums import NotificationKind
from partnerships.integrity import constraint_name, unique_rule
from partnerships.services import log_action
from partnerships.statemachine import ensure_transition


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


def request_deadline(event, *, now=None):
    """When a request made now expires unanswered, or None when the event lets it wait."""
    if not event.request_expiry_days:
        return None
    return (now or timezone.now()) + dt.timedelta(days=event.request_expiry_days)


def check_proposals(event, slots, parties, *, now=None):
    """Refuse proposed times of another event, already begun, or when one side is busy."""
    now = now or timezone.now()
    slots = list(slots)
    if any(slot.event_id != event.pk for slot in slots):
        raise ValidationError(_("Propose times of this event only."), code="slot")
    past = [str(slot) for slot in slots if slot.starts_at <= now]
    if past:
        raise ValidationError(
            _("These times have already begun: %(times)s.") % {"times": ", ".join(past)},
            code="past",
        )
    ids = [slot.pk for slot in slots]
    # One filter, not a union: SQLite refuses a union of ordered querysets.
    busy = Slot.objects.filter(pk__in=ids).filter(
        Q(unavailable_participants__in=parties) | Q(seats__participant__in=parties)
    )
    blocked = sorted({str(slot) for slot in busy})
    if blocked:
        raise ValidationError(
            _("You or the other person cannot meet at %(times)s.") % {"times": ", ".join(blocked)},
            code="unavailable",
        )


def meeting_kind_for(event, kind):
    """The meeting type a request gets: what the asker chose, if the event offers it."""
    if kind is None:
        return MeetingKind.ONLINE if event.format == EventFormat.ONLINE else MeetingKind.TABLE
    if kind == MeetingKind.ONLINE and not event.is_online:
        raise ValidationError(_("This event has no online meetings."), code="kind")
    if kind == MeetingKind.TABLE and event.format == EventFormat.ONLINE:
        raise ValidationError(_("This event takes place online only."), code="kind")
    return kind


def request_meeting(event, *, by, recipient, message, slots=(), kind=None):
    """Ask another participant for a meeting at one of `slots`, or at any time when there are
    none, at a table or online; accepted at once when the event needs no answer."""
    kind = meeting_kind_for(event, kind)
    requester = (
        Registration.objects.select_related("organisation").filter(event=event, user=by).first()
    )
    if requester is None:
        raise ValidationError(_("Register for the event first."), code="not_registered")
    _check_may_meet(event, requester, recipient)
    if not message.strip():
        raise ValidationError(_("Write a short message for the person you ask."), code="empty")
    check_proposals(event, slots, (requester.pk, recipient.pk))
    pair = Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester)
    duplicate = ValidationError(
        _("You already have a meeting or a pending request with this person."),
        code="duplicate",
    )
    with transaction.atomic():
        # Both registrations, in one order for everybody: two people asking each other at the
        # same moment queue on the same first row instead of each holding what the other needs.
        list(
            Registration.objects.select_for_update()
            .filter(pk__in=(requester.pk, recipient.pk))
            .order_by("pk")
        )
        if Meeting.objects.filter(pair, state__in=MEETING_OPEN_STATES).exists():
            raise duplicate
        sent = (
            Meeting.objects.filter(requester=requester)
            .exclude(state__in=[MeetingState.CANCELLED, MeetingState.EXPIRED])
            .count()
        )
        if event.request_quota is not None and sent >= event.request_quota:
            raise ValidationError(
                _("You have used all %(quota)s meeting requests of this event.")
                % {"quota": event.request_quota},
                code="quota",
            )
        accepted = not event.requests_need_acceptance
        with unique_rule("meeting_one_open_per_pair", lambda: duplicate):
            meeting = Meeting.objects.create(
                event=event,
                requester=requester,
                recipient=recipient,
                message=message.strip(),
                kind=kind,
                state=MeetingState.ACCEPTED if accepted else MeetingState.REQUESTED,
                responded_at=timezone.now() if accepted else None,
                expires_at=None if accepted else request_deadline(event),
            )
        meeting.proposed_slots.set(slots)
        log_action(meeting, "meeting_requested", actor=by, data={"proposed": len(slots)})
        notify(
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
        services.notify(
            recipients=[recipient.user_id],
            kind=NotificationKind.MEETING_REQUEST,
            data={"organisation": requester.organisation.name, "event": event.title},
            url=reverse("events:agenda", args=[event.pk]),
        )
    return meeting


def answer_meeting(meeting, *, accept, by, reason="", slot=None):
    """The person asked accepts or declines; a decline may carry a reason.

    When times were proposed, an acceptance picks one of them and the meeting is booked there
    in the same transaction; with "any time" a slot may be picked or left for later. The
    state is read under the meeting's row lock, the one booking and cancelling take, so an
    answer racing a cancellation sees it and is refused instead of reviving the meeting, and
    of many acceptances for one person's slot the database lets exactly one through.
    """
    if not accept or slot is None:
        return _answer_once(meeting.pk, accept=accept, by=by, reason=reason, slot=None)
    for _attempt in range(TABLE_ATTEMPTS):
        try:
            return _answer_once(meeting.pk, accept=True, by=by, reason=reason, slot=slot)
        except IntegrityError as error:
            constraint = constraint_name(error)
            if "seat_one_meeting_per_slot" in constraint:
                raise BookingConflict(
                    _("You or your partner already have another meeting at this time."),
                    code="person_busy",
                ) from error
            if "meeting_one_per_table_and_slot" not in constraint:
                raise
    raise BookingConflict(_("Every table is taken at this time."), code="tables_full")


def _answer_once(meeting_pk, *, accept, by, reason, slot):
    to = MeetingState.ACCEPTED if accept else MeetingState.DECLINED
    with transaction.atomic():
        meeting = locked_meeting(meeting_pk)
        ensure_transition(MEETING_TRANSITIONS, current=meeting.state, to=to, choices=MeetingState)
        proposed = set(meeting.proposed_slots.values_list("pk", flat=True))
        if accept and proposed and slot is None:
            raise ValidationError(_("Choose one of the proposed times."), code="choose_slot")
        if slot is not None and proposed and slot.pk not in proposed:
            raise ValidationError(
                _("Choose one of the proposed times, or propose others."), code="not_proposed"
            )
        meeting.state = to
        meeting.reason = "" if accept else reason.strip()
        meeting.responded_at = timezone.now()
        meeting.save(update_fields=["state", "reason", "responded_at"])
        if slot is not None:
            seat_in_free_table(meeting, slot=slot)
        log_action(
            meeting,
            "meeting_answered",
            actor=by,
            data={"state": to, "slot": slot.pk if slot else None},
        )
        asker = (
            meeting.recipient if meeting.answerer_id == meeting.requester_id else meeting.requester
        )
        answerer = meeting.requester if asker.pk == meeting.recipient_id else meeting.recipient
        when = ""
        if slot is not None:
            when = _("It is booked at %(slot)s, table %(table)s.") % {
                "slot": slot,
                "table": meeting.table,
            }
        notify(
            subject=_("Your meeting request at %(event)s") % {"event": meeting.event.title},
            text=_("%(user)s answered your request: %(state)s. %(reason)s")
            % {"user": answerer.user, "state": MeetingState(to).label, "reason": reason or when},
            url=reverse("events:agenda", args=[meeting.event_id]),
            recipients=[asker.user.email],
        )
    return meeting


def propose_times(meeting, *, slots, by):
    """The person asked proposes other times instead; now the asker picks one of them."""
    slots = list(slots)
    if not slots:
        raise ValidationError(_("Propose at least one time."), code="empty")
    with transaction.atomic():
        meeting = locked_meeting(meeting.pk)
        if meeting.state != MeetingState.REQUESTED:
            raise ValidationError(
                _("Only a request waiting for an answer can get other times."), code="state"
            )
        check_proposals(meeting.event, slots, (meeting.requester_id, meeting.recipient_id))
        answerer = (
            meeting.requester if meeting.answerer_id == meeting.requester_id else meeting.recipient
        )
        other = meeting.other_party(answerer)
        meeting.proposed_slots.set(slots)
        meeting.awaiting = other
        # The asker gets as long to pick a time as the person asked had.
        meeting.expires_at = request_deadline(meeting.event)
        meeting.reminded_at = None
        meeting.save(update_fields=["awaiting", "expires_at", "reminded_at"])
        log_action(meeting, "meeting_times_proposed", actor=by, data={"proposed": len(slots)})
        notify(
            subject=_("Other times for your meeting at %(event)s") % {"event": meeting.event.title},
            text=_("%(user)s proposes other times: %(times)s. Pick one in your agenda.")
            % {"user": answerer.user, "times": ", ".join(str(slot) for slot in slots)},
            url=reverse("events:agenda", args=[meeting.event_id]),
            recipients=[other.user.email],
        )
    return meeting


def cancel_meeting(meeting, *, by, reason=""):
    """Either party calls a request or meeting off; its slot and seats are freed.

    Read under the meeting's row lock, like answering and booking.
    """
    with transaction.atomic():
        meeting = locked_meeting(meeting.pk)
        ensure_transition(
            MEETING_TRANSITIONS,
            current=meeting.state,
            to=MeetingState.CANCELLED,
            choices=MeetingState,
        )
        if meeting.was_held():
            raise ValidationError(
                _("This meeting has taken place and can no longer be cancelled."), code="held"
            )
        meeting.seats.all().delete()
        meeting.state = MeetingState.CANCELLED
        meeting.reason = reason.strip()
        meeting.slot = None
        meeting.table = None
        meeting.save(update_fields=["state", "reason", "slot", "table"])
        log_action(meeting, "meeting_cancelled", actor=by)
        other = meeting.recipient if meeting.requester.user_id == by.pk else meeting.requester
        notify(
            subject=_("Meeting cancelled at %(event)s") % {"event": meeting.event.title},
            text=_("%(user)s cancelled your meeting. %(reason)s")
            % {"user": by, "reason": meeting.reason},
            url=reverse("events:agenda", args=[meeting.event_id]),
            recipients=[other.user.email],
        )
    return meeting
