from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    CLUSTER = "cluster", _("Cluster organisation")
    BUSINESS_NETWORK = "business_network", _("Business network organisation")
    TECHNOLOGY_CENTRE = "technology_centre", _("Technology centre")
    SCIENCE_PARK = "science_park", _("Science park")
    OTHER = "other", _("Other")


class ValidationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending validation")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


# The only moves an organisation profile may make. A verified profile can be withdrawn by
# staff (to rejected) but never silently drops back to draft.
VALIDATION_TRANSITIONS = {
    ValidationState.DRAFT: {ValidationState.PENDING},
    ValidationState.PENDING: {
        ValidationState.VERIFIED,
        ValidationState.REJECTED,
        ValidationState.DRAFT,
    },
    ValidationState.REJECTED: {ValidationState.PENDING, ValidationState.DRAFT},
    ValidationState.VERIFIED: {ValidationState.REJECTED},
}


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")


class LabelLevel(models.TextChoices):
    BRONZE = "bronze", _("Bronze")
    SILVER = "silver", _("Silver")
    GOLD = "gold", _("Gold")


LABEL_RANK = {LabelLevel.BRONZE: 1, LabelLevel.SILVER: 2, LabelLevel.GOLD: 3}


class AwardingBody(models.TextChoices):
    ESCA = "esca", _("ESCA (European Secretariat for Cluster Analysis)")
    EUCLES = "eucles", _("EUCLES (European Clusters Labelling Excellence Structure)")


class LabelState(models.TextChoices):
    """Whether staff have checked a label the managers declared."""

    DECLARED = "declared", _("Declared")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


# Staff verify or reject a declared label once they have seen the certificate; a verified
# label found to be wrong later can still be withdrawn (to rejected).
LABEL_TRANSITIONS = {
    LabelState.DECLARED: {LabelState.VERIFIED, LabelState.REJECTED},
    LabelState.VERIFIED: {LabelState.REJECTED},
    LabelState.REJECTED: set(),
}

# Days before a label runs out on which its managers are reminded to renew it, latest last.
LABEL_RENEWAL_REMINDER_DAYS = (90, 30)


class MemberType(models.TextChoices):
    """The member categories a profile counts, in the order the profile form shows them."""

    SMES = "members_smes", _("SMEs")
    LARGE = "members_large", _("Large companies")
    RESEARCH = "members_research", _("Research and education")
    PUBLIC = "members_public", _("Public bodies")
    CIVIL = "members_civil", _("Civil society")


class SizeBand(models.TextChoices):
    SMALL = "small", _("Up to 50 members")
    MEDIUM = "medium", _("51 to 150 members")
    LARGE = "large", _("151 to 300 members")
    VERY_LARGE = "very_large", _("More than 300 members")


SIZE_BAND_BOUNDS = {
    SizeBand.SMALL: (0, 50),
    SizeBand.MEDIUM: (51, 150),
    SizeBand.LARGE: (151, 300),
    SizeBand.VERY_LARGE: (301, None),
}


class HotspotMeasure(models.TextChoices):
    ORGANISATIONS = "organisations", _("Organisations")
    EMPLOYEES = "employees", _("Employees in member firms")


class HotspotDimension(models.TextChoices):
    SECTORAL = "sectoral", _("Sectoral industry")
    EMERGING = "emerging", _("Emerging industry")


class CallType(models.TextChoices):
    ESCP_S3 = "escp_s3", _("ESCP-S3: strategic cluster partnership for smart specialisation")
    ESCP_4I = "escp_4i", _("ESCP-4i: strategic cluster partnership going international")
    TWO_STAGE = "two_stage", _("Two-stage innovation action")
    OTHER = "other", _("Other")


class CallState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    IN_EVALUATION = "in_evaluation", _("In evaluation")
    DECIDED = "decided", _("Decided")


# A closed call may reopen (a deadline extended by staff) until evaluation starts.
CALL_TRANSITIONS = {
    CallState.DRAFT: {CallState.OPEN},
    CallState.OPEN: {CallState.CLOSED},
    CallState.CLOSED: {CallState.OPEN, CallState.IN_EVALUATION},
    CallState.IN_EVALUATION: {CallState.DECIDED},
    CallState.DECIDED: set(),
}


class ExpressionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    STAGE1_PASSED = "stage1_passed", _("Stage 1 passed: invited to stage 2")
    STAGE1_REJECTED = "stage1_rejected", _("Rejected at stage 1")
    STAGE2_SUBMITTED = "stage2_submitted", _("Stage 2 submitted")
    SELECTED = "selected", _("Selected")
    RESERVE = "reserve", _("Reserve list")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Single-stage calls decide straight from "eligible"; two-stage calls pass through the
# stage-1 verdict and a second submission. The reserve list can still move up or out.
EXPRESSION_TRANSITIONS = {
    ExpressionState.DRAFT: {ExpressionState.SUBMITTED, ExpressionState.WITHDRAWN},
    ExpressionState.SUBMITTED: {
        ExpressionState.ELIGIBLE,
        ExpressionState.INELIGIBLE,
        ExpressionState.WITHDRAWN,
    },
    ExpressionState.ELIGIBLE: {
        ExpressionState.STAGE1_PASSED,
        ExpressionState.STAGE1_REJECTED,
        ExpressionState.SELECTED,
        ExpressionState.RESERVE,
        ExpressionState.REJECTED,
    },
    ExpressionState.INELIGIBLE: set(),
    ExpressionState.STAGE1_PASSED: {ExpressionState.STAGE2_SUBMITTED, ExpressionState.WITHDRAWN},
    ExpressionState.STAGE1_REJECTED: set(),
    ExpressionState.STAGE2_SUBMITTED: {
        ExpressionState.SELECTED,
        ExpressionState.RESERVE,
        ExpressionState.REJECTED,
        ExpressionState.WITHDRAWN,
    },
    ExpressionState.SELECTED: set(),
    ExpressionState.RESERVE: {ExpressionState.SELECTED, ExpressionState.REJECTED},
    ExpressionState.REJECTED: set(),
    ExpressionState.WITHDRAWN: set(),
}

# States in which the lead may still change the content (before the stage's deadline).
EXPRESSION_EDITABLE_STATES = frozenset({ExpressionState.DRAFT, ExpressionState.STAGE1_PASSED})
# States a lead may withdraw from themselves; the rest are staff verdicts.
EXPRESSION_WITHDRAWABLE_STATES = frozenset(
    target for target, moves in EXPRESSION_TRANSITIONS.items() if ExpressionState.WITHDRAWN in moves
)


class PartnerState(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


# A partner may change its mind while the expression is a draft; a declined one may be
# invited again.
PARTNER_TRANSITIONS = {
    PartnerState.INVITED: {PartnerState.CONFIRMED, PartnerState.DECLINED},
    PartnerState.CONFIRMED: {PartnerState.DECLINED},
    PartnerState.DECLINED: {PartnerState.INVITED},
}


class PartnershipPhase(models.TextChoices):
    PREPARATORY = "preparatory", _("Preparatory")
    IMPLEMENTATION = "implementation", _("Implementation")
    INVESTMENT = "investment", _("Investment")


# A partnership moves forward through its phases, one at a time.
PARTNERSHIP_TRANSITIONS = {
    PartnershipPhase.PREPARATORY: {PartnershipPhase.IMPLEMENTATION},
    PartnershipPhase.IMPLEMENTATION: {PartnershipPhase.INVESTMENT},
    PartnershipPhase.INVESTMENT: set(),
}


class OutcomeKind(models.TextChoices):
    STRATEGY = "strategy", _("Joint strategy adopted")
    AGREEMENT = "agreement", _("Cooperation agreement signed")
    PROJECT = "project", _("Joint project launched")
    INVESTMENT = "investment", _("Investment mobilised")
    MARKET = "market", _("New market entered")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


# A submitted review is final: the other reviewers and the moderator have read it by then.
REVIEW_TRANSITIONS = {
    ReviewState.DRAFT: {ReviewState.SUBMITTED},
    ReviewState.SUBMITTED: set(),
}


class AssignmentSource(models.TextChoices):
    AUTO = "auto", _("Automatic")
    MANUAL = "manual", _("Manual")


class ConflictRule(models.TextChoices):
    AFFILIATION = "affiliation", _("Manages a consortium organisation")
    DECLARED = "declared", _("Declared conflict of interest")
    SAME_COUNTRY = "same_country", _("Same country as a consortium organisation")


class ConflictAction(models.TextChoices):
    SKIPPED = "skipped", _("Skipped by automatic assignment")
    REFUSED = "refused", _("Manual assignment refused")
    WITHDRAWN = "withdrawn", _("Assignment withdrawn after a declaration")


class DecisionState(models.TextChoices):
    PENDING = "pending", _("Pending")
    RELEASED = "released", _("Released")


# Decisions wait until staff release a whole stage at once; a released one is final.
DECISION_TRANSITIONS = {
    DecisionState.PENDING: {DecisionState.RELEASED},
    DecisionState.RELEASED: set(),
}


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")


OUTBOX_TRANSITIONS = {
    OutboxState.PENDING: {OutboxState.SENT},
    OutboxState.SENT: set(),
}

# The state an expression must be in to be reviewed at each stage.
REVIEWABLE_STATES = {1: ExpressionState.ELIGIBLE, 2: ExpressionState.STAGE2_SUBMITTED}
# What a review can conclude: the first stage of a two-stage call invites to stage 2 or
# rejects; a final stage selects, puts on the reserve list or rejects.
SCREENING_OUTCOMES = (ExpressionState.STAGE1_PASSED, ExpressionState.STAGE1_REJECTED)
FINAL_OUTCOMES = (ExpressionState.SELECTED, ExpressionState.RESERVE, ExpressionState.REJECTED)


# What the history of an organisation says for each audit action, in words.
ORGANISATION_HISTORY = {
    "organisation.created": _("Profile created"),
    "organisation.updated": _("Profile edited"),
    "organisation.draft": _("Back to draft"),
    "organisation.pending": _("Submitted for validation"),
    "organisation.verified": _("Verified by staff"),
    "organisation.rejected": _("Rejected by staff"),
    "organisation.member_added": _("Person added"),
    "organisation.invited": _("Person invited"),
    "organisation.ownership_transferred": _("Ownership handed over"),
    "organisation.programme_confirmed": _("Cluster programme confirmed"),
    "label.recorded": _("Label recorded"),
    "label.verified": _("Label verified by staff"),
    "label.rejected": _("Label rejected by staff"),
    "label.renewal_reminded": _("Label renewal reminder sent"),
}


class NotificationKind(models.TextChoices):
    """What a notification is about; each person chooses how every kind reaches them."""

    MESSAGE = "message", _("New message")
    CONSORTIUM_INVITATION = "consortium_invitation", _("Invitation to a consortium")
    MEETING_REQUEST = "meeting_request", _("Meeting request at an event")
    CALL_CLOSING = "call_closing", _("Call closing in 7 days")
    LABEL_EXPIRING = "label_expiring", _("Label expiring in 60 days")
    VALIDATION_DECISION = "validation_decision", _("Validation decision on a profile")
    SEARCH_INTEREST = "search_interest", _("Interest in a partner search")
    SEARCH_COMMENT = "search_comment", _("Comment on a partner search")


class NotificationDelivery(models.TextChoices):
    PORTAL = "portal", _("In the portal only")
    EMAIL = "email", _("By e-mail at once")
    DIGEST = "digest", _("In the weekly digest")


# Kinds whose event already sends an e-mail of its own that the person needs (the invitation,
# the meeting notice, the verdict): "at once" does not send them a second one.
ESSENTIAL_EMAIL_KINDS = frozenset(
    {
        NotificationKind.CONSORTIUM_INVITATION,
        NotificationKind.MEETING_REQUEST,
        NotificationKind.VALIDATION_DECISION,
    }
)

# How a kind reaches a person who has not chosen: what needs an answer comes by e-mail.
DEFAULT_DELIVERY = {
    NotificationKind.MESSAGE: NotificationDelivery.EMAIL,
    NotificationKind.CONSORTIUM_INVITATION: NotificationDelivery.EMAIL,
    NotificationKind.MEETING_REQUEST: NotificationDelivery.EMAIL,
    NotificationKind.CALL_CLOSING: NotificationDelivery.DIGEST,
    NotificationKind.LABEL_EXPIRING: NotificationDelivery.EMAIL,
    NotificationKind.VALIDATION_DECISION: NotificationDelivery.EMAIL,
    NotificationKind.SEARCH_INTEREST: NotificationDelivery.EMAIL,
    NotificationKind.SEARCH_COMMENT: NotificationDelivery.DIGEST,
}


class PartnerSearchState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    FOUND = "found", _("Closed: partners found")
    ABANDONED = "abandoned", _("Closed: abandoned")
    EXPIRED = "expired", _("Expired")


# A search expires at its deadline; its author may still close it as found or abandoned, or
# give it a later deadline and publish it again. A draft may be discarded (abandoned).
PARTNER_SEARCH_TRANSITIONS = {
    PartnerSearchState.DRAFT: {PartnerSearchState.PUBLISHED, PartnerSearchState.ABANDONED},
    PartnerSearchState.PUBLISHED: {
        PartnerSearchState.FOUND,
        PartnerSearchState.ABANDONED,
        PartnerSearchState.EXPIRED,
    },
    PartnerSearchState.EXPIRED: {
        PartnerSearchState.PUBLISHED,
        PartnerSearchState.FOUND,
        PartnerSearchState.ABANDONED,
    },
    PartnerSearchState.FOUND: set(),
    PartnerSearchState.ABANDONED: set(),
}
# The author may change the text while the search is a draft or on the board.
PARTNER_SEARCH_EDITABLE_STATES = frozenset(
    {PartnerSearchState.DRAFT, PartnerSearchState.PUBLISHED, PartnerSearchState.EXPIRED}
)
PARTNER_SEARCH_CLOSING_STATES = (PartnerSearchState.FOUND, PartnerSearchState.ABANDONED)


class ComplaintState(models.TextChoices):
    """A lead's complaint about the evaluation procedure, as staff handle it."""

    LODGED = "lodged", _("Lodged")
    UNDER_REVIEW = "under_review", _("Under review")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


COMPLAINT_TRANSITIONS = {
    ComplaintState.LODGED: {
        ComplaintState.UNDER_REVIEW,
        ComplaintState.UPHELD,
        ComplaintState.REJECTED,
    },
    ComplaintState.UNDER_REVIEW: {ComplaintState.UPHELD, ComplaintState.REJECTED},
    ComplaintState.UPHELD: set(),
    ComplaintState.REJECTED: set(),
}
COMPLAINT_CLOSED_STATES = (ComplaintState.UPHELD, ComplaintState.REJECTED)
