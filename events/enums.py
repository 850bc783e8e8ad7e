from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    TRADE_FAIR = "trade_fair", _("Trade-fair delegation")
    CONFERENCE = "conference", _("Conference matchmaking")
    ONLINE = "online", _("Online matchmaking")


class EventFormat(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid: on site and online")


class WhoMayMeet(models.TextChoices):
    ANYONE = "anyone", _("Any two participants")
    OTHER_ORGANISATIONS = "other_organisations", _("Only participants of different organisations")
    OTHER_COUNTRIES = "other_countries", _("Only participants from different countries")


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Waiting for the organiser's approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


# A rejected participant may be approved after all; a cancelled registration is final, a new
# one starts again from the beginning.
REGISTRATION_TRANSITIONS = {
    RegistrationState.PENDING: {
        RegistrationState.APPROVED,
        RegistrationState.REJECTED,
        RegistrationState.CANCELLED,
    },
    RegistrationState.APPROVED: {RegistrationState.CANCELLED},
    RegistrationState.REJECTED: {RegistrationState.APPROVED},
    RegistrationState.CANCELLED: set(),
}


class CooperationKind(models.TextChoices):
    TECHNOLOGY = "technology", _("Technology")
    BUSINESS = "business", _("Business")
    RESEARCH = "research", _("Research")


class CooperationDirection(models.TextChoices):
    OFFER = "offer", _("Offer")
    REQUEST = "request", _("Request")


class MeetingState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired without an answer")


MEETING_TRANSITIONS = {
    MeetingState.REQUESTED: {
        MeetingState.ACCEPTED,
        MeetingState.DECLINED,
        MeetingState.CANCELLED,
        MeetingState.EXPIRED,
    },
    MeetingState.ACCEPTED: {MeetingState.CANCELLED},
    MeetingState.DECLINED: set(),
    MeetingState.CANCELLED: set(),
    MeetingState.EXPIRED: set(),
}

# A pair has at most one meeting in these states; after a decline or cancel they may ask again.
MEETING_OPEN_STATES = (MeetingState.REQUESTED, MeetingState.ACCEPTED)


class Preference(models.TextChoices):
    MUST_MEET = "must_meet", _("Must meet")
    MEET = "meet", _("Would like to meet")
    NO_THANKS = "no_thanks", _("No thanks")


class MeetingKind(models.TextChoices):
    TABLE = "table", _("Face to face at a table")
    ONLINE = "online", _("Online, by video link")


class MeetingOutcome(models.TextChoices):
    NONE = "none", _("No follow-up yet")
    NEGOTIATION = "negotiation", _("Negotiation started")
    AGREEMENT = "agreement", _("Agreement reached")
    NO_AGREEMENT = "no_agreement", _("No agreement")


# What came of a meeting, as either side reports it after the event. An agreement is final;
# a negotiation ends in an agreement or without one.
OUTCOME_TRANSITIONS = {
    MeetingOutcome.NONE: {
        MeetingOutcome.NEGOTIATION,
        MeetingOutcome.AGREEMENT,
        MeetingOutcome.NO_AGREEMENT,
    },
    MeetingOutcome.NEGOTIATION: {MeetingOutcome.AGREEMENT, MeetingOutcome.NO_AGREEMENT},
    MeetingOutcome.AGREEMENT: set(),
    MeetingOutcome.NO_AGREEMENT: {MeetingOutcome.NEGOTIATION},
}

# Outcomes shown on both organisations' profiles.
PROFILE_OUTCOMES = (MeetingOutcome.NEGOTIATION, MeetingOutcome.AGREEMENT)
