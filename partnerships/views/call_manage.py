"""Pages where Commission staff create and edit calls, with their stages and criteria."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.forms import CallForm, CallStageFormSet, CriterionFormSet
from partnerships.models import Call
from partnerships.queries import calls_for_user, with_call_relations
from partnerships.views.manage import attach_errors


class CallFormMixin:
    template_name = "partnerships/call_form.html"

    def forms(self, call=None):
        data = self.request.POST if self.request.method == "POST" else None
        stages = list(call.stages.all()) if call else []
        criteria = list(call.criteria.all()) if call else []
        form = CallForm(data, instance=call or Call())
        stage_formset = CallStageFormSet(
            data,
            prefix="stages",
            # To the minute, as the form shows it: an untouched stage is not "changed".
            initial=[
                {"deadline": s.deadline.replace(second=0, microsecond=0), "title": s.title}
                for s in stages
            ]
            or None,
        )
        criterion_formset = CriterionFormSet(data, prefix="criteria", existing=criteria)
        return form, stage_formset, criterion_formset

    def valid(self, form, stage_formset, criterion_formset):
        if not all(f.is_valid() for f in (form, stage_formset, criterion_formset)):
            return False
        numbers = {number for number, _deadline, _title in stage_formset.stages()}
        return criterion_formset.check_stages(numbers)

    def render_forms(self, forms, *, call=None, status=200):
        form, stage_formset, criterion_formset = forms
        context = {
            "call": call,
            "form": form,
            "stage_formset": stage_formset,
            "criterion_formset": criterion_formset,
            "criteria": list(call.criteria.all()) if call else [],
            "time_zone": settings.TIME_ZONE,
        }
        return render(self.request, self.template_name, context, status=status)


class CallCreateView(PermissionRequiredMixin, CallFormMixin, View):
    permission_required = "partnerships.add_call"

    def get(self, request):
        return self.render_forms(self.forms())

    def post(self, request):
        forms = self.forms()
        form, stage_formset, criterion_formset = forms
        if not self.valid(*forms):
            return self.render_forms(forms, status=400)
        try:
            call = services.create_call(
                by=request.user,
                stages=[
                    {"number": number, "deadline": deadline, "title": title}
                    for number, deadline, title in stage_formset.stages()
                ],
                criteria=criterion_formset.criteria(),
                **form.call_fields(),
            )
        except ValidationError as error:
            attach_errors(form, error)
            return self.render_forms(forms, status=400)
        messages.success(
            request, _("The call is saved as a draft. Open it from the administration.")
        )
        return redirect(call.get_absolute_url())


class CallEditView(PermissionRequiredMixin, CallFormMixin, View):
    permission_required = "partnerships.change_call"

    def get_call(self):
        if not hasattr(self, "_call"):
            calls = with_call_relations(calls_for_user(self.request.user))
            self._call = get_object_or_404(calls, pk=self.kwargs["pk"])
        return self._call

    def get_permission_object(self):
        return self.get_call()

    def get(self, request, pk):
        call = self.get_call()
        return self.render_forms(self.forms(call), call=call)

    def post(self, request, pk):
        call = self.get_call()
        forms = self.forms(call)
        form, stage_formset, criterion_formset = forms
        if not self.valid(*forms):
            return self.render_forms(forms, call=call, status=400)
        try:
            with transaction.atomic():
                fresh = Call.objects.get(pk=call.pk)
                if form.changed_data:
                    services.update_call(
                        fresh, by=request.user, **form.call_fields(changed_only=True)
                    )
                for number, stage_form in enumerate(stage_formset.forms, start=1):
                    deadline = stage_form.cleaned_data.get("deadline")
                    if deadline and stage_form.has_changed():
                        services.set_stage(
                            fresh,
                            number=number,
                            deadline=deadline,
                            title=stage_form.cleaned_data.get("title", ""),
                            by=request.user,
                        )
                for criterion in criterion_formset.criteria():
                    services.add_criterion(fresh, by=request.user, **criterion)
        except ValidationError as error:
            attach_errors(form, error)
            return self.render_forms(forms, call=call, status=400)
        messages.success(request, _("The call is saved."))
        return redirect(call.get_absolute_url())
