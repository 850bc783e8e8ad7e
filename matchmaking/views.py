"""Recommended partners for an organisation's people, and the staff page of scoring runs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from matchmaking import services
from matchmaking.enums import FeedbackVerdict, RunState
from matchmaking.forms import FeedbackForm, StartRunForm
from matchmaking.queries import (
    explained_recommendations,
    feedback_given,
    organisations_with_recommendations_for_user,
    recent_feedback,
    runs_with_progress,
    vocabulary_names,
)
from matchmaking.sentences import sentences
from partnerships.models import Organisation


class OrganisationScopedMixin(PermissionRequiredMixin):
    """The organisation from the URL, among those the user may see recommendations of (404)."""

    def get_permission_object(self):
        return self.organisation

    def dispatch(self, request, *args, **kwargs):
        self.organisation = get_object_or_404(
            organisations_with_recommendations_for_user(request.user), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)


def recommendations_context(organisation):
    recommendations = explained_recommendations(organisation)
    names = vocabulary_names()
    given = feedback_given(organisation)
    rows = [
        {
            "recommendation": rec,
            "reasons": sentences(rec.reasons, names),
            "feedback": given.get(rec.partner_id, []),
            "feedback_labels": [
                FeedbackVerdict(verdict).label for verdict in given.get(rec.partner_id, [])
            ],
        }
        for rec in recommendations
    ]
    return {"organisation": organisation, "rows": rows, "verdicts": FeedbackVerdict.choices}


class RecommendedPartnersView(OrganisationScopedMixin, View):
    permission_required = "matchmaking.view_recommendations"

    def get(self, request, pk):
        template = (
            "matchmaking/includes/_recommended_partners.html"
            if request.htmx
            else "matchmaking/recommendation_list.html"
        )
        return render(request, template, recommendations_context(self.organisation))


class FeedbackView(OrganisationScopedMixin, View):
    permission_required = "matchmaking.give_feedback"

    def post(self, request, pk):
        form = FeedbackForm(request.POST)
        error = None
        if form.is_valid():
            partner = Organisation.objects.filter(pk=form.cleaned_data["partner"]).first()
            try:
                if partner is None:
                    raise ValidationError(_("This partner is not among your recommended partners."))
                services.give_feedback(
                    self.organisation,
                    partner=partner,
                    verdict=form.cleaned_data["verdict"],
                    by=request.user,
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
        else:
            error = _("Choose useful, not relevant or contacted.")
        if request.htmx:
            context = recommendations_context(self.organisation) | {"error": error}
            # 200 even with an error: HTMX swaps only successful responses, and the error is
            # shown in the swapped fragment.
            return render(request, "matchmaking/includes/_recommended_partners.html", context)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Thank you: your feedback is saved."))
        return redirect("matchmaking:recommended-partners", pk=self.organisation.pk)


def runs_context():
    runs = list(runs_with_progress())
    return {
        "runs": runs,
        "any_running": any(run.state == RunState.RUNNING for run in runs),
    }


class RunListView(PermissionRequiredMixin, View):
    permission_required = "matchmaking.manage_runs"

    def get(self, request):
        context = runs_context() | {"form": StartRunForm(), "feedback": recent_feedback()}
        return render(request, "matchmaking/run_list.html", context)


class RunProgressView(PermissionRequiredMixin, View):
    permission_required = "matchmaking.manage_runs"

    def get(self, request):
        return render(request, "matchmaking/includes/_run_progress.html", runs_context())


class StartRunView(PermissionRequiredMixin, View):
    permission_required = "matchmaking.manage_runs"

    def post(self, request):
        form = StartRunForm(request.POST)
        if form.is_valid():
            run = services.start_full_run(form.cleaned_data["profile"], by=request.user)
            messages.success(
                request, _("Run %(run)s started: progress shows below.") % {"run": run.pk}
            )
        else:
            messages.error(request, _("Choose a weight profile."))
        return redirect("matchmaking:run-list")
