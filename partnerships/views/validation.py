"""The staff validation queue: only verified organisations are public."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.forms import LabelCheckForm, ValidationDecisionForm
from partnerships.models import AuditEntry, Organisation
from partnerships.prechecks import profile_findings
from partnerships.queries import (
    labels_awaiting_check,
    likely_duplicates,
    pending_validation,
    with_profile_relations,
)


class ValidationQueueView(PermissionRequiredMixin, ListView):
    permission_required = "partnerships.validate_organisation"
    template_name = "partnerships/validation_queue.html"
    context_object_name = "organisations"
    paginate_by = 50

    def get_queryset(self):
        return pending_validation()

    def get_context_data(self, **kwargs):
        # Labels are declared on verified profiles too, which never enter the queue above.
        return super().get_context_data(labels=labels_awaiting_check()[:100], **kwargs)


class ValidationDecisionView(PermissionRequiredMixin, View):
    permission_required = "partnerships.validate_organisation"
    template_name = "partnerships/validation_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.organisation = get_object_or_404(
            with_profile_relations(Organisation.objects.all()), pk=self.organisation_pk(kwargs)
        )
        return super().dispatch(request, *args, **kwargs)

    def organisation_pk(self, kwargs):
        return kwargs["pk"]

    def render_page(self, form, status=200, *, label_form=None):
        organisation = self.organisation
        label_forms = [
            (
                label,
                label_form
                if label_form is not None and label_form.label.pk == label.pk
                else LabelCheckForm(label=label),
            )
            for label in organisation.labels.all()
        ]
        context = {
            "organisation": organisation,
            "form": form,
            "label_forms": label_forms,
            "findings": profile_findings(organisation),
            "duplicates": likely_duplicates(organisation),
            "history": AuditEntry.objects.filter(
                content_type__model="organisation", object_id=str(organisation.pk)
            ).select_related("actor")[:20],
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(ValidationDecisionForm())

    def post(self, request, pk):
        if "confirm_programme" in request.POST:
            try:
                services.confirm_programme(self.organisation, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The cluster programme is confirmed."))
            return redirect("partnerships:validation-detail", pk=pk)
        form = ValidationDecisionForm(request.POST)
        if form.is_valid():
            try:
                services.decide_validation(
                    self.organisation,
                    verified=form.cleaned_data["decision"] == "verify",
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Decision recorded for %(name)s; the managers are told by e-mail.")
                    % {"name": self.organisation.name},
                )
                return redirect("partnerships:validation-queue")
        return self.render_page(form, status=400)
