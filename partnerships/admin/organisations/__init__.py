"""The staff back office for organisations. Organisation state, labels and memberships change
through services, so the admin leaves the same audit trail and re-scoring flags as the portal
itself. Importing this package registers its admins.
"""

from .forms import (
    ExistingRowsFrozenForm,
    LabelInlineForm,
    MembershipInlineForm,
    OrganisationAdminForm,
    RejectionForm,
)
from .labels import LabelAdmin, LabelCurrencyFilter
from .memberships import OrganisationMembershipAdmin, remove_membership
from .organisation import CurrentLabelFilter, LabelInline, MembershipInline, OrganisationAdmin
from .planted import PlantedPartnershipAdmin

__all__ = [
    "CurrentLabelFilter",
    "ExistingRowsFrozenForm",
    "LabelAdmin",
    "LabelCurrencyFilter",
    "LabelInline",
    "LabelInlineForm",
    "MembershipInline",
    "MembershipInlineForm",
    "OrganisationAdmin",
    "OrganisationAdminForm",
    "OrganisationMembershipAdmin",
    "PlantedPartnershipAdmin",
    "RejectionForm",
    "remove_membership",
]
