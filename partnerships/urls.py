from django.urls import path

from partnerships.views import organisation

app_name = "partnerships"

urlpatterns = [
    path(
        "organisations/<int:pk>/",
        organisation.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
]
