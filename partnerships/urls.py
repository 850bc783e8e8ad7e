from django.urls import path

from partnerships.views import directory, manage, organisation, validation
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
]
