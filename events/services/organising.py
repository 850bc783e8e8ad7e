"""The organisers' writes: setting an event up, its co-organisers, mailings, the day itself,
and acting for a participant who asked for help."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import MeetingState
from events.models import Event, EventMailing, EventOrganiser, MeetingWindow
from events.services.booking import generate_slots, locked_meeting
from events.services.meetings import answer_meeting, request_meeting
from events.services.notices import notify
from partnerships.services import log_action

# The fields of an event an organiser sets on its form; the rest is the portal's.
EVENT_FIELDS = (
    "title",
    "type",
    "format",
    "description",
    "starts_on",
    "ends_on",
    "time_zone",
    "venue",
    "city",
    "country",
    "online_url",
    "registration_opens",
    "registration_closes",
    "capacity",
    "requires_approval",
    "meeting_minutes",
    "tables",
    "requests_need_acceptance",
    "request_quota",
    "request_expiry_days",
    "who_may_meet",
)


def check_windows(*, starts_on, ends_on, windows):
    """Refuse meeting hours outside the event's days or overlapping on one day.

    `windows` are (day, start, end) tuples; a gap between two of a day's windows is a break.
    """
    errors = []
    by_day = {}
    for day, start, end in windows:
        if not starts_on <= day <= ends_on:
            errors.append(
                _("%(day)s is not one of the event's days.") % {"day": day.isoformat()},
            )
        if end <= start:
            errors.append(
                _("On %(day)s the meeting hours end before they start.") % {"day": day.isoformat()}
            )
        by_day.setdefault(day, []).append((start, end))
    for day, spans in sorted(by_day.items()):
        spans.sort()
        for (_start, end), (next_start, _end) in zip(spans, spans[1:], strict=False):
            if next_start < end:
                errors.append(
                    _("On %(day)s two stretches of meeting hours overlap.")
                    % {"day": day.isoformat()}
                )
    if errors:
        raise ValidationError(errors, code="windows")


def _check_event(fields):
    opens, closes = fields.get("registration_opens"), fields.get("registration_closes")
    if fields["ends_on"] < fields["starts_on"]:
        raise ValidationError(_("The last day is before the first day."), code="days")
    if opens and closes and closes <= opens:
        raise ValidationError(
            _("Registration must close after it opens."), code="registration_window"
        )


def _set_windows(event, windows):
    event.windows.all().delete()
    MeetingWindow.objects.bulk_create(
        [MeetingWindow(event=event, day=day, start=start, end=end) for day, start, end in windows]
    )


def create_event(*, by, fields, windows, sectors=(), emerging=()):
    """Set up an event run by `by`, with its meeting hours cut into slots."""
    fields = {name: fields[name] for name in EVENT_FIELDS if name in fields}
    _check_event(fields)
    check_windows(starts_on=fields["starts_on"], ends_on=fields["ends_on"], windows=windows)
    with transaction.atomic():
        event = Event.objects.create(organiser=by, **fields)
        event.sectoral_industries.set(sectors)
        event.emerging_industries.set(emerging)
        _set_windows(event, windows)
        log_action(event, "event_created", actor=by, data={"windows": len(windows)})
        generate_slots(event, by=by)
    return event


def update_event(event, *, by, fields, windows, sectors=(), emerging=()):
    """Change an event's settings and meeting hours; slots holding meetings are kept."""
    fields = {name: fields[name] for name in EVENT_FIELDS if name in fields}
    _check_event(fields)
    check_windows(starts_on=fields["starts_on"], ends_on=fields["ends_on"], windows=windows)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        changed = sorted(name for name, value in fields.items() if getattr(event, name) != value)
        for name, value in fields.items():
            setattr(event, name, value)
        event.save()
        event.sectoral_industries.set(sectors)
        event.emerging_industries.set(emerging)
        _set_windows(event, windows)
        log_action(event, "event_updated", actor=by, data={"fields": changed})
        generate_slots(event, by=by)
    return event


def forget_organisers(event):
    """Drop the co-organisers the permission check read on this event object."""
    event.__dict__.pop("_co_organiser_ids", None)


def add_organiser(event, *, email, by):
    """Appoint the person with this address as a co-organiser of `event`."""
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            _("Nobody with this e-mail address has an account on the portal."), code="unknown"
        )
    if user.pk == event.organiser_id or event.organisers.filter(user=user).exists():
        raise ValidationError(_("This person already organises the event."), code="duplicate")
    with transaction.atomic():
        role = EventOrganiser.objects.create(event=event, user=user, appointed_by=by)
        forget_organisers(event)
        log_action(event, "organiser_added", actor=by, data={"user": user.pk})
        notify(
            subject=_("You now organise %(event)s") % {"event": event.title},
            text=_("%(by)s made you an organiser of %(event)s.") % {"by": by, "event": event},
            url=event.get_absolute_url(),
            recipients=[user.email],
        )
    return role


def remove_organiser(role, *, by):
    """Take a co-organiser off the event; the organiser who created it stays."""
    with transaction.atomic():
        log_action(role.event, "organiser_removed", actor=by, data={"user": role.user_id})
        role.delete()
        forget_organisers(role.event)


def send_mailing(event, *, registrations, subject, body, audience, by):
    """E-mail every one of `registrations` a copy of the message, after the commit."""
    registrations = list(registrations.select_related("user"))
    if not registrations:
        raise ValidationError(_("Nobody matches this filter; nothing was sent."), code="empty")
    with transaction.atomic():
        mailing = EventMailing.objects.create(
            event=event,
            subject=subject,
            body=body,
            audience=audience,
            recipient_count=len(registrations),
            sent_by=by,
        )
        # One message per person: the participants do not see each other's addresses.
        for registration in registrations:
            notify(
                subject=subject,
                text=body,
                url=event.get_absolute_url(),
                recipients=[registration.user.email],
            )
        log_action(event, "mailing_sent", actor=by, data={"mailing": mailing.pk})
    return mailing


def mark_no_show(meeting, *, no_show, by, now=None):
    """Record on the day that a booked meeting did not take place, or that it did after all."""
    now = now or timezone.now()
    with transaction.atomic():
        meeting = locked_meeting(meeting.pk)
        if meeting.state != MeetingState.ACCEPTED or meeting.slot_id is None:
            raise ValidationError(
                _("Only a booked meeting can be marked as a no-show."), code="not_booked"
            )
        if meeting.slot.starts_at > now:
            raise ValidationError(
                _("This meeting has not started yet; mark a no-show once its slot has begun."),
                code="not_started",
            )
        meeting.no_show = no_show
        meeting.save(update_fields=["no_show"])
        log_action(meeting, "meeting_no_show", actor=by, data={"no_show": no_show})
    return meeting


def request_meeting_for(registration, *, recipient, message, by):
    """The organiser asks for a meeting in a participant's name, as the participant asked."""
    with transaction.atomic():
        meeting = request_meeting(
            registration.event, by=registration.user, recipient=recipient, message=message
        )
        log_action(
            registration,
            "acted_for_participant",
            actor=by,
            data={"action": "meeting_requested", "meeting": meeting.pk},
        )
    return meeting


def answer_meeting_for(meeting, *, registration, accept, by, reason=""):
    """The organiser answers a request addressed to `registration`, in their name."""
    if meeting.recipient_id != registration.pk:
        raise ValidationError(
            _("This request is not addressed to this participant."), code="not_recipient"
        )
    with transaction.atomic():
        meeting = answer_meeting(meeting, accept=accept, by=registration.user, reason=reason)
        log_action(
            registration,
            "acted_for_participant",
            actor=by,
            data={"action": "meeting_answered", "meeting": meeting.pk, "accept": accept},
        )
    return meeting


def normalise_badge_code(text):
    """A badge code as typed or scanned: any case, with or without the dash or spaces."""
    code = "".join(text.split()).replace("-", "").upper()
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def check_in(event, *, code, by, now=None):
    """Check the participant with this badge code in; a second scan changes nothing.

    Returns the registration and whether this scan checked them in.
    """
    code = normalise_badge_code(code)
    with transaction.atomic():
        registration = (
            event.registrations.select_for_update(of=("self",))
            .select_related("user", "organisation")
            .filter(badge_code=code)
            .first()
        )
        if registration is None:
            raise ValidationError(
                _("No participant of this event has the badge code %(code)s.") % {"code": code},
                code="unknown",
            )
        if not registration.is_approved:
            raise ValidationError(
                _("%(name)s is not a validated participant of this event.")
                % {"name": registration.user},
                code="not_approved",
            )
        if registration.checked_in_at is not None:
            return registration, False
        registration.checked_in_at = now or timezone.now()
        registration.save(update_fields=["checked_in_at"])
        log_action(registration, "checked_in", actor=by)
    return registration, True
