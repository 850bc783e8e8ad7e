"""Reported messages: staff read what was reported, and mark it as dealt with."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partnerships.models import MessageReport
from partnerships.services.messaging import resolve_reports


@admin.register(MessageReport)
class MessageReportAdmin(admin.ModelAdmin):
    list_display = ("created_at", "conversation", "written_by", "reason", "resolved_at")
    list_filter = (("resolved_at", admin.EmptyFieldListFilter),)
    list_select_related = ("message__conversation", "message__organisation")
    fields = ("conversation", "written_by", "message_text", "reason", "created_at", "resolved_at")
    readonly_fields = fields
    actions = ("mark_resolved",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("conversation"))
    def conversation(self, report):
        return report.message.conversation.subject

    @admin.display(description=_("written for"))
    def written_by(self, report):
        return report.message.organisation.name

    @admin.display(description=_("message"))
    def message_text(self, report):
        return report.message.body

    @admin.action(description=_("Mark as dealt with"), permissions=["view"])
    def mark_resolved(self, request, queryset):
        count = resolve_reports(list(queryset), by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d report dealt with.", "%(count)d reports dealt with.", count)
            % {"count": count},
            messages.SUCCESS,
        )
