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

__all__ = [
    "AuditEntry",
    "Call",
    "CallStage",
    "Country",
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
    "PlantedPartnership",
    "PolicyObjective",
    "Region",
    "S3Priority",
    "SectoralIndustry",
    "User",
    "UserManager",
    "ValueChainPosition",
]
