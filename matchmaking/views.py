"""Recommended partners for an organisation's people, and the staff page of scoring runs."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from matchmaking import services
from matchmaking.enums import FeedbackVerdict, RunState
from matchmaking.feature_loader import suggestion_pool
from matchmaking.forms import AdoptFitForm, FeedbackForm, FitWeightsForm, StartRunForm
from matchmaking.models import WeightFit
from matchmaking.queries import (
    consortium_ids,
    explained_recommendations,
    feedback_given,
    fit_comparison,
    organisations_with_recommendations_for_user,
    partner_suggestions,
    recent_feedback,
    recent_weight_fits,
    runs_with_progress,
    vocabulary_names,
)
from matchmaking.sentences import band_label, sentences
from partnerships.enums import EXPRESSION_EDITABLE_STATES
from partnerships.models import Organisation
from partnerships.queries import (
    calls_for_user,
    expressions_for_user,
    organisations_of_member,
    with_expression_relations,
)


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
            "band": band_label(rec.contributions),
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
        error = notice = None
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
                if form.cleaned_data["verdict"] == FeedbackVerdict.NOT_RELEVANT:
                    notice = _("%(name)s is off your list, and later runs leave it out.") % {
                        "name": partner.name
                    }
        else:
            error = _("Choose useful, not relevant or contacted.")
        if request.htmx:
            context = recommendations_context(self.organisation) | {
                "error": error,
                "notice": notice,
            }
            # 200 even with an error: HTMX swaps only successful responses, and the error is
            # shown in the swapped fragment.
            return render(request, "matchmaking/includes/_recommended_partners.html", context)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, notice or _("Thank you: your feedback is saved."))
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


class WeightFitListView(PermissionRequiredMixin, View):
    """Fit weights on the recorded outcomes; the fits so far, newest first."""

    permission_required = "matchmaking.learn_weights"

    def render_list(self, request, form):
        context = {"form": form, "fits": recent_weight_fits()}
        status = 400 if form.errors else 200
        return render(request, "matchmaking/weight_fit_list.html", context, status=status)

    def get(self, request):
        return self.render_list(request, FitWeightsForm())

    def post(self, request):
        form = FitWeightsForm(request.POST)
        if form.is_valid():
            try:
                fit = services.request_weight_fit(
                    form.cleaned_data["profile"],
                    by=request.user,
                    test_share=form.cleaned_data["test_share"],
                    negatives=form.cleaned_data["negatives"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Weights are being fitted: nothing changes until you adopt them."),
                )
                return redirect(fit)
        return self.render_list(request, form)


class WeightFitDetailView(PermissionRequiredMixin, View):
    """A fit's weights beside the ones it was compared with, its held-out figures, and adopting."""

    permission_required = "matchmaking.learn_weights"

    def dispatch(self, request, *args, **kwargs):
        self.fit = get_object_or_404(
            WeightFit.objects.select_related("profile", "by", "adopted_into"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def render_fit(self, request, form, template="matchmaking/weight_fit_detail.html"):
        context = {"fit": self.fit, "rows": fit_comparison(self.fit), "form": form}
        status = 400 if form.errors else 200
        return render(request, template, context, status=status)

    def get(self, request, pk):
        return self.render_fit(request, AdoptFitForm(initial={"into": self.fit.profile}))

    def post(self, request, pk):
        form = AdoptFitForm(request.POST)
        if form.is_valid():
            try:
                profile = services.adopt_weight_fit(
                    self.fit,
                    by=request.user,
                    into=form.cleaned_data["into"],
                    name=form.cleaned_data["name"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("The weights are now those of %(profile)s: the next run scores with them.")
                    % {"profile": profile.name},
                )
                return redirect(self.fit)
        return self.render_fit(request, form)


class WeightFitResultView(WeightFitDetailView):
    """The fit's result partial, polled while the fit task runs ("fitting...")."""

    def get(self, request, pk):
        if not request.htmx:
            return redirect(self.fit)
        return self.render_fit(
            request,
            AdoptFitForm(initial={"into": self.fit.profile}),
            template="matchmaking/includes/_weight_fit_result.html",
        )

    def post(self, request, pk):
        return redirect(self.fit)


class ExpressionSuggestionsView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Partners that together cover what the expression's call asks, each with its reasons."""

    permission_required = "matchmaking.suggest_partners"

    def get_permission_object(self):
        if not hasattr(self, "expression"):
            expressions = with_expression_relations(expressions_for_user(self.request.user))
            self.expression = get_object_or_404(expressions, pk=self.kwargs["pk"])
        return self.expression

    def get(self, request, pk):
        expression = self.get_permission_object()
        pool = suggestion_pool()
        members, _excluded = consortium_ids(expression)
        if len(pool.rows_of(members)) < len(members):
            # An organisation newer than the pool: read it again rather than leave it out.
            pool = suggestion_pool(rebuild=True)
        context = {
            "expression": expression,
            "call": expression.call,
            "suggested": partner_suggestions(expression, pool=pool),
            "can_invite": request.user.has_perm("partnerships.invite_partner", expression),
        }
        template = (
            "matchmaking/includes/_partner_suggestions.html"
            if request.htmx
            else "matchmaking/expression_suggestions.html"
        )
        return render(request, template, context)


class CallSuggestionsView(LoginRequiredMixin, View):
    """On a call's page: where the person's own draft consortia for the call get suggestions."""

    def get(self, request, pk):
        call = get_object_or_404(calls_for_user(request.user), pk=pk)
        expressions = (
            expressions_for_user(request.user)
            .filter(
                call=call,
                lead__in=organisations_of_member(request.user),
                state__in=EXPRESSION_EDITABLE_STATES,
            )
            .select_related("lead")
            .order_by("title", "id")
        )
        return render(
            request,
            "matchmaking/includes/_call_suggestions.html",
            {
                "call": call,
                "expressions": expressions,
                "manages": organisations_of_member(request.user).exists(),
            },
        )
