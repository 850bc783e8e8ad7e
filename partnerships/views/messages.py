"""Conversations between organisations: the list, one conversation, starting one, and the
abuse controls (blocking an organisation, reporting a message to staff)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.forms.messaging import ConversationStartForm, ReplyForm, ReportForm
from partnerships.queries import organisations_for_user
from partnerships.queries.messaging import blocks, conversation_messages, conversations_for_user
from partnerships.services.messaging import side_of
from partnerships.uploads.serving import download_name, private_file_response
from partnerships.views.manage import attach_errors
from partnerships.views.session import SignInKeepsTypingMixin, kept_typing


class MessagesMixin(PermissionRequiredMixin):
    permission_required = "partnerships.use_messages"


class ConversationListView(MessagesMixin, ListView):
    template_name = "partnerships/conversation_list.html"
    paginate_by = 20
    context_object_name = "conversations"

    def get_queryset(self):
        return conversations_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        )
        return context


class ConversationMixin(MessagesMixin):
    def get_conversation(self):
        return get_object_or_404(conversations_for_user(self.request.user), pk=self.kwargs["pk"])


class ConversationDetailView(SignInKeepsTypingMixin, ConversationMixin, View):
    template_name = "partnerships/conversation_detail.html"

    def get(self, request, pk, form=None, status=200):
        conversation = self.get_conversation()
        if form is None:
            form = ReplyForm(kept_typing(request, request.path))
        side = side_of(conversation, request.user)
        other = conversation.other_side(side.pk)
        we_blocked, they_blocked = blocks(side, other)
        services.mark_conversation_read(conversation, by=request.user)
        context = {
            "conversation": conversation,
            "messages_list": conversation_messages(conversation),
            "side": side,
            "other": other,
            "we_blocked": we_blocked,
            "they_blocked": they_blocked,
            "form": form,
            "report_form": ReportForm(),
        }
        return render(request, self.template_name, context, status=status)

    def post(self, request, pk):
        conversation = self.get_conversation()
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.reply(
                    conversation,
                    body=form.cleaned_data["body"],
                    attachment=form.cleaned_data["attachment"],
                    by=request.user,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Your message is sent."))
                return redirect(conversation)
        form.hold_uploads()
        return self.get(request, pk, form=form, status=400)


class ConversationStartView(SignInKeepsTypingMixin, PermissionRequiredMixin, View):
    """Write to an organisation from its profile (or a recommendation, an event meeting)."""

    permission_required = "partnerships.start_conversation"
    template_name = "partnerships/conversation_start.html"

    def get_permission_object(self):
        return self.recipient

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.recipient = get_object_or_404(
                organisations_for_user(request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def origin(self):
        origin = self.request.GET.get("from") or self.request.POST.get("from") or ""
        if origin.startswith("/") and url_has_allowed_host_and_scheme(origin, allowed_hosts=None):
            return origin
        return ""

    def page(self, form, status=200):
        context = {"recipient": self.recipient, "form": form, "origin": self.origin()}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        form = ConversationStartForm(
            kept_typing(request, request.path), user=request.user, recipient=self.recipient
        )
        return self.page(form)

    def post(self, request, pk):
        form = ConversationStartForm(
            request.POST, request.FILES, user=request.user, recipient=self.recipient
        )
        if form.is_valid():
            try:
                conversation = services.start_conversation(
                    sender=form.cleaned_data["sender"],
                    recipient=self.recipient,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    attachment=form.cleaned_data["attachment"],
                    origin_url=self.origin(),
                    by=request.user,
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Your message is sent."))
                return redirect(conversation)
        form.hold_uploads()
        return self.page(form, status=400)


class BlockView(ConversationMixin, View):
    """Block, or unblock, the other organisation of a conversation, for one's own."""

    def post(self, request, pk):
        conversation = self.get_conversation()
        side = side_of(conversation, request.user)
        other = conversation.other_side(side.pk)
        if request.POST.get("action") == "unblock":
            services.unblock_organisation(side, blocked=other, by=request.user)
            messages.success(request, _("%(name)s can write to you again.") % {"name": other.name})
        else:
            services.block_organisation(side, blocked=other, by=request.user)
            messages.success(
                request,
                _("%(name)s can no longer write to %(own)s.")
                % {"name": other.name, "own": side.name},
            )
        return redirect(conversation)


class ReportView(ConversationMixin, View):
    def post(self, request, pk, message_pk):
        conversation = self.get_conversation()
        message = get_object_or_404(conversation.messages, pk=message_pk)
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.report_message(
                    message, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Thank you: staff will look at this message."))
                return redirect(conversation)
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(conversation)


class MessageAttachmentView(ConversationMixin, View):
    """Attachments are private to the two organisations, so they are served through here."""

    def get(self, request, pk, message_pk):
        conversation = self.get_conversation()
        message = get_object_or_404(conversation.messages.exclude(attachment=""), pk=message_pk)
        return private_file_response(
            message.attachment,
            filename=download_name(message.attachment_name, message.attachment.name),
        )
