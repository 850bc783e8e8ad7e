"""The partner-search board, a search's page, and the author's drafting and closing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from rules.contrib.views import PermissionRequiredMixin

from partnerships import board, queries, services
from partnerships.enums import PartnerSearchState
from partnerships.filters import PartnerSearchFilter
from partnerships.forms import (
    CloseForm,
    CommentForm,
    InterestForm,
    PartnerSearchForm,
)
from partnerships.models import PartnerSearch
from partnerships.queries import organisations_of_member
from partnerships.views.manage import attach_errors
from partnerships.views.session import SignInKeepsTypingMixin, kept_typing


class PartnerSearchBoardView(View):
    template_name = "partnerships/partner_search_list.html"
    partial_name = "partnerships/includes/_partner_search_results.html"

    def get(self, request):
        filters = PartnerSearchFilter(request.GET)
        selected = filters.selected()
        searches = board.ordered(
            filters.qs, filters.sort_order, searching=bool(filters.cleaned("q", "").strip())
        )
        paginator = Paginator(board.with_board_relations(searches), board.PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        facets = board.facet_options(filters, selected)
        context = {
            "form": filters.form,
            "page": page,
            "searches": page.object_list,
            "facet_groups": [
                {
                    "name": name,
                    "legend": filters.form.fields[name].label,
                    "options": facets[name],
                    "long": len(facets[name]) > 8,
                    "empty": _("No search in the current results."),
                }
                for name in board.FACETS
            ],
            "selected": selected,
            "active_filter_count": sum(len(values) for values in selected.values()),
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        }
        if request.htmx:
            return render(request, self.partial_name, context | {"swap_count": True})
        return render(request, self.template_name, context)


class PartnerSearchMixin(PermissionRequiredMixin):
    """Finds the search among those the person may open: a foreign draft is a 404."""

    def get_search(self):
        if not hasattr(self, "_search"):
            searches = queries.with_detail_relations(
                queries.partner_searches_for_user(self.request.user)
            )
            self._search = get_object_or_404(searches, pk=self.kwargs["pk"])
        return self._search

    def get_permission_object(self):
        return self.get_search()


def detail_context(request, search, **forms):
    user = request.user
    context = {
        "search": search,
        "can_change": user.has_perm("partnerships.change_partnersearch", search),
        "can_publish": search.state in {PartnerSearchState.DRAFT, PartnerSearchState.EXPIRED}
        and user.has_perm("partnerships.change_partnersearch", search),
        "can_join": user.has_perm("partnerships.express_interest", search),
        "can_follow": user.has_perm("partnerships.follow_partnersearch", search),
        "can_comment": user.has_perm("partnerships.comment_partnersearch", search),
        "can_see_interests": user.has_perm("partnerships.view_partnersearch_interests", search),
        "following": queries.is_following(search, user),
        "answered": queries.interested_organisations_of(user, search),
        "comments": search.comments.all(),
        "interest_count": search.interests.count(),
    }
    if context["can_change"] and search.state != PartnerSearchState.DRAFT:
        context["close_form"] = forms.get("close_form") or CloseForm()
    if context["can_join"]:
        context["interest_form"] = forms.get("interest_form") or InterestForm(
            organisations=queries.possible_answerers(user, search)
        )
    if context["can_comment"]:
        context["comment_form"] = forms.get("comment_form") or CommentForm()
    return context


class PartnerSearchDetailView(PartnerSearchMixin, View):
    permission_required = "partnerships.view_partnersearch"

    def get(self, request, pk):
        search = self.get_search()
        return render(
            request, "partnerships/partner_search_detail.html", detail_context(request, search)
        )


class PartnerSearchFormMixin:
    template_name = "partnerships/partner_search_form.html"

    def render_form(self, form, search=None, status=200, restored=False):
        context = {"form": form, "search": search, "restored": restored}
        return render(self.request, self.template_name, context, status=status)


class PartnerSearchCreateView(
    SignInKeepsTypingMixin, PartnerSearchFormMixin, PermissionRequiredMixin, View
):
    permission_required = "partnerships.add_partnersearch"

    def organisations(self):
        return organisations_of_member(self.request.user)

    def get(self, request):
        kept = kept_typing(request, request.path)
        initial = {"call": request.GET.get("call")} if request.GET.get("call") else None
        form = PartnerSearchForm(kept, organisations=self.organisations(), initial=initial)
        return self.render_form(form, restored=kept is not None)

    def post(self, request):
        form = PartnerSearchForm(request.POST, organisations=self.organisations())
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            search = services.create_partner_search(
                author=form.cleaned_data["author"], by=request.user, **form.service_fields()
            )
            if "publish" in request.POST:
                search = services.publish_partner_search(search, by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
            return self.render_form(form, status=400)
        if search.state == PartnerSearchState.PUBLISHED:
            messages.success(request, _("Your search is on the board."))
        else:
            messages.success(request, _("Your draft is saved; publish it when it is ready."))
        return redirect(search.get_absolute_url())


class PartnerSearchEditView(
    SignInKeepsTypingMixin, PartnerSearchFormMixin, PartnerSearchMixin, View
):
    permission_required = "partnerships.change_partnersearch"

    def get(self, request, pk):
        kept = kept_typing(request, request.path)
        form = PartnerSearchForm(kept, instance=self.get_search())
        return self.render_form(form, self.get_search(), restored=kept is not None)

    def post(self, request, pk):
        search = self.get_search()
        form = PartnerSearchForm(request.POST, instance=PartnerSearch.objects.get(pk=search.pk))
        if not form.is_valid():
            return self.render_form(form, search, status=400)
        try:
            search = services.update_partner_search(
                search, by=request.user, **form.service_fields()
            )
            if "publish" in request.POST:
                search = services.publish_partner_search(search, by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
            return self.render_form(form, search, status=400)
        messages.success(request, _("Your search is saved."))
        return redirect(search.get_absolute_url())


class PartnerSearchPublishView(PartnerSearchMixin, View):
    permission_required = "partnerships.change_partnersearch"

    def post(self, request, pk):
        search = self.get_search()
        try:
            services.publish_partner_search(search, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your search is on the board."))
        return redirect(search.get_absolute_url())


class PartnerSearchCloseView(PartnerSearchMixin, View):
    permission_required = "partnerships.close_partnersearch"

    def post(self, request, pk):
        search = self.get_search()
        form = CloseForm(request.POST)
        if form.is_valid():
            try:
                services.close_partner_search(
                    search, outcome=form.cleaned_data["outcome"], by=request.user
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The search is closed."))
                return redirect(search.get_absolute_url())
        context = detail_context(request, search, close_form=form)
        return render(request, "partnerships/partner_search_detail.html", context, status=400)


class MyPartnerSearchesView(PermissionRequiredMixin, View):
    permission_required = "partnerships.add_partnersearch"

    def get(self, request):
        return render(
            request,
            "partnerships/partner_search_mine.html",
            {"searches": queries.partner_searches_of_member(request.user)},
        )
