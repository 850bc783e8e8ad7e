"""A reviewer's own pages: the list of assigned reviews and the score sheet, saved as typed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.forms import (
    ConflictDeclarationForm,
    ReviewForm,
)
from partnerships.queries import (
    assignments_for_reviewer,
    calls_for_user,
    organisations_under_review_by,
    reviews_for_user,
    stage_criteria,
    with_review_detail,
)
from partnerships.views.expressions import error_messages
from partnerships.views.manage import attach_errors
from partnerships.views.session import SignInKeepsTypingMixin, kept_typing


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
