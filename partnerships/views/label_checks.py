"""Staff verify or reject a declared label from the validation page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from partnerships import services
from partnerships.forms import LabelCheckForm, ValidationDecisionForm
from partnerships.models import Label
from partnerships.views.validation import ValidationDecisionView


class LabelCheckView(ValidationDecisionView):
    permission_required = "partnerships.validate_organisation"
    http_method_names = ["post"]

    def organisation_pk(self, kwargs):
        self.label = get_object_or_404(Label.objects.only("pk", "organisation_id"), pk=kwargs["pk"])
        return self.label.organisation_id

    def post(self, request, pk):
        label = next(lb for lb in self.organisation.labels.all() if lb.pk == self.label.pk)
        form = LabelCheckForm(request.POST, label=label)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.check_label(
                    label,
                    verified=data["decision"] == "verify",
                    by=request.user,
                    note=data["note"],
                    certificate_seen=data["certificate_seen"],
                    dates_checked=data["dates_checked"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The %(level)s label of %(name)s is checked; the managers are told.")
                    % {"level": label.get_level_display(), "name": self.organisation.name},
                )
                return redirect("partnerships:validation-detail", pk=self.organisation.pk)
        return self.render_page(ValidationDecisionForm(), status=400, label_form=form)
