"""Staff pages of the review, one module per step: the pool and assignments, the reviewers'
score sheets, the moderator's consensus, the ranking, the decisions and the outbox of
decision e-mails.
"""

from partnerships.views.review.common import CallReviewMixin
from partnerships.views.review.consensus import ConsensusView
from partnerships.views.review.decisions import (
    RANKING_REFUSED,
    DecisionsView,
    ProposeDecisionsView,
    RankingView,
    ReleaseDecisionsView,
)
from partnerships.views.review.outbox import OutboxView
from partnerships.views.review.pool import (
    AutoAssignView,
    ManualAssignView,
    ReviewerAddView,
    ReviewerRemoveView,
    ReviewOverviewView,
    SameCountryRuleView,
    UnassignView,
)
from partnerships.views.review.redress import (
    ComplaintHandleView,
    ComplaintListView,
    ComplaintLodgeView,
)
from partnerships.views.review.sheets import (
    MyReviewsView,
    ReviewAutosaveView,
    ReviewDetailView,
)
from partnerships.views.review.summary import SummaryReportPdfView, SummaryReportView

__all__ = [
    "ComplaintHandleView",
    "ComplaintListView",
    "ComplaintLodgeView",
    "SummaryReportPdfView",
    "SummaryReportView",
    "AutoAssignView",
    "CallReviewMixin",
    "ConsensusView",
    "DecisionsView",
    "ManualAssignView",
    "MyReviewsView",
    "OutboxView",
    "ProposeDecisionsView",
    "RANKING_REFUSED",
    "RankingView",
    "ReleaseDecisionsView",
    "ReviewAutosaveView",
    "ReviewDetailView",
    "ReviewOverviewView",
    "ReviewerAddView",
    "ReviewerRemoveView",
    "SameCountryRuleView",
    "UnassignView",
]
