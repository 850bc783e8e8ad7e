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
from .organisation import Invitation, Label, Organisation, OrganisationMembership
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
    "Country",
    "Decision",
    "Ecosystem",
    "EmergingIndustry",
    "EvaluationCriterion",
    "ExpressionAttachment",
    "ExpressionOfInterest",
    "ExpressionPartner",
    "Invitation",
    "Label",
    "Organisation",
    "OrganisationMembership",
    "OutboxMessage",
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
