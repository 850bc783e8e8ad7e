"""Every form of the partnerships app, one module per subject; the names are re-exported
so callers write `from partnerships.forms import ...`.
"""

from partnerships.forms.account import (
    AccountDeleteForm,
    EmailConsentForm,
)
from partnerships.forms.calls import (
    BaseCallStageFormSet,
    BaseCriterionFormSet,
    CallForm,
    CallStageForm,
    CallStageFormSet,
    CriterionForm,
    CriterionFormSet,
)
from partnerships.forms.expressions import (
    AttachmentForm,
    ExpressionForm,
    ExpressionStartForm,
    PartnerInviteForm,
)
from partnerships.forms.hotspots import HotspotFilterForm
from partnerships.forms.labels import LabelCheckForm
from partnerships.forms.messaging import ConversationStartForm, ReplyForm, ReportForm
from partnerships.forms.notifications import NotificationPreferencesForm
from partnerships.forms.organisation import (
    InvitationForm,
    LabelForm,
    OrganisationForm,
    OwnershipForm,
    SignupForm,
    ValidationDecisionForm,
)
from partnerships.forms.partner_search import (
    CloseForm,
    CommentForm,
    ConsortiumForm,
    InterestForm,
    PartnerSearchForm,
)
from partnerships.forms.redress import ComplaintForm, ComplaintHandleForm
from partnerships.forms.review import (
    AutoAssignForm,
    ConflictDeclarationForm,
    ConsensusForm,
    DecisionForm,
    ManualAssignForm,
    ReviewerAddForm,
    ReviewForm,
    SameCountryRuleForm,
    ScoreSheetForm,
)

__all__ = [
    "CloseForm",
    "CommentForm",
    "ConsortiumForm",
    "InterestForm",
    "PartnerSearchForm",
    "ComplaintForm",
    "ComplaintHandleForm",
    "AccountDeleteForm",
    "AttachmentForm",
    "AutoAssignForm",
    "BaseCallStageFormSet",
    "BaseCriterionFormSet",
    "CallForm",
    "CallStageForm",
    "CallStageFormSet",
    "ConflictDeclarationForm",
    "ConsensusForm",
    "ConversationStartForm",
    "CriterionForm",
    "CriterionFormSet",
    "DecisionForm",
    "EmailConsentForm",
    "ExpressionForm",
    "ExpressionStartForm",
    "HotspotFilterForm",
    "InvitationForm",
    "LabelCheckForm",
    "LabelForm",
    "ManualAssignForm",
    "NotificationPreferencesForm",
    "OrganisationForm",
    "OwnershipForm",
    "PartnerInviteForm",
    "ReplyForm",
    "ReportForm",
    "ReviewForm",
    "ReviewerAddForm",
    "SameCountryRuleForm",
    "ScoreSheetForm",
    "SignupForm",
    "ValidationDecisionForm",
]
