"""The events app's part of a person's data export and erasure (see partnerships.signals).

Registrations and meetings stay, so that other participants' agendas and the organisers'
figures keep their shape; what the person wrote and offered goes, and their places at events
still to come are given up.
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import (
    MEETING_OPEN_STATES,
    REGISTRATION_TRANSITIONS,
    MeetingState,
    RegistrationState,
)
from events.models import (
    CooperationItem,
    Event,
    Meeting,
    MeetingPreference,
    MeetingRating,
    Registration,
)
from partnerships import page_cache
from partnerships.services import absolute, log_action, queue_email
from partnerships.services.privacy import iso


def export_personal_data(sender, *, user, **kwargs):
    registrations = list(
        Registration.objects.filter(user=user)
        .select_related("event", "organisation")
        .prefetch_related("cooperation_items")
        .order_by("event__starts_on", "pk")
    )
    mine = {registration.pk for registration in registrations}
    meetings = (
        Meeting.objects.filter(Q(requester__in=mine) | Q(recipient__in=mine))
        .select_related("event", "slot", "requester__organisation", "recipient__organisation")
        .order_by("event__starts_on", "created_at", "pk")
    )
    return {
        "event_registrations": [
            {
                "event": registration.event.title,
                "starts_on": iso(registration.event.starts_on),
                "representing": registration.organisation.name,
                "state": registration.state,
                "introduction": registration.introduction,
                "registered_at": iso(registration.created_at),
                "cooperation_profile": [
                    {
                        "direction": item.direction,
                        "kind": item.kind,
                        "title": item.title,
                        "description": item.description,
                    }
                    for item in registration.cooperation_items.all()
                ],
            }
            for registration in registrations
        ],
        "meetings": [_meeting(meeting, mine) for meeting in meetings],
        "meeting_preferences": [
            {
                "event": preference.registration.event.title,
                "organisation": preference.target.organisation.name,
                "preference": preference.level,
            }
            for preference in MeetingPreference.objects.filter(registration__in=mine)
            .select_related("registration__event", "target__organisation")
            .order_by("pk")
        ],
        "meeting_ratings": [
            {
                "event": rating.meeting.event.title,
                "with_organisation": rating.meeting.other_party(rating.by).organisation.name,
                "stars": rating.stars,
                "comment": rating.comment,
                "rated_at": iso(rating.rated_at),
            }
            for rating in MeetingRating.objects.filter(by__in=mine)
            .select_related(
                "meeting__event",
                "meeting__requester__organisation",
                "meeting__recipient__organisation",
            )
            .order_by("rated_at", "pk")
        ],
        "events_organised": [
            {"event": title, "starts_on": iso(starts_on)}
            for title, starts_on in Event.objects.filter(organiser=user)
            .order_by("starts_on", "pk")
            .values_list("title", "starts_on")
        ],
    }


def _meeting(meeting, mine):
    # The other side appears by organisation only, and only the person's own words are given.
    asked = meeting.requester_id in mine
    other = meeting.recipient if asked else meeting.requester
    return {
        "event": meeting.event.title,
        "with_organisation": other.organisation.name,
        "you": "requested" if asked else "were asked",
        "state": meeting.state,
        "outcome": meeting.outcome,
        "your_message": meeting.message if asked else "",
        "your_reason": meeting.reason
        if not asked and meeting.state == MeetingState.DECLINED
        else "",
        "starts_at": iso(meeting.slot.starts_at) if meeting.slot else None,
        "table": meeting.table,
        "requested_at": iso(meeting.created_at),
    }


def erase_personal_data(sender, *, user, redact, **kwargs):
    registrations = Registration.objects.filter(user=user)
    mine = set(registrations.values_list("pk", flat=True))
    items = CooperationItem.objects.filter(registration__in=mine).delete()[0]
    registrations.exclude(introduction="").update(introduction="")
    cancelled_meetings = _give_up_places(user, mine)
    meetings = 0
    for meeting in Meeting.objects.filter(Q(requester__in=mine) | Q(recipient__in=mine)).order_by(
        "pk"
    ):
        asked = meeting.requester_id in mine
        message = "" if asked else redact(meeting.message)
        declined_by_them = not asked and meeting.state == MeetingState.DECLINED
        reason = "" if declined_by_them else redact(meeting.reason)
        if (message, reason) != (meeting.message, meeting.reason):
            meeting.message, meeting.reason = message, reason
            meeting.save(update_fields=["message", "reason"])
            meetings += 1
    # Stars stay in the organisers' figures; the person's own words go, others' lose the name.
    ratings = 0
    for rating in MeetingRating.objects.filter(
        Q(meeting__requester__in=mine) | Q(meeting__recipient__in=mine)
    ).order_by("pk"):
        comment = "" if rating.by_id in mine else redact(rating.comment)
        if comment != rating.comment:
            rating.comment = comment
            rating.save(update_fields=["comment"])
            ratings += 1
    # What others published for events (descriptions, introductions, offers) may name them.
    shared = sum(
        len(redact.rewrite(model.objects, fields))
        for model, fields in (
            (Event, ("description",)),
            (Registration, ("introduction",)),
            (CooperationItem, ("title", "description")),
        )
    )
    if shared:
        page_cache.bump_on_commit(page_cache.ALL)
    return {
        "event_registrations": len(mine),
        "meeting_ratings": ratings,
        "event_texts": shared,
        "cooperation_items": items,
        "meeting_texts": meetings,
        "meetings_cancelled": cancelled_meetings,
    }


def _give_up_places(user, mine):
    """Cancel the person's registrations and open meetings at events still to come."""
    today = timezone.localdate()
    upcoming = Registration.objects.filter(pk__in=mine, event__ends_on__gte=today)
    cancellable = [
        state
        for state, targets in REGISTRATION_TRANSITIONS.items()
        if RegistrationState.CANCELLED in targets
    ]
    given_up = upcoming.filter(state__in=cancellable)
    # A bulk update sends no post_save: the events' pages (participant counts) are told here.
    page_cache.bump_on_commit(
        *(
            page_cache.event_scope(pk)
            for pk in sorted(set(given_up.values_list("event_id", flat=True)))
        )
    )
    given_up.update(state=RegistrationState.CANCELLED, decided_at=timezone.now())
    meetings = (
        Meeting.objects.select_for_update(of=("self",))
        .filter(Q(requester__in=upcoming) | Q(recipient__in=upcoming))
        .filter(state__in=MEETING_OPEN_STATES)
        .select_related("event", "requester__organisation", "recipient__organisation")
        .order_by("pk")
    )
    cancelled = 0
    for meeting in meetings:
        asked = meeting.requester_id in mine
        gone, other = (
            (meeting.requester, meeting.recipient)
            if asked
            else (meeting.recipient, meeting.requester)
        )
        meeting.seats.all().delete()
        meeting.state = MeetingState.CANCELLED
        meeting.slot = None
        meeting.table = None
        meeting.save(update_fields=["state", "slot", "table"])
        log_action(meeting, "meeting_cancelled", actor=None, data={"reason": "account_erased"})
        cancelled += 1
        queue_email(
            subject=_("Meeting cancelled at %(event)s") % {"event": meeting.event.title},
            template="events/email/notice.txt",
            context={
                "text": _(
                    "The representative of %(organisation)s has closed their account, so your "
                    "meeting is cancelled."
                )
                % {"organisation": gone.organisation.name},
                "url": absolute(reverse("events:agenda", args=[meeting.event_id])),
            },
            recipients=[other.user.email],
        )
    return cancelled
