"""Pages where cluster managers register and look after their organisation profiles."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.enums import ValidationState
from partnerships.forms import InvitationForm, OwnershipForm
from partnerships.models import Invitation, Region
from partnerships.prechecks import blocking_findings
from partnerships.queries import (
    dashboard_organisations,
    organisations_for_user,
    partner_invitations_for_user,
)
from partnerships.rules import is_organisation_owner


def attach_errors(form, error):
    """Show a service's ValidationError on the form fields it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
