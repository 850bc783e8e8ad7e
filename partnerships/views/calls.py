"""Public pages of the calls for partnerships."""

from functools import partial

from django.conf import settings
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from partnerships import page_cache
from partnerships.forms import ExpressionStartForm
from partnerships.queries import (
    calls_for_user,
    expressions_for_user,
    in_listing_order,
    partner_invitations_for_user,
    possible_leads,
    with_call_relations,
)


class CallListView(ListView):
    template_name = "partnerships/call_list.html"
    context_object_name = "calls"

    def get(self, request, *args, **kwargs):
        return page_cache.serve(
            request,
            variant="page",
            scopes=[page_cache.CALLS],
            build=partial(super().get, request, *args, **kwargs),
        )

    def get_queryset(self):
        return with_call_relations(in_listing_order(calls_for_user(self.request.user)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["time_zone"] = settings.TIME_ZONE
        if user.is_authenticated:
            # Only the person's own consortia, also for staff who could see them all.
            managed = Q(lead__memberships__user=user) | Q(
                partners__organisation__memberships__user=user
            )
            context["my_expressions"] = (
                expressions_for_user(user)
                .filter(managed)
                .distinct()
                .select_related("call", "lead")
                .order_by("-updated_at", "-id")
            )
            context["invitations"] = partner_invitations_for_user(user)
        return context


class CallDetailView(DetailView):
    template_name = "partnerships/call_detail.html"
    context_object_name = "call"

    def get_object(self, queryset=None):
        return get_object_or_404(
            with_call_relations(calls_for_user(self.request.user)), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["time_zone"] = settings.TIME_ZONE
        criteria = list(self.object.criteria.all())
        context["criteria_by_stage"] = [
            (stage, [c for c in criteria if c.stage == stage.number])
            for stage in self.object.stages.all()
        ]
        if self.object.is_open and user.has_perm("partnerships.add_expressionofinterest"):
            organisations = possible_leads(user)
            if organisations.exists():
                context["start_form"] = ExpressionStartForm(
                    organisations=organisations, call=self.object
                )
        return context
