"""The models of events: the event, its schedule, registrations and meetings.

Each subject lives in a module of its own; this package exports every model, so
`from events.models import Event` and the paths the migrations name keep working.
"""

from .event import TIME_ZONE_CHOICES, Event
from .meeting import Meeting, new_room_key
from .meeting_records import MeetingPreference, MeetingRating, MeetingSeat
from .organising import EventMailing, EventOrganiser
from .registration import BADGE_ALPHABET, CooperationItem, Registration, new_badge_code
from .schedule import MeetingWindow, Slot

__all__ = [
    "BADGE_ALPHABET",
    "CooperationItem",
    "Event",
    "EventMailing",
    "EventOrganiser",
    "Meeting",
    "MeetingPreference",
    "MeetingRating",
    "MeetingSeat",
    "MeetingWindow",
    "Registration",
    "Slot",
    "TIME_ZONE_CHOICES",
    "new_badge_code",
    "new_room_key",
]
