"""What others do with a search (express interest, follow, comment) and what its author does
with the answers (compare them, turn chosen ones into a consortium). HTMX requests get the
part of the page that changed; anyone else a redirect and a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from partnerships import queries, services
from partnerships.forms import CommentForm, ConsortiumForm, InterestForm
from partnerships.models import Organisation
from partnerships.services.expression import submission_findings
from partnerships.views.manage import attach_errors
from partnerships.views.partner_search import PartnerSearchMixin, detail_context

DETAIL = "partnerships/partner_search_detail.html"


class InterestView(PartnerSearchMixin, View):
    permission_required = "partnerships.express_interest"

    def post(self, request, pk):
        search = self.get_search()
        form = InterestForm(
            request.POST, organisations=queries.possible_answerers(request.user, search)
        )
        if form.is_valid():
            try:
                services.express_interest(
                    search,
                    organisation=form.cleaned_data["organisation"],
                    brings=form.cleaned_data["brings"],
                    value_chain=form.cleaned_data["value_chain"],
                    by=request.user,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                done = _("%(name)s's interest is sent; the author's managers have been told.") % {
                    "name": form.cleaned_data["organisation"].name
                }
                if request.htmx:
                    context = detail_context(request, search) | {"done": done}
                    return render(
                        request, "partnerships/includes/_partner_search_interest.html", context
                    )
                messages.success(request, done)
                return redirect(search.get_absolute_url())
        context = detail_context(request, search, interest_form=form)
        template = "partnerships/includes/_partner_search_interest.html" if request.htmx else DETAIL
        return render(request, template, context, status=400)


class FollowView(PartnerSearchMixin, View):
    permission_required = "partnerships.follow_partnersearch"

    def post(self, request, pk):
        search = self.get_search()
        try:
            if request.POST.get("follow") == "off":
                services.unfollow_partner_search(search, by=request.user)
                done = _("You no longer follow this search.")
            else:
                services.follow_partner_search(search, by=request.user)
                done = _("You follow this search: you will hear of its updates.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(search.get_absolute_url())
        if request.htmx:
            context = detail_context(request, search) | {"done": done}
            return render(request, "partnerships/includes/_partner_search_follow.html", context)
        messages.success(request, done)
        return redirect(search.get_absolute_url())


class CommentView(PartnerSearchMixin, View):
    permission_required = "partnerships.comment_partnersearch"

    def post(self, request, pk):
        search = self.get_search()
        form = CommentForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.comment_on_partner_search(
                    search, body=form.cleaned_data["body"], by=request.user
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                if not request.htmx:
                    messages.success(request, _("Your comment is posted."))
                    return redirect(search.get_absolute_url())
                form, status = CommentForm(), 200
        template = "partnerships/includes/_partner_search_comments.html" if request.htmx else DETAIL
        # Comments are read again: the one just posted is among them.
        search = queries.with_detail_relations(queries.partner_searches_for_user(request.user)).get(
            pk=search.pk
        )
        return render(
            request, template, detail_context(request, search, comment_form=form), status=status
        )


def interests_context(search, form=None):
    interests = queries.interests_of(search)
    interested = Organisation.objects.filter(partner_search_interests__search=search).order_by(
        "name"
    )
    return {
        "search": search,
        "interests": interests,
        "consortium_form": form or ConsortiumForm(interested=interested),
    }


class InterestsView(PartnerSearchMixin, View):
    """The author's side-by-side view of the interested organisations."""

    permission_required = "partnerships.view_partnersearch_interests"

    def get(self, request, pk):
        return render(
            request,
            "partnerships/partner_search_interests.html",
            interests_context(self.get_search()),
        )


class ConsortiumView(PartnerSearchMixin, View):
    """Chosen interested organisations become the consortium of an expression for the call."""

    permission_required = "partnerships.form_consortium"

    def post(self, request, pk):
        search = self.get_search()
        interested = Organisation.objects.filter(partner_search_interests__search=search)
        form = ConsortiumForm(request.POST, interested=interested)
        if form.is_valid():
            try:
                expression, invited = services.form_consortium(
                    search,
                    organisations=list(form.cleaned_data["organisations"]),
                    title=form.cleaned_data["title"],
                    by=request.user,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d organisation is invited into “%(title)s”; its managers have "
                        "been e-mailed.",
                        "%(count)d organisations are invited into “%(title)s”; their managers "
                        "have been e-mailed.",
                        len(invited),
                    )
                    % {"count": len(invited), "title": expression.title},
                )
                for finding in submission_findings(expression):
                    messages.warning(request, finding.message)
                return redirect(expression.get_absolute_url())
        context = interests_context(search, form)
        return render(request, "partnerships/partner_search_interests.html", context, status=400)
