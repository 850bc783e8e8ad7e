"""Pages where cluster managers register and look after their organisation profiles."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.enums import ValidationState
from partnerships.forms import InvitationForm, LabelForm, OrganisationForm, OwnershipForm
from partnerships.models import Invitation, Region
from partnerships.prechecks import blocking_findings
from partnerships.queries import (
    dashboard_organisations,
    likely_duplicates,
    organisations_for_user,
    partner_invitations_for_user,
)
from partnerships.rules import is_organisation_owner
from partnerships.views.session import SignInKeepsTypingMixin, kept_typing


def attach_errors(form, error):
    """Show a service's ValidationError on the form fields it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class OrganisationFormMixin:
    template_name = "partnerships/organisation_form.html"

    def forms(self, organisation=None):
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        form = OrganisationForm(data, files, instance=organisation)
        label_form = LabelForm(data, files, prefix="label")
        return form, label_form

    def label_given(self, label_form):
        return any(
            self.request.POST.get(f"label-{name}") for name in ("level", "assessed_on")
        ) or bool(
            self.request.FILES.get("label-certificate")
            or self.request.POST.get("label-certificate-held")
        )

    def render_forms(self, form, label_form, organisation=None, status=200):
        context = {
            "form": form,
            "label_form": label_form,
            "organisation": organisation,
            "findings": blocking_findings(organisation) if organisation else [],
            "duplicates": likely_duplicates(organisation) if organisation else [],
        }
        return render(self.request, self.template_name, context, status=status)

    def refuse(self, form, label_form, wants_label, organisation=None):
        """Show the errors; accepted files are kept, and a label section the person left
        empty is shown empty, not full of "required" errors."""
        form.hold_uploads()
        if wants_label:
            label_form.hold_uploads()
        else:
            label_form = LabelForm(prefix="label")
        return self.render_forms(form, label_form, organisation)

    def save(self, form, label_form, organisation=None):
        """Save the draft, then try to submit when asked; a failed submission keeps the draft."""
        wants_label = self.label_given(label_form)
        if not form.is_valid() or (wants_label and not label_form.is_valid()):
            return self.refuse(form, label_form, wants_label, organisation)
        user = self.request.user
        try:
            with transaction.atomic():
                if organisation is None:
                    organisation = services.create_organisation(by=user, **form.profile_fields())
                else:
                    organisation = services.update_organisation(
                        organisation, by=user, **form.profile_fields()
                    )
                if wants_label:
                    services.record_label(organisation, by=user, **label_form.label_fields())
        except ValidationError as error:
            attach_errors(form, error)
            return self.refuse(form, label_form, wants_label, organisation)
        if "submit" not in self.request.POST:
            messages.success(self.request, _("Your draft is saved."))
            return redirect("partnerships:organisation-edit", pk=organisation.pk)
        try:
            services.submit_for_validation(organisation, by=user)
        except ValidationError as error:
            # The bound form still holds what was typed; the draft itself is already saved.
            attach_errors(form, error)
            messages.warning(
                self.request,
                _("Your draft is saved, but it cannot be submitted yet: see the points below."),
            )
            return self.render_forms(form, LabelForm(prefix="label"), organisation)
        messages.success(
            self.request,
            _("Submitted. Commission staff will check the profile and tell you by e-mail."),
        )
        return redirect("partnerships:dashboard")


class OrganisationCreateView(PermissionRequiredMixin, OrganisationFormMixin, View):
    permission_required = "partnerships.add_organisation"

    def get(self, request):
        return self.render_forms(*self.forms())

    def post(self, request):
        return self.save(*self.forms())


class OrganisationUpdateView(
    SignInKeepsTypingMixin, PermissionRequiredMixin, OrganisationFormMixin, View
):
    permission_required = "partnerships.change_organisation"

    @cached_property
    def organisation(self):
        return get_object_or_404(organisations_for_user(self.request.user), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.organisation

    def get(self, request, pk):
        kept = kept_typing(request, request.path)
        if kept is None:
            return self.render_forms(*self.forms(self.organisation), self.organisation)
        # Files cannot be kept; the label section is bound only if the person filled it in.
        label_given = any(kept.get(f"label-{name}") for name in ("level", "assessed_on"))
        return self.render_forms(
            OrganisationForm(kept, instance=self.organisation),
            LabelForm(kept if label_given else None, prefix="label"),
            self.organisation,
        )

    def post(self, request, pk):
        return self.save(*self.forms(self.organisation), self.organisation)


class RegionOptionsView(View):
    """The NUTS-2 regions of one country, as <option>s for the registration form."""

    def get(self, request):
        country = request.GET.get("country", "")
        regions = Region.objects.filter(level=2, country_id=country).order_by("name")
        return render(
            request,
            "partnerships/includes/_region_options.html",
            {"regions": regions, "selected": request.GET.get("region", "")},
        )


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "partnerships/dashboard.html"

    def get_context_data(self, **kwargs):
        rows = [
            {
                "organisation": organisation,
                "findings": blocking_findings(organisation)
                if organisation.validation_state
                in (ValidationState.DRAFT, ValidationState.REJECTED)
                else [],
                "is_owner": is_organisation_owner(self.request.user, organisation),
            }
            for organisation in dashboard_organisations(self.request.user)
        ]
        return super().get_context_data(**kwargs) | {
            "rows": rows,
            "consortium_invitations": partner_invitations_for_user(self.request.user),
        }


class MembersView(PermissionRequiredMixin, View):
    """Owners invite editors and hand over ownership."""

    permission_required = "partnerships.manage_members"
    template_name = "partnerships/organisation_members.html"

    def dispatch(self, request, *args, **kwargs):
        self.organisation = get_object_or_404(organisations_for_user(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.organisation

    def render_page(self, invitation_form=None, ownership_form=None, status=200):
        organisation = self.organisation
        context = {
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("user").order_by("role"),
            "invitations": organisation.invitations.filter(accepted_at__isnull=True),
            "invitation_form": invitation_form or InvitationForm(),
            "ownership_form": ownership_form or OwnershipForm(organisation=organisation),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page()

    def post(self, request, pk):
        if "invite" in request.POST:
            form = InvitationForm(request.POST)
            if form.is_valid():
                try:
                    services.invite_member(
                        self.organisation, email=form.cleaned_data["email"], by=request.user
                    )
                except ValidationError as error:
                    attach_errors(form, error)
                else:
                    messages.success(request, _("The invitation is on its way."))
                    return redirect("partnerships:organisation-members", pk=pk)
            return self.render_page(invitation_form=form)
        form = OwnershipForm(request.POST, organisation=self.organisation)
        if form.is_valid():
            services.transfer_ownership(
                self.organisation, to=form.cleaned_data["user"], by=request.user
            )
            messages.success(request, _("Ownership has been handed over."))
            return redirect("partnerships:dashboard")
        return self.render_page(ownership_form=form)


class InvitationAcceptView(LoginRequiredMixin, View):
    template_name = "partnerships/invitation_accept.html"

    def get_invitation(self, token):
        return get_object_or_404(
            Invitation.objects.select_related("organisation", "invited_by"), token=token
        )

    def get(self, request, token):
        invitation = self.get_invitation(token)
        return render(request, self.template_name, {"invitation": invitation})

    def post(self, request, token):
        invitation = self.get_invitation(token)
        try:
            services.accept_invitation(invitation, user=request.user)
        except ValidationError as error:
            return render(
                request,
                self.template_name,
                {"invitation": invitation, "errors": error.messages},
                status=400,
            )
        messages.success(
            request,
            _("You can now edit %(name)s.") % {"name": invitation.organisation.name},
        )
        return redirect("partnerships:dashboard")
