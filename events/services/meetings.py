"""Meeting requests: asking, answering and calling a meeting off."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import MEETING_OPEN_STATES, MEETING_TRANSITIONS, MeetingState, WhoMayMeet
from events.models import Meeting, Registration
from events.services.booking import locked_meeting
from events.services.notices import notify
from partnerships import services
from partnerships.enums import NotificationKind
from partnerships.integrity import unique_rule
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
        with unique_rule("meeting_one_open_per_pair", lambda: duplicate):
            meeting = Meeting.objects.create(
                event=event,
                requester=requester,
                recipient=recipient,
                message=message.strip(),
                state=MeetingState.ACCEPTED if accepted else MeetingState.REQUESTED,
                responded_at=timezone.now() if accepted else None,
            )
        log_action(meeting, "meeting_requested", actor=by)
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


def answer_meeting(meeting, *, accept, by, reason=""):
    """The recipient accepts or declines a request; a decline may carry a reason.

    The state is read under the meeting's row lock, the one booking and cancelling take, so
    an answer racing a cancellation sees it and is refused instead of reviving the meeting.
    """
    to = MeetingState.ACCEPTED if accept else MeetingState.DECLINED
    with transaction.atomic():
        meeting = locked_meeting(meeting.pk)
        ensure_transition(MEETING_TRANSITIONS, current=meeting.state, to=to, choices=MeetingState)
        meeting.state = to
        meeting.reason = "" if accept else reason.strip()
        meeting.responded_at = timezone.now()
        meeting.save(update_fields=["state", "reason", "responded_at"])
        log_action(meeting, "meeting_answered", actor=by, data={"state": to})
        notify(
            subject=_("Your meeting request at %(event)s") % {"event": meeting.event.title},
            text=_("%(user)s answered your request: %(state)s. %(reason)s")
            % {"user": meeting.recipient.user, "state": MeetingState(to).label, "reason": reason},
            url=reverse("events:agenda", args=[meeting.event_id]),
            recipients=[meeting.requester.user.email],
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
