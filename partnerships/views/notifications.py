"""The notification centre, a person's choices of how to hear, and the digest's unsubscribe."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import ListView
from rules.contrib.views import PermissionRequiredMixin

from partnerships import services
from partnerships.forms.notifications import NotificationPreferencesForm
from partnerships.models import NotificationPreference
from partnerships.queries.notifications import notifications_for_user
from partnerships.services.digest import user_for_unsubscribe_token


class NotificationMixin(PermissionRequiredMixin):
    permission_required = "partnerships.manage_own_account"


class NotificationListView(NotificationMixin, ListView):
    template_name = "partnerships/notification_list.html"
    paginate_by = 30
    context_object_name = "notifications"

    def get_queryset(self):
        return notifications_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=2, on_ends=1
        )
        return context


class NotificationOpenView(NotificationMixin, View):
    """Follow a notification to what it is about; following it is reading it."""

    def get(self, request, pk):
        notification = get_object_or_404(notifications_for_user(request.user), pk=pk)
        services.mark_read(notification, by=request.user)
        target = notification.url
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
            return redirect(target)
        return redirect("partnerships:notification-list")


class NotificationReadAllView(NotificationMixin, View):
    def post(self, request):
        count = services.mark_all_read(by=request.user)
        messages.success(
            request,
            _("%(count)d notifications marked as read.") % {"count": count}
            if count
            else _("Nothing was unread."),
        )
        return redirect("partnerships:notification-list")


class NotificationPreferencesView(NotificationMixin, View):
    template_name = "partnerships/notification_preferences.html"

    def current(self):
        return dict(
            NotificationPreference.objects.filter(user=self.request.user).values_list(
                "kind", "delivery"
            )
        )

    def get(self, request):
        form = NotificationPreferencesForm(current=self.current())
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = NotificationPreferencesForm(request.POST, current=self.current())
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        services.set_notification_preferences(
            request.user, deliveries=form.deliveries(), by=request.user
        )
        messages.success(request, _("Your notification choices are saved."))
        return redirect("partnerships:notification-preferences")


@method_decorator(csrf_exempt, name="dispatch")
class DigestUnsubscribeView(View):
    """The digest's unsubscribe link: a page with a button, and the one-click POST of RFC 8058.

    A GET changes nothing, since mail scanners follow links; the POST needs no session and no
    CSRF token, since mail clients send it on their own: the signed token is the proof.
    """

    template_name = "partnerships/digest_unsubscribe.html"

    def get(self, request, token):
        user = user_for_unsubscribe_token(token)
        status = 200 if user is not None else 404
        return render(request, self.template_name, {"valid": user is not None}, status=status)

    def post(self, request, token):
        user = user_for_unsubscribe_token(token)
        if user is None:
            return render(request, self.template_name, {"valid": False}, status=404)
        services.set_email_consent(user, consent=False, by=user)
        return render(request, self.template_name, {"valid": True, "done": True})
