"""Registering and editing an organisation profile in steps, with a progress bar.

Every step is a plain POST that saves its fields to the draft and moves on, so the profile
works without JavaScript and nothing typed is lost between steps: going back, forward or to
any step in the bar saves the current one first. A step that does not validate is shown again
with its errors and everything typed. The last step reviews the whole profile and submits it.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.forms import LabelForm
from partnerships.forms.registration import (
    REVIEW,
    STEP_BY_SLUG,
    STEP_OF_FIELD,
    STEPS,
    applicable_priorities,
    neighbour,
    step_form,
    step_index,
)
from partnerships.models import S3Priority
from partnerships.prechecks import blocking_findings
from partnerships.queries import likely_duplicates, organisations_for_user
from partnerships.views.manage import attach_errors
from partnerships.views.session import SignInKeepsTypingMixin, kept_typing

FIRST = STEPS[0]


def step_url(organisation, step):
    url = reverse("partnerships:organisation-edit", args=[organisation.pk])
    return url if step is FIRST else f"{url}?{urlencode({'step': step.slug})}"


def review_rows(organisation):
    """(step, [(label, shown value)]) of every step with fields, for the review page."""
    rows = []
    for step in STEPS[:-1]:
        form = step_form(step.slug)(instance=organisation)
        values = []
        for name in step.fields:
            field = form[name]
            value = getattr(organisation, name)
            if hasattr(value, "all"):
                shown = ", ".join(str(item) for item in value.all())
            elif hasattr(organisation, f"get_{name}_display"):
                shown = getattr(organisation, f"get_{name}_display")()
            else:
                shown = "" if value in (None, "") else str(value)
            values.append((field.label, shown))
        rows.append((step, values))
    return rows


class StepsMixin(PermissionRequiredMixin):
    template_name = "partnerships/organisation_form.html"
    organisation = None

    def chosen_step(self, source):
        return STEP_BY_SLUG.get(source.get("step", ""), FIRST)

    def step_forms(self, step, data=None, files=None):
        form = (
            step_form(step.slug)(data, files, instance=self.organisation) if step.fields else None
        )
        label_form = LabelForm(data, files, prefix="label") if step.label else None
        return form, label_form

    def render_step(self, step, form, label_form=None, *, errors=()):
        organisation = self.organisation
        context = {
            "step": step,
            "steps": [
                {
                    "step": each,
                    "number": number,
                    "done": number < step_index(step) + 1,
                    "current": each is step,
                    # A new profile has nowhere to keep later steps before the first is saved.
                    "reachable": organisation is not None or each is FIRST,
                }
                for number, each in enumerate(STEPS, start=1)
            ],
            "step_number": step_index(step) + 1,
            "step_count": len(STEPS),
            "previous": neighbour(step, -1) if step is not FIRST else None,
            "form": form,
            "label_form": label_form,
            "organisation": organisation,
            "findings": blocking_findings(organisation) if organisation else [],
            "duplicates": likely_duplicates(organisation) if organisation else [],
            "submit_errors": errors,
        }
        if step is REVIEW:
            context["review"] = review_rows(organisation)
        if form is not None and "s3_priorities" in form.fields:
            context["s3_region"] = form._bound_value("region") or ""
        return render(self.request, self.template_name, context)

    def label_given(self):
        post, files = self.request.POST, self.request.FILES
        return any(post.get(f"label-{name}") for name in ("level", "assessed_on")) or bool(
            files.get("label-certificate") or post.get("label-certificate-held")
        )

    def refuse(self, step, form, label_form, wants_label):
        """Show the errors; accepted files are kept, and a label section left empty is shown
        empty, not full of "required" errors."""
        form.hold_uploads()
        if label_form is not None:
            if wants_label:
                label_form.hold_uploads()
            else:
                label_form = LabelForm(prefix="label")
        return self.render_step(step, form, label_form)

    def destination(self, step):
        """Where the button pressed leads: back, a step of the bar, this step, or the next."""
        go = self.request.POST.get("go", "next")
        if go == "back":
            return neighbour(step, -1)
        if go == "stay":
            return step
        return STEP_BY_SLUG.get(go) or neighbour(step, 1)

    def post_step(self, step):
        if step is REVIEW:
            return self.review(step)
        form, label_form = self.step_forms(step, self.request.POST, self.request.FILES)
        wants_label = label_form is not None and self.label_given()
        if not form.is_valid() or (wants_label and not label_form.is_valid()):
            return self.refuse(step, form, label_form, wants_label)
        user = self.request.user
        try:
            with transaction.atomic():
                if self.organisation is None:
                    self.organisation = services.create_organisation(
                        by=user, **form.profile_fields()
                    )
                else:
                    services.update_organisation(
                        self.organisation, by=user, **form.profile_fields()
                    )
                if wants_label:
                    services.record_label(self.organisation, by=user, **label_form.label_fields())
        except ValidationError as error:
            attach_errors(form, error)
            return self.refuse(step, form, label_form, wants_label)
        target = self.destination(step)
        if "s3_priorities" in form.fields and self.region_changed_unseen(form):
            # Without JavaScript the region's priorities could not follow the choice: show them.
            messages.info(
                self.request,
                _("Your region's smart-specialisation priorities are listed: tick yours."),
            )
            target = step
        elif target is step:
            messages.success(self.request, _("Your draft is saved."))
        return redirect(step_url(self.organisation, target))

    def region_changed_unseen(self, form):
        region = form.cleaned_data["region"].pk
        shown = self.request.POST.get("s3_region", "")
        return shown != region and S3Priority.objects.filter(region_id=region).exists()

    def review(self, step):
        if self.request.POST.get("go", "submit") != "submit":
            return redirect(step_url(self.organisation, self.destination(step)))
        try:
            services.submit_for_validation(self.organisation, by=self.request.user)
        except ValidationError as error:
            messages.warning(
                self.request,
                _("Your draft is saved, but it cannot be submitted yet: see the points below."),
            )
            return self.render_step(step, None, errors=submission_errors(error))
        messages.success(
            self.request,
            _("Submitted. Commission staff will check the profile and tell you by e-mail."),
        )
        return redirect("partnerships:dashboard")


def submission_errors(error):
    """(message, step to fix it on) of a refused submission."""
    if not hasattr(error, "error_dict"):
        return [(message, None) for message in error.messages]
    return [
        (message, STEP_OF_FIELD.get(field))
        for field, errors in error.error_dict.items()
        for item in errors
        for message in item.messages
    ]


class OrganisationCreateView(StepsMixin, View):
    """The first step of a new profile; saving it creates the draft the other steps edit."""

    permission_required = "partnerships.add_organisation"

    def get(self, request):
        return self.render_step(FIRST, *self.step_forms(FIRST))

    def post(self, request):
        return self.post_step(FIRST)


class OrganisationUpdateView(SignInKeepsTypingMixin, StepsMixin, View):
    permission_required = "partnerships.change_organisation"

    @cached_property
    def organisation(self):
        return get_object_or_404(organisations_for_user(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.organisation

    def get(self, request, pk):
        kept = kept_typing(request, request.path)
        if kept is None:
            step = self.chosen_step(request.GET)
            return self.render_step(step, *self.step_forms(step))
        # What was posted when the session ran out, back in its step; files cannot be kept.
        step = self.chosen_step(kept)
        form, label_form = self.step_forms(step, kept)
        if label_form is not None and not any(
            kept.get(f"label-{name}") for name in ("level", "assessed_on")
        ):
            label_form = LabelForm(prefix="label")
        return self.render_step(step, form, label_form)

    def post(self, request, pk):
        return self.post_step(self.chosen_step(request.POST))


class S3PrioritiesView(View):
    """The first step's S3 priorities for the region chosen, the ticked ones that still apply
    kept ticked: HTMX swaps them in as soon as the region changes."""

    def get(self, request):
        region = request.GET.get("region", "")
        form = step_form(FIRST.slug)(
            initial={
                "region": region or None,
                "s3_priorities": applicable_priorities(region, request.GET),
            }
        )
        return render(
            request,
            "partnerships/includes/_s3_priorities.html",
            {"field": form["s3_priorities"], "s3_region": region},
        )


class OrganisationAutosaveView(SignInKeepsTypingMixin, PermissionRequiredMixin, View):
    """Saves the fields of the step being typed in (static/js/autosave.js); HTMX gets a small
    status, anyone else the step's page. Files and the label wait for the step's own POST."""

    permission_required = "partnerships.change_organisation"

    @cached_property
    def organisation(self):
        return get_object_or_404(organisations_for_user(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.organisation

    def back_to(self):
        return reverse("partnerships:organisation-edit", args=[self.kwargs["pk"]])

    def post(self, request, pk):
        step = STEP_BY_SLUG.get(request.POST.get("step", ""), FIRST)
        saved_at, errors = None, []
        if step.fields:
            form = step_form(step.slug)(request.POST, instance=self.organisation)
            # An untouched logo input sends an empty file part: "no change", never "clear".
            form.fields.pop("logo", None)
            if form.is_valid():
                try:
                    services.update_organisation(
                        self.organisation, by=request.user, **form.profile_fields()
                    )
                    saved_at = timezone.localtime()
                except ValidationError as error:
                    errors = error.messages
            else:
                errors = [f"{form[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
        if not request.htmx:
            return redirect(step_url(self.organisation, step))
        return render(
            request,
            "partnerships/includes/_expression_autosave.html",
            {"saved_at": saved_at, "errors": errors},
            status=200 if saved_at or not step.fields else 422,
        )
