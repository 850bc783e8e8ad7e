"""What every staff page of a call's review shares: finding the call and the stage."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy
from rules.contrib.views import PermissionRequiredMixin

from partnerships.queries import calls_for_user
from partnerships.views.expressions import error_messages


def _report_errors(request, error):
    for message in error_messages(error):
        messages.error(request, message)


class CallReviewMixin(PermissionRequiredMixin):
    """Finds the call (a foreign or draft id is a 404 for who may not see it) and the stage."""

    permission_required = "partnerships.manage_review"
    permission_denied_message = gettext_lazy(
        "Only Commission staff manage the review of a call: its reviewer pool, assignments, "
        "ranking, decisions and outbox."
    )

    def get_call(self):
        if not hasattr(self, "_call"):
            self._call = get_object_or_404(
                calls_for_user(self.request.user).prefetch_related("stages"), pk=self.kwargs["pk"]
            )
        return self._call

    def get_stage(self):
        stage = self.kwargs.get("stage", 1)
        if self.get_call().stage(stage) is None:
            raise Http404
        return stage

    def get_permission_object(self):
        return self.get_call()

    def overview(self):
        return redirect("partnerships:review-overview", pk=self.get_call().pk)
