"""Redress: the lead lodges a complaint from the summary report; staff answer it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.generic import ListView, View
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.forms import ComplaintForm, ComplaintHandleForm
from partnerships.models import Complaint
from partnerships.views.review.summary import SummaryReportView


class ComplaintLodgeView(SummaryReportView):
    permission_required = "partnerships.lodge_complaint"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        decision = self.get_decision()
        form = ComplaintForm(request.POST)
        if form.is_valid():
            try:
                services.lodge_complaint(decision, text=form.cleaned_data["text"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Your complaint is lodged; Commission staff will answer it.")
                )
                return redirect("partnerships:summary-report", pk=decision.pk)
        context = self.get_context_data(complaint_form=form)
        if context["complaint_form"] is None:
            # The window closed or a complaint exists: say so rather than drop the text.
            context["complaint_form"] = form
        return self.render_to_response(context, status=400)


def _complaints():
    return Complaint.objects.select_related(
        "decision__expression__call", "decision__expression__lead", "lodged_by", "handled_by"
    ).order_by("state", "lodged_at", "id")


class ComplaintListView(PermissionRequiredMixin, ListView):
    permission_required = "partnerships.handle_complaint"
    template_name = "partnerships/review/complaints.html"
    context_object_name = "complaints"
    paginate_by = 50

    def get_queryset(self):
        complaints = _complaints()
        call = self.request.GET.get("call", "")
        # From a call's review pages: that call's complaints; a malformed id filters nothing.
        if call.isdigit():
            complaints = complaints.filter(decision__expression__call_id=int(call))
        return complaints

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            (
                complaint,
                bound
                if bound is not None and bound.complaint.pk == complaint.pk
                else ComplaintHandleForm(complaint=complaint),
            )
            for complaint in context["complaints"]
        ]
        return context


class ComplaintHandleView(PermissionRequiredMixin, View):
    permission_required = "partnerships.handle_complaint"

    def post(self, request, pk):
        complaint = get_object_or_404(_complaints(), pk=pk)
        form = ComplaintHandleForm(request.POST, complaint=complaint)
        if form.is_valid():
            try:
                services.handle_complaint(
                    complaint,
                    to=form.cleaned_data["to"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The outcome is recorded; the lead is told."))
                return redirect("partnerships:complaint-list")
        listing = ComplaintListView(request=request, kwargs={}, args=())
        listing.object_list = listing.get_queryset()
        context = listing.get_context_data(bound=form)
        return render(request, listing.template_name, context, status=400)
