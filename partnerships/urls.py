from django.urls import path

from partnerships.views import calls, directory, expressions, manage, organisation, validation
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
    path("organisations/new/", manage.OrganisationCreateView.as_view(), name="organisation-create"),
    path(
        "organisations/<int:pk>/edit/",
        manage.OrganisationUpdateView.as_view(),
        name="organisation-edit",
    ),
    path(
        "organisations/<int:pk>/members/",
        manage.MembersView.as_view(),
        name="organisation-members",
    ),
    path(
        "organisations/region-options/", manage.RegionOptionsView.as_view(), name="region-options"
    ),
    path("dashboard/", manage.DashboardView.as_view(), name="dashboard"),
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
    path("regions/hotspots/", HotspotsView.as_view(), name="hotspots"),
    path("calls/", calls.CallListView.as_view(), name="call-list"),
    path("calls/<int:pk>/", calls.CallDetailView.as_view(), name="call-detail"),
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
]
