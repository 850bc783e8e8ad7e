from django.urls import path

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
]
