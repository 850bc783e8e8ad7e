"""Requests that wait too long: a reminder the day before, then they expire.

Both sweeps are safe to repeat: each request is reminded once and expires once, and rows
another sweep holds are skipped, not waited for.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import MeetingState
from events.models import Meeting
from events.services.notices import notify
from partnerships.services import log_action

REMIND_BEFORE = dt.timedelta(days=1)


def _waiting():
    return Meeting.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        state=MeetingState.REQUESTED, expires_at__isnull=False
    )


def _answerer(meeting):
    return meeting.requester if meeting.answerer_id == meeting.requester_id else meeting.recipient


def remind_expiring_requests(*, now=None):
    """Remind whoever has to answer a request that expires within a day; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            _waiting()
            .filter(
                reminded_at__isnull=True, expires_at__gt=now, expires_at__lte=now + REMIND_BEFORE
            )
            .select_related("event", "requester__user", "recipient__user")
        )
        for meeting in due:
            meeting.reminded_at = now
            meeting.save(update_fields=["reminded_at"])
            answerer = _answerer(meeting)
            notify(
                subject=_("A meeting request at %(event)s waits for your answer")
                % {"event": meeting.event.title},
                text=_(
                    "%(user)s asked to meet you. Answer by %(deadline)s, or the request expires."
                )
                % {
                    "user": meeting.other_party(answerer).user,
                    "deadline": timezone.localtime(meeting.expires_at, meeting.event.zone).strftime(
                        "%d.%m.%Y %H:%M"
                    ),
                },
                url=reverse("events:agenda", args=[meeting.event_id]),
                recipients=[answerer.user.email],
            )
    return len(due)


def expire_requests(*, now=None):
    """Close the requests whose time ran out; both sides are told. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            _waiting()
            .filter(expires_at__lte=now)
            .select_related("event", "requester__user", "recipient__user")
        )
        for meeting in due:
            meeting.state = MeetingState.EXPIRED
            meeting.save(update_fields=["state"])
            log_action(meeting, "meeting_expired", actor=None)
            notify(
                subject=_("A meeting request at %(event)s expired")
                % {"event": meeting.event.title},
                text=_(
                    "The request %(meeting)s got no answer in time; either of you may ask again."
                )
                % {"meeting": meeting},
                url=reverse("events:agenda", args=[meeting.event_id]),
                recipients=[meeting.requester.user.email, meeting.recipient.user.email],
            )
    return len(due)
