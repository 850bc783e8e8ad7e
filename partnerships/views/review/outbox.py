"""The outbox of decision e-mails: staff send the pending ones, all or a chosen few."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from partnerships import services
from partnerships.enums import OutboxState
from partnerships.models import OutboxMessage
from partnerships.queries import outbox_for_call
from partnerships.views.review.common import CallReviewMixin


class OutboxView(CallReviewMixin, View):
    def get(self, request, pk):
        call = self.get_call()
        outbox = list(outbox_for_call(call))
        context = {
            "call": call,
            "pending": [m for m in outbox if m.state == OutboxState.PENDING],
            "sent": [m for m in outbox if m.state == OutboxState.SENT],
        }
        return render(request, "partnerships/review/outbox.html", context)

    def post(self, request, pk):
        call = self.get_call()
        pending = OutboxMessage.objects.filter(expression__call=call, state=OutboxState.PENDING)
        if "all" not in request.POST:
            ids = [value for value in request.POST.getlist("message") if value.isdigit()]
            pending = pending.filter(pk__in=ids)
        sent = services.send_outbox(list(pending), by=request.user)
        if sent:
            messages.success(
                request,
                ngettext("%(count)d e-mail sent.", "%(count)d e-mails sent.", sent)
                % {"count": sent},
            )
        else:
            messages.error(request, _("Choose at least one message waiting to be sent."))
        return redirect("partnerships:review-outbox", pk=pk)
