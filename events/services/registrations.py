"""Registrations: taking part in an event, the organiser's decision, meeting preferences."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import REGISTRATION_TRANSITIONS, RegistrationState
from events.models import CooperationItem, MeetingPreference, Registration
from events.services.notices import notify
from partnerships.models import OrganisationMembership
from partnerships.services import log_action
from partnerships.statemachine import ensure_transition


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
            notify(
                subject=_("New registration for %(event)s") % {"event": event.title},
                text=_("%(user)s (%(organisation)s) asks to take part.")
                % {"user": user, "organisation": organisation},
                url=reverse("events:participant-list", args=[event.pk]),
                recipients=[event.organiser.email],
            )
    return registration


def decide_registration(registration, *, approve, by, reason=""):
    """The organiser approves or rejects a pending registration; the participant is told,
    with the organiser's reason when there is one."""
    to = RegistrationState.APPROVED if approve else RegistrationState.REJECTED
    reason = reason.strip()
    ensure_transition(
        REGISTRATION_TRANSITIONS, current=registration.state, to=to, choices=RegistrationState
    )
    with transaction.atomic():
        registration.state = to
        registration.decided_at = timezone.now()
        registration.decision_reason = reason
        registration.save(update_fields=["state", "decided_at", "decision_reason"])
        log_action(registration, "registration_decided", actor=by, data={"state": to})
        notify(
            subject=_("Your registration for %(event)s") % {"event": registration.event.title},
            text=" ".join(
                filter(
                    None,
                    [
                        _("Your registration is now: %(state)s.")
                        % {"state": RegistrationState(to).label},
                        reason,
                    ],
                )
            ),
            url=registration.event.get_absolute_url(),
            recipients=[registration.user.email],
        )
    return registration


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


def set_availability(registration, *, available, by):
    """Record in which of the event's slots `registration` is free; the rest are busy.

    Refused, naming the times, when a busy slot already holds one of their meetings: the
    meeting is moved or cancelled first, not silently left where they cannot come.
    """
    slots = list(registration.event.slots.order_by("starts_at"))
    available = {slot.pk for slot in available}
    busy = [slot for slot in slots if slot.pk not in available]
    booked = sorted(
        {seat.slot for seat in registration.seats.filter(slot__in=busy).select_related("slot")},
        key=lambda slot: slot.starts_at,
    )
    if booked:
        raise ValidationError(
            _("You have a meeting at %(times)s: move or cancel it before you mark that time busy.")
            % {"times": ", ".join(str(slot) for slot in booked)},
            code="booked",
        )
    with transaction.atomic():
        registration.unavailable_slots.set(busy)
        log_action(registration, "availability_set", actor=by, data={"busy": len(busy)})
    return busy


def renew_calendar_token(registration, *, by):
    """A new secret address for the agenda feed; the old one stops working at once."""
    with transaction.atomic():
        registration.calendar_token = secrets.token_urlsafe(32)
        registration.save(update_fields=["calendar_token"])
        log_action(registration, "calendar_feed_renewed", actor=by)
    return registration.calendar_token


def revoke_calendar_token(registration, *, by):
    """Stop the agenda feed: calendar apps subscribed to it get nothing more."""
    with transaction.atomic():
        registration.calendar_token = None
        registration.save(update_fields=["calendar_token"])
        log_action(registration, "calendar_feed_revoked", actor=by)
