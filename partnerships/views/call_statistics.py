"""The public statistics page of a call: aggregate figures only, never a consortium's name."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from partnerships import call_statistics
from partnerships.queries import calls_for_user

# Long lists of countries or sectors are drawn for the largest only; the tables hold them all.
CHART_ROWS = 12


def chart_rows(rows, attribute="value"):
    return [{"label": row.label, "value": getattr(row, attribute)} for row in rows]


class CallStatisticsView(DetailView):
    template_name = "partnerships/call_statistics.html"
    context_object_name = "call"

    def get_object(self, queryset=None):
        calls = calls_for_user(self.request.user).prefetch_related("stages")
        return get_object_or_404(calls, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.object
        funnel = call_statistics.funnel(call)
        budget = call_statistics.budget(call)
        countries = call_statistics.countries(call)
        sectors = call_statistics.sectors(call)
        context.update(
            {
                "time_zone": settings.TIME_ZONE,
                "funnel": chart_rows(funnel),
                "funnel_max": funnel[0].value,
                "budget": chart_rows(budget),
                "budget_max": max(row.value for row in budget),
                "oversubscription": call_statistics.oversubscription(call, budget),
                "countries": countries,
                "country_rows": chart_rows(countries[:CHART_ROWS], "submitted"),
                "country_max": max((row.submitted for row in countries), default=0),
                "sectors": sectors,
                "chart_limit": CHART_ROWS,
                "partnership_count": call.partnerships.count(),
                "complaints": call_statistics.complaints(call),
                "sector_rows": chart_rows(sectors[:CHART_ROWS], "submitted"),
                "sector_max": max((row.submitted for row in sectors), default=0),
            }
        )
        return context
