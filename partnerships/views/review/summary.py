"""The Evaluation Summary Report a consortium's lead receives with the decision."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.forms import ComplaintForm
from partnerships.models import Complaint
from partnerships.queries import released_decisions_for_user, summary_report
from partnerships.summary_pdf import render_summary_pdf


class SummaryReportMixin(PermissionRequiredMixin):
    permission_required = "partnerships.view_summary_report"

    def get_decision(self):
        # Scoped: a decision that is not released, or not of the reader's lead, is a 404.
        if not hasattr(self, "_decision"):
            self._decision = get_object_or_404(
                released_decisions_for_user(self.request.user), pk=self.kwargs["pk"]
            )
        return self._decision

    def get_permission_object(self):
        return self.get_decision()


class SummaryReportView(SummaryReportMixin, TemplateView):
    template_name = "partnerships/review/summary_report.html"

    def get_context_data(self, complaint_form=None, **kwargs):
        decision = self.get_decision()
        complaint = Complaint.objects.filter(decision=decision).first()
        deadline = services.redress_deadline(decision)
        can_lodge = (
            complaint is None
            and deadline is not None
            and timezone.now() <= deadline
            and self.request.user.has_perm("partnerships.lodge_complaint", decision)
        )
        return super().get_context_data(
            report=summary_report(decision),
            expression=decision.expression,
            complaint=complaint,
            redress_deadline=deadline,
            complaint_form=(complaint_form or ComplaintForm()) if can_lodge else None,
            **kwargs,
        )


class SummaryReportPdfView(SummaryReportMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        decision = self.get_decision()
        response = HttpResponse(
            render_summary_pdf(summary_report(decision)), content_type="application/pdf"
        )
        name = slugify(decision.expression.title)[:60] or "expression"
        response["Content-Disposition"] = (
            f'inline; filename="evaluation-summary-{name}-stage-{decision.stage}.pdf"'
        )
        return response
