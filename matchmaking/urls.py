from django.urls import path

from matchmaking import partner_search_views, views

app_name = "matchmaking"

urlpatterns = [
    path(
        "organisations/<int:pk>/recommended-partners/",
        views.RecommendedPartnersView.as_view(),
        name="recommended-partners",
    ),
    path(
        "organisations/<int:pk>/recommended-partners/feedback/",
        views.FeedbackView.as_view(),
        name="recommendation-feedback",
    ),
    path(
        "expressions/<int:pk>/partner-suggestions/",
        views.ExpressionSuggestionsView.as_view(),
        name="expression-suggestions",
    ),
    path(
        "calls/<int:pk>/partner-suggestions/",
        views.CallSuggestionsView.as_view(),
        name="call-suggestions",
    ),
    path("matching/runs/", views.RunListView.as_view(), name="run-list"),
    path("matching/runs/progress/", views.RunProgressView.as_view(), name="run-progress"),
    path("matching/runs/start/", views.StartRunView.as_view(), name="run-start"),
    path("matching/learning/", views.WeightFitListView.as_view(), name="fit-list"),
    path("matching/learning/<int:pk>/", views.WeightFitDetailView.as_view(), name="fit-detail"),
    path(
        "matching/learning/<int:pk>/result/",
        views.WeightFitResultView.as_view(),
        name="fit-result",
    ),
    path(
        "partner-searches/for-you/",
        partner_search_views.PartnerSearchesForYouView.as_view(),
        name="partner-searches-for-you",
    ),
    path(
        "partner-searches/<int:pk>/interest-reasons/",
        partner_search_views.InterestReasonsView.as_view(),
        name="partner-search-interest-reasons",
    ),
]
