"""The engine's part of partner-search pages, loaded into them through HTMX: the dashboard's
"partner searches for you" and the reasons beside a search's interested organisations."""

from django.shortcuts import get_object_or_404, render
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from matchmaking.partner_searches import interest_reasons, searches_for
from partnerships.queries import interests_of, partner_searches_for_user


class PartnerSearchesForYouView(PermissionRequiredMixin, View):
    permission_required = "matchmaking.view_partner_searches_for_you"

    def get(self, request):
        template = (
            "matchmaking/includes/_partner_searches_for_you.html"
            if request.htmx
            else "matchmaking/partner_searches_for_you.html"
        )
        return render(request, template, {"rows": searches_for(request.user)})


class InterestReasonsView(PermissionRequiredMixin, View):
    permission_required = "partnerships.view_partnersearch_interests"

    def get_permission_object(self):
        return self.search

    def dispatch(self, request, *args, **kwargs):
        self.search = get_object_or_404(partner_searches_for_user(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        reasons = interest_reasons(self.search)
        rows = [
            {"interest": interest, "fit": reasons.get(interest.organisation_id)}
            for interest in interests_of(self.search)
        ]
        template = (
            "matchmaking/includes/_interest_reasons.html"
            if request.htmx
            else "matchmaking/interest_reasons.html"
        )
        return render(request, template, {"search": self.search, "rows": rows})
