"""Who may do what at an event. Predicates take (user, event) or (user, meeting)."""

import rules

from events.enums import RegistrationState
from partnerships.rules import is_commission_staff, is_organisation_member, is_signed_in


@rules.predicate
def is_event_organiser(user, event):
    """The organiser who created the event, or a co-organiser appointed to it."""
    if event is None or not user.is_authenticated:
        return False
    if event.organiser_id == user.pk:
        return True
    # A page asks several times per request (its permission, then which links to show):
    # the co-organisers are read once per event object.
    if not hasattr(event, "_co_organiser_ids"):
        event._co_organiser_ids = set(event.organisers.values_list("user_id", flat=True))
    return user.pk in event._co_organiser_ids


@rules.predicate
def organises_events(user):
    """Organisers of any event may set up another one without staff."""
    if not user.is_authenticated:
        return False
    return user.organised_events.exists() or user.event_organiser_roles.exists()


@rules.predicate
def is_approved_participant(user, event):
    if event is None or not user.is_authenticated:
        return False
    return event.registrations.filter(user=user, state=RegistrationState.APPROVED).exists()


@rules.predicate
def is_meeting_party(user, meeting):
    if meeting is None or not user.is_authenticated:
        return False
    return user.pk in (meeting.requester.user_id, meeting.recipient.user_id)


@rules.predicate
def is_meeting_recipient(user, meeting):
    """The person whose answer the request waits for: the one asked, or after they proposed
    other times, the one who asked."""
    if meeting is None or not user.is_authenticated:
        return False
    answerer = (
        meeting.requester if meeting.answerer_id == meeting.requester_id else meeting.recipient
    )
    return answerer.user_id == user.pk


can_manage_event = is_event_organiser | is_commission_staff
# Participants see each other; the organiser sees everybody who registered.
can_view_participants = is_approved_participant | can_manage_event

rules.add_perm("events.view_event", rules.always_allow)
rules.add_perm("events.organise_events", organises_events | is_commission_staff)
rules.add_perm("events.add_event", organises_events | is_commission_staff)
rules.add_perm("events.register_event", is_signed_in)
rules.add_perm("events.manage_event", can_manage_event)
rules.add_perm("events.view_participants", can_view_participants)
# Acting in a participant's name shows their private requests: the event's own organisers
# only, not every member of staff.
rules.add_perm("events.act_for_participant", is_event_organiser)
rules.add_perm("events.request_meeting", is_approved_participant)
rules.add_perm("events.answer_meeting", is_meeting_recipient)
rules.add_perm("events.book_meeting", is_meeting_party | is_commission_staff)
rules.add_perm("events.cancel_meeting", is_meeting_party)
rules.add_perm("events.view_meeting", is_meeting_party | is_commission_staff)
rules.add_perm("events.follow_up_meeting", is_meeting_party)
rules.add_perm("events.view_statistics", can_manage_event)
# Negotiations in progress are the business of the organisation; agreements are public.
rules.add_perm("events.view_negotiations", is_organisation_member | is_commission_staff)
