"""Edit pages reached after the session expired: the person is asked to sign in again and
what they typed is kept.

An autosave (an HTMX request) gets a 401 with a JSON body, so the page can say "signed out"
and keep the text in the tab; a full POST of the form is kept in the new session and put back
into the form once the person is signed in again; anything else goes to the sign-in page.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _

KEPT_TYPING = "kept_typing"
# Never kept: the token belongs to the expired session.
NOT_KEPT = {"csrfmiddlewaretoken"}


def sign_in_url(back_to):
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back_to})}"


def signed_out(request, *, back_to):
    """The answer to a request that needs a session it no longer has."""
    login = sign_in_url(back_to)
    if request.htmx:
        return JsonResponse(
            {
                "error": "signed_out",
                "detail": _("Signed out: sign in to save."),
                "login_url": login,
            },
            status=401,
        )
    if request.method == "POST":
        request.session[KEPT_TYPING] = {
            "path": back_to,
            "data": {k: v for k, v in request.POST.lists() if k not in NOT_KEPT},
        }
        messages.warning(
            request,
            _(
                "You were signed out, so nothing was saved. Sign in again: what you typed "
                "is kept and put back into the form."
            ),
        )
    return redirect(login)


def kept_typing(request, path):
    """What the person typed on `path` before signing in again, as form data; given once."""
    kept = request.session.get(KEPT_TYPING)
    if not kept or kept.get("path") != path:
        return None
    del request.session[KEPT_TYPING]
    data = QueryDict(mutable=True)
    for key, values in kept["data"].items():
        data.setlist(key, values)
    messages.info(
        request,
        _("What you typed before signing in again is back in the form; save it to keep it."),
    )
    return data


class SignInKeepsTypingMixin:
    """For edit pages and their autosave. Put it first among the bases: it answers before the
    object is looked up, so a signed-out request learns nothing about which ids exist."""

    def back_to(self):
        """The page to come back to after signing in: the edit page itself by default."""
        return self.request.path

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return signed_out(request, back_to=self.back_to())
        return super().dispatch(request, *args, **kwargs)
