"""A person's own account: what the portal holds about them, e-mail consent, deletion; the
privacy notice."""

import datetime as dt
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.forms import AccountDeleteForm, EmailConsentForm
from partnerships.queries import sole_ownerships

# Headings for the sections of the export, in the order the page lists them.
SECTION_LABELS = {
    "organisation_memberships": gettext_lazy("Organisations you edit"),
    "organisation_contact_for": gettext_lazy("Organisations with your address as contact"),
    "invitations_received": gettext_lazy("Invitations you received"),
    "invitations_sent": gettext_lazy("Invitations you sent"),
    "expressions_started": gettext_lazy("Expressions of interest you started"),
    "attachments_uploaded": gettext_lazy("Documents you uploaded"),
    "consortium_answers": gettext_lazy("Consortium invitations you answered"),
    "reviewer_pools": gettext_lazy("Calls you review"),
    "conflict_declarations": gettext_lazy("Conflicts of interest you declared"),
    "review_scores": gettext_lazy("Review scores you gave"),
    "consensus_scores": gettext_lazy("Consensus scores you wrote"),
    "decision_emails": gettext_lazy("Decision e-mails to you"),
    "event_registrations": gettext_lazy("Event registrations"),
    "meetings": gettext_lazy("Meetings at events"),
    "meeting_preferences": gettext_lazy("Meeting preferences"),
    # The events app's own name for its ratings, capitalised by the page.
    "meeting_ratings": gettext_lazy("meeting ratings"),
    "events_organised": gettext_lazy("Events you organise"),
    "recommendation_feedback": gettext_lazy("Feedback on recommended partners"),
    "notifications": gettext_lazy("Notifications to you"),
    "notification_preferences": gettext_lazy("How you hear of each kind of notification"),
    "messages_sent": gettext_lazy("Messages you wrote"),
    "messages_reported": gettext_lazy("Messages you reported"),
    "activity": gettext_lazy("Changes you made (audit log)"),
    "sign_ins": gettext_lazy("Sign-ins"),
    "failed_sign_ins": gettext_lazy("Failed sign-ins"),
}


def data_summary(data):
    """(label, count) for each list in the export, known sections first."""
    lists = {key: value for key, value in data.items() if isinstance(value, list)}
    ordered = [key for key in SECTION_LABELS if key in lists]
    ordered += sorted(key for key in lists if key not in SECTION_LABELS)
    return [
        (SECTION_LABELS.get(key, key.replace("_", " ").capitalize()), len(lists[key]))
        for key in ordered
    ]


class AccountMixin(PermissionRequiredMixin):
    permission_required = "partnerships.manage_own_account"


class MyDataView(AccountMixin, TemplateView):
    template_name = "account/my_data.html"

    def get_context_data(self, **kwargs):
        data = services.export_personal_data(user=self.request.user)
        return super().get_context_data(**kwargs) | {
            "summary": data_summary(data),
            "consent_form": EmailConsentForm(
                initial={"email_consent": self.request.user.email_consent}
            ),
        }


class MyDataExportView(AccountMixin, View):
    """The JSON download; a POST, so that no prefetching browser or link triggers it."""

    def post(self, request):
        data = services.export_personal_data(user=request.user)
        services.log_action(request.user, "account.data_exported", actor=request.user)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        filename = f"clusterportal-my-data-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class EmailConsentView(AccountMixin, View):
    partial_name = "account/includes/_email_consent.html"

    def post(self, request):
        form = EmailConsentForm(request.POST)
        form.is_valid()  # An unticked box is a valid "no".
        consent = form.cleaned_data.get("email_consent", False)
        services.set_email_consent(request.user, consent=consent, by=request.user)
        if request.htmx:
            return render(
                request,
                self.partial_name,
                {
                    "consent_form": EmailConsentForm(initial={"email_consent": consent}),
                    "saved": True,
                },
            )
        messages.success(
            request,
            _("You will receive news and digests by e-mail.")
            if consent
            else _("You will no longer receive news and digests by e-mail."),
        )
        return redirect("partnerships:my-data")


class AccountDeleteView(AccountMixin, View):
    template_name = "account/account_delete.html"

    def get(self, request):
        return self.page(AccountDeleteForm(user=request.user))

    def post(self, request):
        form = AccountDeleteForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.erase_person(user=request.user, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                logout(request)
                messages.success(
                    request, _("Your account is deleted and your personal data erased. Goodbye.")
                )
                return redirect("home")
        return self.page(form, status=400)

    def page(self, form, status=200):
        context = {"form": form, "sole_ownerships": sole_ownerships(self.request.user)}
        return render(self.request, self.template_name, context, status=status)


class PrivacyView(TemplateView):
    template_name = "privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "controller": settings.PRIVACY_CONTROLLER,
            "dpo_email": settings.DATA_PROTECTION_OFFICER_EMAIL,
            "sign_in_retention_days": settings.SIGN_IN_RECORD_RETENTION_DAYS,
            "session_days": dt.timedelta(seconds=settings.SESSION_COOKIE_AGE).days,
            "csrf_days": dt.timedelta(seconds=settings.CSRF_COOKIE_AGE).days,
            "my_data_url": reverse("partnerships:my-data"),
            "delete_url": reverse("partnerships:account-delete"),
        }
