from .accounts import User, UserManager
from .audit import AuditEntry
from .call import (
    Call,
    CallStage,
    EvaluationCriterion,
    ExpressionAttachment,
    ExpressionOfInterest,
    ExpressionPartner,
)
from .demo import PlantedPartnership
from .messaging import (
    Conversation,
    ConversationRead,
    Message,
    MessageReport,
    OrganisationBlock,
)
from .notification import DigestDelivery, Notification, NotificationPreference
from .organisation import Invitation, Label, Organisation, OrganisationMembership
from .partner_search import (
    PartnerSearch,
    PartnerSearchComment,
    PartnerSearchFollow,
    PartnerSearchInterest,
)
from .partnership import (
    PartnershipMember,
    PartnershipMilestone,
    PartnershipOutcome,
    StrategicPartnership,
)
from .redress import Complaint
from .reference import (
    Country,
    Ecosystem,
    EmergingIndustry,
    PolicyObjective,
    Region,
    S3Priority,
    SectoralIndustry,
    ValueChainPosition,
)
from .review import (
    CallReviewer,
    ConflictDeclaration,
    ConflictLogEntry,
    ConsensusScore,
    Decision,
    OutboxMessage,
    Review,
    ReviewAssignment,
    ReviewScore,
)

__all__ = [
    "Complaint",
    "AuditEntry",
    "Call",
    "CallReviewer",
    "CallStage",
    "ConflictDeclaration",
    "ConflictLogEntry",
    "ConsensusScore",
    "Conversation",
    "ConversationRead",
    "Country",
    "Decision",
    "DigestDelivery",
    "Ecosystem",
    "EmergingIndustry",
    "EvaluationCriterion",
    "ExpressionAttachment",
    "ExpressionOfInterest",
    "ExpressionPartner",
    "Invitation",
    "Message",
    "MessageReport",
    "Notification",
    "NotificationPreference",
    "Label",
    "Organisation",
    "OrganisationBlock",
    "OrganisationMembership",
    "OutboxMessage",
    "PartnerSearch",
    "PartnerSearchComment",
    "PartnerSearchFollow",
    "PartnerSearchInterest",
    "PartnershipMember",
    "PartnershipMilestone",
    "PartnershipOutcome",
    "PlantedPartnership",
    "PolicyObjective",
    "Region",
    "Review",
    "ReviewAssignment",
    "ReviewScore",
    "S3Priority",
    "SectoralIndustry",
    "StrategicPartnership",
    "User",
    "UserManager",
    "ValueChainPosition",
]
