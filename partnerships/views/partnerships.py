"""The public directory of strategic partnerships and their pages."""

from functools import partial

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views import View
from django.views.generic import DetailView

from partnerships import page_cache
from partnerships.enums import PartnershipPhase
from partnerships.filters import PartnershipFilter
from partnerships.queries import partnerships_for_user, with_partnership_relations

PAGE_SIZE = 20


class PartnershipListView(View):
    template_name = "partnerships/partnership_list.html"
    partial_name = "partnerships/includes/_partnership_results.html"

    def get(self, request):
        filters = PartnershipFilter(request.GET, queryset=partnerships_for_user(request.user))
        partnerships = with_partnership_relations(filters.qs.order_by("name", "id"))
        paginator = Paginator(partnerships, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        context = {
            "form": filters.form,
            "page": page,
            "partnerships": page.object_list,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        }
        if request.htmx:
            return render(request, self.partial_name, context | {"swap_count": True})
        return render(request, self.template_name, context)


def phase_timeline(partnership):
    """The three phases in order, each done, current or to come, with its milestones."""
    phases = PartnershipPhase.values
    current = phases.index(partnership.phase)
    milestones = list(partnership.milestones.all())
    return [
        {
            "phase": PartnershipPhase(phase),
            "status": "done" if index < current else "current" if index == current else "next",
            "milestones": [m for m in milestones if m.phase == phase],
        }
        for index, phase in enumerate(phases)
    ]


class PartnershipDetailView(DetailView):
    template_name = "partnerships/partnership_detail.html"
    context_object_name = "partnership"

    def get(self, request, *args, **kwargs):
        return page_cache.serve(
            request,
            variant="page",
            scopes=[page_cache.partnership_scope(kwargs["pk"]), page_cache.CALLS],
            build=partial(super().get, request, *args, **kwargs),
        )

    def get_object(self, queryset=None):
        return get_object_or_404(
            with_partnership_relations(partnerships_for_user(self.request.user)),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = list(self.object.members.all())
        context["members"] = members
        context["countries"] = sorted({m.organisation.country.localised_name for m in members})
        context["timeline"] = phase_timeline(self.object)
        return context
