from .accounts import User, UserManager
from .audit import AuditEntry
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
    "Country",
    "Ecosystem",
    "EmergingIndustry",
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
