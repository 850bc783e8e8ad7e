from django.urls import path

from partnerships.feeds import partner_search_atom, partner_search_rss
from partnerships.views import (
    account,
    call_manage,
    call_statistics,
    calls,
    directory,
    expressions,
    label_checks,
    manage,
    messages,
    notifications,
    organisation,
    partner_search,
    partner_search_actions,
    partnerships,
    registration,
    review,
    review_exports,
    validation,
)
from partnerships.views.hotspots import HotspotsView

app_name = "partnerships"

urlpatterns = [
    path("organisations/", directory.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/export.csv",
        directory.OrganisationExportView.as_view(),
        name="organisation-export",
    ),
    path(
        "organisations/<int:pk>/",
        organisation.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/new/",
        registration.OrganisationCreateView.as_view(),
        name="organisation-create",
    ),
    path(
        "organisations/<int:pk>/edit/",
        registration.OrganisationUpdateView.as_view(),
        name="organisation-edit",
    ),
    path(
        "organisations/<int:pk>/autosave/",
        registration.OrganisationAutosaveView.as_view(),
        name="organisation-autosave",
    ),
    path(
        "organisations/<int:pk>/members/",
        manage.MembersView.as_view(),
        name="organisation-members",
    ),
    path(
        "organisations/region-options/", manage.RegionOptionsView.as_view(), name="region-options"
    ),
    path(
        "organisations/s3-priorities/",
        registration.S3PrioritiesView.as_view(),
        name="s3-priority-options",
    ),
    path("dashboard/", manage.DashboardView.as_view(), name="dashboard"),
    path("privacy/", account.PrivacyView.as_view(), name="privacy"),
    path("my-account/data/", account.MyDataView.as_view(), name="my-data"),
    path("my-account/data/export/", account.MyDataExportView.as_view(), name="my-data-export"),
    path("my-account/consent/", account.EmailConsentView.as_view(), name="email-consent"),
    path("my-account/delete/", account.AccountDeleteView.as_view(), name="account-delete"),
    path(
        "my-account/notifications/",
        notifications.NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    path("messages/", messages.ConversationListView.as_view(), name="conversation-list"),
    path(
        "messages/<int:pk>/",
        messages.ConversationDetailView.as_view(),
        name="conversation-detail",
    ),
    path("messages/<int:pk>/block/", messages.BlockView.as_view(), name="conversation-block"),
    path(
        "messages/<int:pk>/messages/<int:message_pk>/report/",
        messages.ReportView.as_view(),
        name="message-report",
    ),
    path(
        "messages/<int:pk>/messages/<int:message_pk>/attachment/",
        messages.MessageAttachmentView.as_view(),
        name="message-attachment",
    ),
    path(
        "organisations/<int:pk>/message/",
        messages.ConversationStartView.as_view(),
        name="conversation-start",
    ),
    path("notifications/", notifications.NotificationListView.as_view(), name="notification-list"),
    path(
        "notifications/<int:pk>/",
        notifications.NotificationOpenView.as_view(),
        name="notification-open",
    ),
    path(
        "notifications/read/",
        notifications.NotificationReadAllView.as_view(),
        name="notification-read-all",
    ),
    path(
        "digest/unsubscribe/<str:token>/",
        notifications.DigestUnsubscribeView.as_view(),
        name="digest-unsubscribe",
    ),
    path(
        "invitations/<uuid:token>/",
        manage.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path("staff/validation/", validation.ValidationQueueView.as_view(), name="validation-queue"),
    path(
        "staff/validation/<int:pk>/",
        validation.ValidationDecisionView.as_view(),
        name="validation-detail",
    ),
    path("staff/labels/<int:pk>/check/", label_checks.LabelCheckView.as_view(), name="label-check"),
    path("regions/hotspots/", HotspotsView.as_view(), name="hotspots"),
    path("calls/", calls.CallListView.as_view(), name="call-list"),
    path("calls/new/", call_manage.CallCreateView.as_view(), name="call-create"),
    path("calls/<int:pk>/", calls.CallDetailView.as_view(), name="call-detail"),
    path("calls/<int:pk>/edit/", call_manage.CallEditView.as_view(), name="call-edit"),
    path(
        "calls/<int:pk>/statistics/",
        call_statistics.CallStatisticsView.as_view(),
        name="call-statistics",
    ),
    path("partnerships/", partnerships.PartnershipListView.as_view(), name="partnership-list"),
    path(
        "partnerships/<int:pk>/",
        partnerships.PartnershipDetailView.as_view(),
        name="partnership-detail",
    ),
    path(
        "calls/<int:pk>/expressions/new/",
        expressions.ExpressionStartView.as_view(),
        name="expression-start",
    ),
    path(
        "expressions/<int:pk>/",
        expressions.ExpressionDetailView.as_view(),
        name="expression-detail",
    ),
    path(
        "expressions/<int:pk>/edit/",
        expressions.ExpressionEditView.as_view(),
        name="expression-edit",
    ),
    path(
        "expressions/<int:pk>/autosave/",
        expressions.ExpressionAutosaveView.as_view(),
        name="expression-autosave",
    ),
    path(
        "expressions/<int:pk>/submit/",
        expressions.ExpressionSubmitView.as_view(),
        name="expression-submit",
    ),
    path(
        "expressions/<int:pk>/withdraw/",
        expressions.ExpressionWithdrawView.as_view(),
        name="expression-withdraw",
    ),
    path(
        "expressions/<int:pk>/partners/",
        expressions.PartnerInviteView.as_view(),
        name="expression-invite",
    ),
    path(
        "expressions/<int:pk>/partners/<int:partner_pk>/answer/",
        expressions.PartnerRespondView.as_view(),
        name="expression-partner-answer",
    ),
    path(
        "expressions/<int:pk>/attachments/",
        expressions.AttachmentAddView.as_view(),
        name="expression-attachment-add",
    ),
    path(
        "expressions/<int:pk>/attachments/<int:attachment_pk>/",
        expressions.ExpressionAttachmentDownloadView.as_view(),
        name="expression-attachment",
    ),
    path("reviews/", review.MyReviewsView.as_view(), name="my-reviews"),
    path("decisions/<int:pk>/summary/", review.SummaryReportView.as_view(), name="summary-report"),
    path(
        "decisions/<int:pk>/complaint/",
        review.ComplaintLodgeView.as_view(),
        name="complaint-lodge",
    ),
    path("staff/complaints/", review.ComplaintListView.as_view(), name="complaint-list"),
    path(
        "staff/complaints/<int:pk>/",
        review.ComplaintHandleView.as_view(),
        name="complaint-handle",
    ),
    path(
        "decisions/<int:pk>/summary.pdf",
        review.SummaryReportPdfView.as_view(),
        name="summary-report-pdf",
    ),
    path("reviews/<int:pk>/", review.ReviewDetailView.as_view(), name="review-detail"),
    path("reviews/<int:pk>/autosave/", review.ReviewAutosaveView.as_view(), name="review-autosave"),
    path("calls/<int:pk>/review/", review.ReviewOverviewView.as_view(), name="review-overview"),
    path(
        "calls/<int:pk>/review/reviewers/",
        review.ReviewerAddView.as_view(),
        name="review-reviewer-add",
    ),
    path(
        "calls/<int:pk>/review/reviewers/<int:reviewer_pk>/remove/",
        review.ReviewerRemoveView.as_view(),
        name="review-reviewer-remove",
    ),
    path(
        "calls/<int:pk>/review/same-country-rule/",
        review.SameCountryRuleView.as_view(),
        name="review-same-country",
    ),
    path(
        "calls/<int:pk>/review/assignments/<int:assignment_pk>/remove/",
        review.UnassignView.as_view(),
        name="review-unassign",
    ),
    path(
        "calls/<int:pk>/review/stage/<int:stage>/auto-assign/",
        review.AutoAssignView.as_view(),
        name="review-auto-assign",
    ),
    path(
        "calls/<int:pk>/review/stage/<int:stage>/assign/",
        review.ManualAssignView.as_view(),
        name="review-assign",
    ),
    path(
        "calls/<int:pk>/review/stage/<int:stage>/expressions/<int:expression_pk>/consensus/",
        review.ConsensusView.as_view(),
        name="review-consensus",
    ),
    path(
        "calls/<int:pk>/review/stage/<int:stage>/ranking/",
        review.RankingView.as_view(),
        name="review-ranking",
    ),
    path(
        "calls/<int:pk>/review/stage/<int:stage>/decisions/",
        review.DecisionsView.as_view(),
        name="review-decisions",
    ),
    path(
        "calls/<int:pk>/review/stage/<int:stage>/decisions/propose/",
        review.ProposeDecisionsView.as_view(),
        name="review-propose",
    ),
    path(
        "calls/<int:pk>/review/stage/<int:stage>/decisions/release/",
        review.ReleaseDecisionsView.as_view(),
        name="review-release",
    ),
    path(
        "calls/<int:pk>/review/stage/<int:stage>/export/<slug:kind>.<slug:fmt>",
        review_exports.ReviewExportView.as_view(),
        name="review-export",
    ),
    path("calls/<int:pk>/review/outbox/", review.OutboxView.as_view(), name="review-outbox"),
    path(
        "partner-searches/",
        partner_search.PartnerSearchBoardView.as_view(),
        name="partner-search-list",
    ),
    path(
        "partner-searches/new/",
        partner_search.PartnerSearchCreateView.as_view(),
        name="partner-search-create",
    ),
    path(
        "partner-searches/mine/",
        partner_search.MyPartnerSearchesView.as_view(),
        name="partner-search-mine",
    ),
    path("partner-searches/feed/rss/", partner_search_rss, name="partner-search-feed-rss"),
    path("partner-searches/feed/atom/", partner_search_atom, name="partner-search-feed-atom"),
    path(
        "partner-searches/<int:pk>/",
        partner_search.PartnerSearchDetailView.as_view(),
        name="partner-search-detail",
    ),
    path(
        "partner-searches/<int:pk>/edit/",
        partner_search.PartnerSearchEditView.as_view(),
        name="partner-search-edit",
    ),
    path(
        "partner-searches/<int:pk>/publish/",
        partner_search.PartnerSearchPublishView.as_view(),
        name="partner-search-publish",
    ),
    path(
        "partner-searches/<int:pk>/close/",
        partner_search.PartnerSearchCloseView.as_view(),
        name="partner-search-close",
    ),
    path(
        "partner-searches/<int:pk>/interest/",
        partner_search_actions.InterestView.as_view(),
        name="partner-search-interest",
    ),
    path(
        "partner-searches/<int:pk>/follow/",
        partner_search_actions.FollowView.as_view(),
        name="partner-search-follow",
    ),
    path(
        "partner-searches/<int:pk>/comments/",
        partner_search_actions.CommentView.as_view(),
        name="partner-search-comment",
    ),
    path(
        "partner-searches/<int:pk>/interests/",
        partner_search_actions.InterestsView.as_view(),
        name="partner-search-interests",
    ),
    path(
        "partner-searches/<int:pk>/consortium/",
        partner_search_actions.ConsortiumView.as_view(),
        name="partner-search-consortium",
    ),
]
