"""Staff pages of the review: the pool and assignments, the reviewers' score sheets, the
moderator's consensus, the ranking, the decisions and the outbox of decision e-mails."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.enums import (
    REVIEWABLE_STATES,
    DecisionState,
    OutboxState,
    ReviewState,
)
from partnerships.forms import (
    AutoAssignForm,
    ConflictDeclarationForm,
    ConsensusForm,
    DecisionForm,
    ManualAssignForm,
    ReviewerAddForm,
    ReviewForm,
    SameCountryRuleForm,
)
from partnerships.models import (
    CallReviewer,
    ConsensusScore,
    OutboxMessage,
    ReviewAssignment,
    User,
)
from partnerships.queries import (
    assignments_for_reviewer,
    calls_for_user,
    conflict_log,
    organisations_under_review_by,
    outbox_for_call,
    review_pool,
    reviews_for_user,
    stage_criteria,
    stage_expressions,
    stage_ranking,
    with_review_detail,
    with_review_relations,
)
from partnerships.views.expressions import error_messages
from partnerships.views.manage import attach_errors
from partnerships.views.session import SignInKeepsTypingMixin, kept_typing


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


class ReviewOverviewView(CallReviewMixin, View):
    def get(self, request, pk, forms=None):
        call = self.get_call()
        forms = forms or {}
        pool = list(review_pool(call))
        reviewer_users = User.objects.filter(
            review_pools__call=call, review_pools__is_moderator=False
        ).order_by("full_name", "email")
        stages = []
        for stage in call.stages.all():
            expressions = list(
                with_review_relations(stage_expressions(call, stage.number), stage.number)
            )
            reviewable = call.expressions.filter(state=REVIEWABLE_STATES[stage.number]).order_by(
                "title", "id"
            )
            assignments = [a for e in expressions for a in e.stage_assignments]
            stages.append(
                {
                    "stage": stage,
                    "expressions": expressions,
                    "assignment_count": len(assignments),
                    "submitted_count": sum(
                        1 for a in assignments if a.review.state == ReviewState.SUBMITTED
                    ),
                    "auto_form": forms.get(("auto", stage.number)) or AutoAssignForm(),
                    "manual_form": forms.get(("manual", stage.number))
                    or ManualAssignForm(expressions=reviewable, reviewers=reviewer_users),
                }
            )
        context = {
            "call": call,
            "pool": pool,
            "stages": stages,
            "reviewer_form": forms.get("reviewer") or ReviewerAddForm(),
            "same_country_form": SameCountryRuleForm(
                initial={"enabled": call.review_same_country_rule}
            ),
            "conflicts": conflict_log(call)[:50],
            "pending_messages": call.expressions.aggregate(
                n=Count("outbox_messages", filter=Q(outbox_messages__state=OutboxState.PENDING))
            )["n"],
        }
        return render(
            request,
            "partnerships/review/overview.html",
            context,
            status=400 if forms else 200,
        )


class ReviewerAddView(CallReviewMixin, View):
    def post(self, request, pk):
        form = ReviewerAddForm(request.POST)
        if form.is_valid():
            try:
                services.add_reviewer(self.get_call(), by=request.user, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is in the reviewer pool.") % {"name": form.cleaned_data["user"]},
                )
                return self.overview()
        return ReviewOverviewView.get(self, request, pk, forms={"reviewer": form})


class ReviewerRemoveView(CallReviewMixin, View):
    def post(self, request, pk, reviewer_pk):
        reviewer = get_object_or_404(CallReviewer, call=self.get_call(), pk=reviewer_pk)
        try:
            services.remove_reviewer(reviewer, by=request.user)
        except ValidationError as error:
            _report_errors(request, error)
        else:
            messages.success(
                request, _("%(name)s has left the reviewer pool.") % {"name": reviewer.user}
            )
        return self.overview()


class SameCountryRuleView(CallReviewMixin, View):
    def post(self, request, pk):
        form = SameCountryRuleForm(request.POST)
        form.is_valid()
        enabled = form.cleaned_data.get("enabled", False)
        services.set_same_country_rule(self.get_call(), enabled=enabled, by=request.user)
        messages.success(
            request,
            _("The same-country rule applies to new assignments.")
            if enabled
            else _("The same-country rule is off."),
        )
        return self.overview()


class AutoAssignView(CallReviewMixin, View):
    def post(self, request, pk, stage):
        stage = self.get_stage()
        form = AutoAssignForm(request.POST)
        if not form.is_valid():
            return ReviewOverviewView.get(self, request, pk, forms={("auto", stage): form})
        try:
            report = services.auto_assign(
                self.get_call(),
                stage=stage,
                per_expression=form.cleaned_data["per_expression"],
                by=request.user,
            )
        except ValidationError as error:
            _report_errors(request, error)
            return self.overview()
        messages.success(
            request,
            ngettext("%(count)d assignment made.", "%(count)d assignments made.", report.created)
            % {"count": report.created},
        )
        if report.skipped_conflicts:
            messages.warning(
                request,
                ngettext(
                    "%(count)d reviewer was skipped for a conflict of interest (see the log).",
                    "%(count)d reviewers were skipped for conflicts of interest (see the log).",
                    report.skipped_conflicts,
                )
                % {"count": report.skipped_conflicts},
            )
        if report.short:
            messages.warning(
                request,
                _("Not enough eligible reviewers for: %(titles)s. Add reviewers to the pool.")
                % {"titles": "; ".join(report.short)},
            )
        return self.overview()


class ManualAssignView(CallReviewMixin, View):
    def post(self, request, pk, stage):
        stage = self.get_stage()
        call = self.get_call()
        form = ManualAssignForm(
            request.POST,
            expressions=call.expressions.filter(state=REVIEWABLE_STATES[stage]),
            reviewers=User.objects.filter(review_pools__call=call),
        )
        if form.is_valid():
            try:
                services.assign_reviewer(
                    form.cleaned_data["expression"],
                    stage=stage,
                    reviewer=form.cleaned_data["reviewer"],
                    by=request.user,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s reviews “%(title)s”.")
                    % {
                        "name": form.cleaned_data["reviewer"],
                        "title": form.cleaned_data["expression"].title,
                    },
                )
                return self.overview()
        return ReviewOverviewView.get(self, request, pk, forms={("manual", stage): form})


class UnassignView(CallReviewMixin, View):
    def post(self, request, pk, assignment_pk):
        assignment = get_object_or_404(
            ReviewAssignment.objects.select_related("expression", "reviewer"),
            expression__call=self.get_call(),
            pk=assignment_pk,
        )
        try:
            services.unassign(assignment, by=request.user)
        except ValidationError as error:
            _report_errors(request, error)
        else:
            messages.success(
                request,
                _("%(name)s no longer reviews “%(title)s”.")
                % {"name": assignment.reviewer, "title": assignment.expression.title},
            )
        return self.overview()


class MyReviewsView(PermissionRequiredMixin, View):
    permission_required = "partnerships.review_calls"
    permission_denied_message = gettext_lazy("Only Commission staff review calls.")

    def organisations(self):
        return organisations_under_review_by(self.request.user)

    def get(self, request, form=None):
        context = {
            "assignments": assignments_for_reviewer(request.user),
            "declarations": request.user.conflict_declarations.select_related("organisation"),
            "conflict_form": form or ConflictDeclarationForm(organisations=self.organisations()),
            "moderated_calls": calls_for_user(request.user)
            .filter(reviewers__user=request.user, reviewers__is_moderator=True)
            .order_by("-created_at"),
        }
        return render(
            request, "partnerships/review/my_reviews.html", context, status=400 if form else 200
        )

    def post(self, request):
        form = ConflictDeclarationForm(request.POST, organisations=self.organisations())
        if form.is_valid():
            try:
                services.declare_conflict(user=request.user, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your conflict of interest with %(name)s is recorded.")
                    % {"name": form.cleaned_data["organisation"]},
                )
                return redirect("partnerships:my-reviews")
        return self.get(request, form=form)


class ReviewDetailView(SignInKeepsTypingMixin, PermissionRequiredMixin, View):
    """A reviewer's score sheet; the others' reviews appear once this one is submitted."""

    permission_required = "partnerships.view_review"

    def get_review(self):
        if not hasattr(self, "_review"):
            self._review = get_object_or_404(
                with_review_detail(reviews_for_user(self.request.user)), pk=self.kwargs["pk"]
            )
        return self._review

    def get_permission_object(self):
        return self.get_review()

    def criteria(self, review):
        assignment = review.assignment
        return stage_criteria(assignment.expression.call, assignment.stage)

    def refilled_form(self, review, criteria):
        """The review as saved now, and the form with what the person typed on its version."""
        review = with_review_detail(reviews_for_user(self.request.user)).get(pk=review.pk)
        data = self.request.POST.copy()
        data["version"] = review.version
        form = ReviewForm(data, criteria=criteria)
        form.is_valid()
        return review, form

    def initial(self, review):
        initial = {"version": review.version}
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = score.score
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial

    def render_page(self, review, form=None, *, stale=None, status=200, restored=False):
        user = self.request.user
        assignment = review.assignment
        can_edit = user.has_perm("partnerships.change_review", review)
        if can_edit and form is None:
            form = ReviewForm(initial=self.initial(review), criteria=self.criteria(review))
        others = []
        if review.is_submitted or assignment.reviewer_id != user.pk:
            others = list(
                with_review_detail(
                    reviews_for_user(user).filter(
                        assignment__expression=assignment.expression,
                        assignment__stage=assignment.stage,
                    )
                ).exclude(pk=review.pk)
            )
        context = {
            "review": review,
            "assignment": assignment,
            "expression": assignment.expression,
            "form": form if can_edit else None,
            "stale": stale,
            "others": others,
            "restored": restored,
        }
        return render(self.request, "partnerships/review/review_form.html", context, status=status)

    def get(self, request, pk):
        review = self.get_review()
        kept = kept_typing(request, request.path)
        if kept is not None and request.user.has_perm("partnerships.change_review", review):
            form = ReviewForm(kept, criteria=self.criteria(review))
            return self.render_page(review, form, restored=True)
        return self.render_page(review)

    def post(self, request, pk):
        review = self.get_review()
        if not request.user.has_perm("partnerships.change_review", review):
            messages.error(request, _("This review can no longer change."))
            return redirect(review.get_absolute_url())
        criteria = self.criteria(review)
        form = ReviewForm(request.POST, criteria=criteria)
        if not form.is_valid():
            return self.render_page(review, form, status=400)
        try:
            services.save_review(
                review,
                scores=form.scores(),
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except services.StaleVersion as error:
            # What the person typed stays in the form; saving again replaces the newer version.
            review, form = self.refilled_form(review, criteria)
            form.add_error(None, error)
            return self.render_page(review, form, stale=review, status=409)
        except ValidationError as error:
            attach_errors(form, error)
            return self.render_page(review, form, status=400)
        if "submit" in request.POST:
            try:
                services.submit_review(review, by=request.user)
            except ValidationError as error:
                review, form = self.refilled_form(review, criteria)
                form.add_error(None, _("Your draft is saved, but it cannot be submitted yet."))
                attach_errors(form, error)
                return self.render_page(review, form, status=400)
            messages.success(
                request, _("Your review is submitted. The other reviews are shown below.")
            )
        else:
            messages.success(request, _("Your draft review is saved."))
        return redirect(review.get_absolute_url())


class ReviewAutosaveView(ReviewDetailView):
    """Saves the draft a second after each change; HTMX gets a status line and the new
    version for the form, anyone else a redirect."""

    permission_required = "partnerships.change_review"
    http_method_names = ["post"]

    def back_to(self):
        return reverse("partnerships:review-detail", args=[self.kwargs["pk"]])

    def post(self, request, pk):
        review = self.get_review()
        form = ReviewForm(request.POST, criteria=self.criteria(review))
        saved_at, errors, status = None, [], 422
        if form.is_valid():
            try:
                review = services.save_review(
                    review,
                    scores=form.scores(),
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                )
                saved_at = timezone.localtime()
            except services.StaleVersion:
                status = 409
                errors = [
                    _(
                        "Somebody saved this review meanwhile. Use “Save draft” to compare "
                        "your text with the saved version."
                    )
                ]
            except ValidationError as error:
                errors = error_messages(error)
        else:
            errors = [f"{form[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
        if not request.htmx:
            if saved_at:
                messages.success(request, _("Your draft review is saved."))
            for message in errors:
                messages.error(request, message)
            return redirect(review.get_absolute_url())
        return render(
            request,
            "partnerships/review/includes/_review_autosave.html",
            {"saved_at": saved_at, "errors": errors, "version": review.version},
            # Only a saved draft is a success: the page keeps an unsaved one in the tab.
            status=200 if saved_at else status,
        )


class ConsensusView(CallReviewMixin, View):
    """The moderator reads every review of one expression and writes the consensus."""

    permission_required = "partnerships.moderate_review"
    permission_denied_message = gettext_lazy(
        "Only the moderator of this call's reviewer pool writes the consensus. Staff name the "
        "moderator on the call's review page."
    )

    def get_expression(self):
        return get_object_or_404(
            self.get_call().expressions.select_related("lead"), pk=self.kwargs["expression_pk"]
        )

    def render_page(self, expression, form=None, *, status=200):
        stage = self.get_stage()
        call = self.get_call()
        criteria = list(stage_criteria(call, stage))
        consensus = {
            c.criterion_id: c
            for c in ConsensusScore.objects.filter(expression=expression, criterion__in=criteria)
        }
        reviews = list(
            with_review_detail(
                reviews_for_user(self.request.user).filter(
                    assignment__expression=expression, assignment__stage=stage
                )
            ).order_by("assignment__created_at", "id")
        )
        if form is None:
            initial = {}
            for criterion in criteria:
                saved = consensus.get(criterion.pk)
                initial[f"version_{criterion.pk}"] = saved.version if saved else 0
                if saved:
                    initial[f"score_{criterion.pk}"] = saved.score
                    initial[f"comment_{criterion.pk}"] = saved.comment
            form = ConsensusForm(initial=initial, criteria=criteria)
        rows = []
        for criterion, score_field, comment_field in form.rows():
            individual = []
            for review in reviews:
                score = next(
                    (s for s in review.scores.all() if s.criterion_id == criterion.pk), None
                )
                individual.append((review, score))
            given = [s.score for _r, s in individual if s is not None and s.score is not None]
            rows.append(
                {
                    "criterion": criterion,
                    "score_field": score_field,
                    "comment_field": comment_field,
                    "individual": individual,
                    "mean": sum(given) / len(given) if given else None,
                    "consensus": consensus.get(criterion.pk),
                }
            )
        context = {
            "call": call,
            "stage": stage,
            "expression": expression,
            "reviews": reviews,
            "rows": rows,
            "form": form,
            "all_submitted": bool(reviews) and all(r.is_submitted for r in reviews),
        }
        return render(self.request, "partnerships/review/consensus.html", context, status=status)

    def get(self, request, pk, stage, expression_pk):
        return self.render_page(self.get_expression())

    def post(self, request, pk, stage, expression_pk):
        expression = self.get_expression()
        stage = self.get_stage()
        criteria = list(stage_criteria(self.get_call(), stage))
        form = ConsensusForm(request.POST, criteria=criteria)
        if not form.is_valid():
            return self.render_page(expression, form, status=400)
        try:
            services.set_consensus(
                expression,
                stage=stage,
                scores=form.scores(),
                expected_versions=form.versions(),
                by=request.user,
            )
        except services.StaleVersion as error:
            data = request.POST.copy()
            for c in ConsensusScore.objects.filter(expression=expression, criterion__in=criteria):
                data[f"version_{c.criterion_id}"] = c.version
            form = ConsensusForm(data, criteria=criteria)
            form.is_valid()
            form.add_error(None, error)
            return self.render_page(expression, form, status=409)
        except ValidationError as error:
            attach_errors(form, error)
            return self.render_page(expression, form, status=400)
        messages.success(
            request, _("The consensus on “%(title)s” is saved.") % {"title": expression.title}
        )
        return redirect("partnerships:review-ranking", pk=pk, stage=stage)


RANKING_REFUSED = gettext_lazy(
    "The ranking shows every reviewer's scores, so it opens for you once you have submitted "
    "your own score sheets of this call (see My reviews). Only Commission staff see it."
)


class RankingView(CallReviewMixin, View):
    permission_required = "partnerships.view_ranking"
    permission_denied_message = RANKING_REFUSED

    def get(self, request, pk, stage):
        call = self.get_call()
        stage = self.get_stage()
        ranking = stage_ranking(call, stage)
        context = {
            "call": call,
            "stage": stage,
            "ranking": ranking,
            "criteria": ranking.criteria,
            "can_manage": request.user.has_perm("partnerships.manage_review", call),
            "can_moderate": request.user.has_perm("partnerships.moderate_review", call),
            "columns": 9 + len(ranking.criteria),
        }
        return render(request, "partnerships/review/ranking.html", context)


class ProposeDecisionsView(CallReviewMixin, View):
    def post(self, request, pk, stage):
        call = self.get_call()
        stage = self.get_stage()
        try:
            count = services.propose_decisions(
                call, stage=stage, ranking=stage_ranking(call, stage), by=request.user
            )
        except ValidationError as error:
            _report_errors(request, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d pending decision recorded from the ranking.",
                    "%(count)d pending decisions recorded from the ranking.",
                    count,
                )
                % {"count": count},
            )
        return redirect("partnerships:review-decisions", pk=pk, stage=stage)


class DecisionsView(CallReviewMixin, View):
    def rows(self, forms=None):
        call = self.get_call()
        stage = self.get_stage()
        outcomes = services.outcomes_for(call, stage)
        forms = forms or {}
        rows = []
        for expression in with_review_relations(stage_expressions(call, stage), stage):
            decision = expression.stage_decisions[0] if expression.stage_decisions else None
            form = None
            if expression.state == REVIEWABLE_STATES[stage] and (
                decision is None or decision.state == DecisionState.PENDING
            ):
                form = forms.get(expression.pk) or DecisionForm(
                    outcomes=outcomes,
                    prefix=f"e{expression.pk}",
                    initial={"outcome": decision.outcome, "reason": decision.reason}
                    if decision
                    else None,
                )
            rows.append({"expression": expression, "decision": decision, "form": form})
        return rows

    def get(self, request, pk, stage, forms=None):
        rows = self.rows(forms)
        context = {
            "call": self.get_call(),
            "stage": self.get_stage(),
            "rows": rows,
            "pending": sum(
                1 for r in rows if r["decision"] and r["decision"].state == DecisionState.PENDING
            ),
        }
        return render(
            request, "partnerships/review/decisions.html", context, status=400 if forms else 200
        )

    def post(self, request, pk, stage):
        call = self.get_call()
        stage = self.get_stage()
        expression = get_object_or_404(call.expressions, pk=request.POST.get("expression") or 0)
        form = DecisionForm(
            request.POST, outcomes=services.outcomes_for(call, stage), prefix=f"e{expression.pk}"
        )
        if form.is_valid():
            try:
                services.record_decision(
                    expression, stage=stage, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The decision on “%(title)s” is recorded as pending.")
                    % {"title": expression.title},
                )
                return redirect("partnerships:review-decisions", pk=pk, stage=stage)
        return self.get(request, pk, stage, forms={expression.pk: form})


class ReleaseDecisionsView(CallReviewMixin, View):
    def post(self, request, pk, stage):
        stage = self.get_stage()
        try:
            released = services.release_decisions(self.get_call(), stage=stage, by=request.user)
        except ValidationError as error:
            _report_errors(request, error)
            return redirect("partnerships:review-decisions", pk=pk, stage=stage)
        messages.success(
            request,
            ngettext(
                "%(count)d decision released. Preview the e-mails and send them.",
                "%(count)d decisions released. Preview the e-mails and send them.",
                len(released),
            )
            % {"count": len(released)},
        )
        return redirect("partnerships:review-outbox", pk=pk)


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
