"""On the day: a participant's badge with its QR code, and the organisers' check-in desk."""

import io

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from clusterportal.origin import site_url
from events import services
from events.forms import CheckInForm
from events.views.availability import OwnRegistrationMixin
from events.views.workspace_participants import OrganiserMixin


def check_in_url(registration):
    """Where a phone that scans the badge lands: the check-in desk with the code filled in."""
    path = reverse("events:check-in", args=[registration.event_id])
    return f"{site_url()}{path}?code={registration.badge_code}"


class ApprovedOwnMixin(OwnRegistrationMixin):
    def own(self):
        own = super().own()
        if not own.is_approved:
            # A badge exists once the organisers have validated the registration.
            raise Http404
        return own


class BadgeView(ApprovedOwnMixin, View):
    template_name = "events/badge.html"

    def get(self, request, pk):
        own = self.own()
        return render(request, self.template_name, {"event": self.event, "own": own})


class BadgeQRView(ApprovedOwnMixin, View):
    def get(self, request, pk):
        own = self.own()
        out = io.BytesIO()
        segno.make(check_in_url(own), error="m").save(
            out, kind="svg", scale=6, border=2, xmldecl=False, svgclass="badge__qr"
        )
        response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
        response["Cache-Control"] = "private, no-store"
        return response


class CheckInView(OrganiserMixin, View):
    template_name = "events/check_in.html"

    def render_page(self, form, status=200):
        here = self.event.registrations.filter(checked_in_at__isnull=False).count()
        context = {"event": self.event, "form": form, "here": here}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        # A scanned badge opens this page with its code; the organiser still confirms.
        code = request.GET.get("code", "")[:20]
        return self.render_page(CheckInForm(initial={"code": code}))

    def post(self, request, pk):
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                registration, new = services.check_in(
                    self.event, code=form.cleaned_data["code"], by=request.user
                )
            except ValidationError as error:
                form.add_error("code", error)
            else:
                message = (
                    _("%(name)s (%(organisation)s) is checked in.")
                    if new
                    else _("%(name)s (%(organisation)s) was already checked in.")
                )
                messages.success(
                    request,
                    message
                    % {"name": registration.user, "organisation": registration.organisation.name},
                )
                return redirect("events:check-in", pk=self.event.pk)
        return self.render_page(form, status=400)
