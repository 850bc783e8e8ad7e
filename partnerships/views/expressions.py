"""Pages where a lead's managers draft, submit and withdraw expressions of interest, and
partners' managers confirm or decline."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.enums import EXPRESSION_WITHDRAWABLE_STATES, PartnerState
from partnerships.forms import (
    AttachmentForm,
    ExpressionForm,
    ExpressionStartForm,
    PartnerInviteForm,
)
from partnerships.queries import (
    calls_for_user,
    expressions_for_user,
    invitable_organisations,
    possible_leads,
    released_decisions_for_user,
    with_expression_relations,
)
from partnerships.uploads.serving import download_name, private_file_response
from partnerships.views.manage import attach_errors
from partnerships.views.session import SignInKeepsTypingMixin, kept_typing


def error_messages(error):
    return error.messages if hasattr(error, "messages") else [str(error)]


class ExpressionMixin(PermissionRequiredMixin):
    """Finds the expression among those the person may see: a foreign id is a 404."""

    def get_expression(self):
        if not hasattr(self, "_expression"):
            expressions = with_expression_relations(expressions_for_user(self.request.user))
            self._expression = get_object_or_404(expressions, pk=self.kwargs["pk"])
        return self._expression

    def get_permission_object(self):
        return self.get_expression()

    def back(self):
        return redirect(self.get_expression().get_absolute_url())


class ExpressionStartView(PermissionRequiredMixin, View):
    permission_required = "partnerships.add_expressionofinterest"

    def post(self, request, pk):
        call = get_object_or_404(calls_for_user(request.user), pk=pk)
        form = ExpressionStartForm(
            request.POST, organisations=possible_leads(request.user), call=call
        )
        if form.is_valid():
            try:
                expression = services.start_expression(
                    call,
                    lead=form.cleaned_data["lead"],
                    by=request.user,
                    title=form.cleaned_data["title"],
                )
            except services.AlreadyStarted as error:
                # A double click or a colleague got there first: open what they started.
                return self.open_existing(request, error)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Your draft is started; it is saved as you type."))
                return redirect("partnerships:expression-edit", pk=expression.pk)
        return render(
            request,
            "partnerships/expression_start.html",
            {"call": call, "form": form},
            status=400,
        )

    def open_existing(self, request, error):
        expression = error.expression
        messages.info(request, error.messages[0])
        if request.user.has_perm("partnerships.change_expressionofinterest", expression):
            return redirect("partnerships:expression-edit", pk=expression.pk)
        return redirect(expression.get_absolute_url())


class ExpressionDetailView(ExpressionMixin, View):
    permission_required = "partnerships.view_expressionofinterest"

    def get(self, request, pk, invite_form=None, attachment_form=None, status=200):
        expression = self.get_expression()
        user = request.user
        can_change = user.has_perm("partnerships.change_expressionofinterest", expression)
        context = {
            "expression": expression,
            "call": expression.call,
            "deadline": services.stage_deadline(expression),
            "time_zone": settings.TIME_ZONE,
            "can_change": can_change,
            "can_invite": user.has_perm("partnerships.invite_partner", expression),
            "can_submit": can_change
            and user.has_perm("partnerships.submit_expression", expression),
            "can_withdraw": expression.state in EXPRESSION_WITHDRAWABLE_STATES
            and user.has_perm("partnerships.withdraw_expression", expression),
            "my_partner_rows": [
                partner
                for partner in expression.partners.all()
                if user.has_perm("partnerships.respond_to_partnership", partner)
            ],
            "summary_reports": released_decisions_for_user(user)
            .filter(expression=expression)
            .order_by("stage"),
        }
        if context["can_submit"]:
            context["findings"] = services.submission_findings(expression)
        if context["can_invite"]:
            context["invite_form"] = invite_form or PartnerInviteForm(
                candidates=invitable_organisations(expression)
            )
        if can_change:
            context["attachment_form"] = attachment_form or AttachmentForm()
        return render(request, "partnerships/expression_detail.html", context, status=status)


class ExpressionEditView(SignInKeepsTypingMixin, ExpressionMixin, View):
    permission_required = "partnerships.change_expressionofinterest"

    def render_form(self, form, status=200, *, restored=False):
        expression = self.get_expression()
        context = {
            "expression": expression,
            "form": form,
            "restored": restored,
            "deadline": services.stage_deadline(expression),
            "time_zone": settings.TIME_ZONE,
        }
        return render(self.request, "partnerships/expression_form.html", context, status=status)

    def get(self, request, pk):
        kept = kept_typing(request, request.path)
        form = ExpressionForm(kept, instance=self.get_expression())
        return self.render_form(form, restored=kept is not None)

    def post(self, request, pk):
        expression = self.get_expression()
        form = ExpressionForm(request.POST, instance=expression)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            services.update_expression(expression, by=request.user, **form.expression_fields())
        except ValidationError as error:
            attach_errors(form, error)
            return self.render_form(form, status=400)
        messages.success(request, _("Your draft is saved."))
        return self.back()


class ExpressionAutosaveView(SignInKeepsTypingMixin, ExpressionMixin, View):
    """Saves the draft as the person types; HTMX gets a small status, anyone else a redirect."""

    permission_required = "partnerships.change_expressionofinterest"

    def back_to(self):
        return reverse("partnerships:expression-edit", args=[self.kwargs["pk"]])

    def post(self, request, pk):
        expression = self.get_expression()
        form = ExpressionForm(request.POST, instance=expression)
        saved_at, errors = None, []
        if form.is_valid():
            try:
                services.update_expression(expression, by=request.user, **form.expression_fields())
                saved_at = timezone.localtime()
            except ValidationError as error:
                errors = error_messages(error)
        else:
            errors = [f"{form[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
        if not request.htmx:
            if saved_at:
                messages.success(request, _("Your draft is saved."))
            for message in errors:
                messages.error(request, message)
            return redirect("partnerships:expression-edit", pk=expression.pk)
        return render(
            request,
            "partnerships/includes/_expression_autosave.html",
            {"saved_at": saved_at, "errors": errors},
            status=200 if saved_at else 422,
        )


class ActionView(ExpressionMixin, View):
    """A POST-only button on the expression page that calls one service."""

    success_message = ""

    def act(self, expression):
        raise NotImplementedError

    def post(self, request, pk):
        try:
            self.act(self.get_expression())
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
        else:
            messages.success(request, self.success_message)
        return self.back()


class ExpressionSubmitView(ActionView):
    permission_required = "partnerships.submit_expression"

    def act(self, expression):
        services.submit_expression(expression, by=self.request.user)
        self.success_message = _("Submitted. You may withdraw it until the deadline.")


class ExpressionWithdrawView(ActionView):
    permission_required = "partnerships.withdraw_expression"

    def act(self, expression):
        services.withdraw_expression(expression, by=self.request.user)
        self.success_message = _("The expression of interest is withdrawn.")


class PartnerInviteView(ExpressionMixin, View):
    permission_required = "partnerships.invite_partner"

    def post(self, request, pk):
        expression = self.get_expression()
        form = PartnerInviteForm(request.POST, candidates=invitable_organisations(expression))
        if form.is_valid():
            try:
                services.invite_partner(expression, organisation=form.organisation, by=request.user)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is invited; its managers have been e-mailed.")
                    % {"name": form.organisation.name},
                )
                return self.back()
        return ExpressionDetailView.get(self, request, pk, invite_form=form, status=400)


class AttachmentAddView(ExpressionMixin, View):
    permission_required = "partnerships.change_expressionofinterest"

    def post(self, request, pk):
        expression = self.get_expression()
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_attachment(expression, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The attachment is added."))
                return self.back()
        form.hold_uploads()
        return ExpressionDetailView.get(self, request, pk, attachment_form=form, status=400)


class PartnerRespondView(LoginRequiredMixin, View):
    """A partner organisation's manager confirms or declines an invitation."""

    def post(self, request, pk, partner_pk):
        expression = get_object_or_404(expressions_for_user(request.user), pk=pk)
        partner = get_object_or_404(expression.partners, pk=partner_pk)
        if not request.user.has_perm("partnerships.respond_to_partnership", partner):
            raise PermissionDenied
        accept = request.POST.get("answer") == PartnerState.CONFIRMED
        try:
            services.respond_to_partnership(partner, accept=accept, by=request.user)
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("You have confirmed the partnership.")
                if accept
                else _("You have declined the invitation."),
            )
        return redirect(expression.get_absolute_url())


class ExpressionAttachmentDownloadView(ExpressionMixin, View):
    """Attachments are private to the consortium and staff, so they are served through here."""

    permission_required = "partnerships.view_expressionofinterest"

    def get(self, request, pk, attachment_pk):
        attachment = get_object_or_404(self.get_expression().attachments, pk=attachment_pk)
        return private_file_response(
            attachment.file,
            filename=download_name(attachment.original_name, attachment.file.name),
        )
