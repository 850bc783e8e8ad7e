"""Whole responses of the public directory, cached for visitors who are not signed in.

The directory page and the organisations API list are the busiest addresses of the portal and
the same for every visitor without an account, per language. A response is stored under the
directory's data version (every write that changes what the directory shows replaces it), the
day (labels expire at midnight), the language, the variant (HTMX fragment or media type) and
the full address (scheme and host included: the API's links are absolute). Signed-in users,
visitors with messages waiting and responses other than 200 are never served from or stored in
the cache. The CSRF token in a stored page (a form field, or the browsable API's script) is
swapped for a placeholder, and for the visitor's own token when the page is served; a page
that used a token the swap cannot find is not stored.

Pages about one thing are stored under versions of their own rather than the directory's, so
that a write elsewhere does not throw them away. Each version is a random token in the shared
cache under a *scope*; `bump_on_commit(scope, ...)` replaces it after the writing transaction
commits (before, another request could store the old rows under the new version), so the next
request builds the page again. Every key also holds the `ALL` scope, which writes that reach
across many pages at once replace (a person's erasure rewriting shared texts, reloaded
reference data renaming regions and industries, the demo data written in bulk). The scopes, each
the narrowest that is still correct for what its page shows an anonymous visitor:

- ``organisation:<pk>``, the organisation page: its profile and validation state
  (`update_organisation`, `change_validation_state`), its labels (`record_label`), and the
  agreements its meetings reached with the partner's name and the event's title (the events
  app bumps it through this module, from `report_outcome`, from a partner's profile change and
  from an event's change). Memberships, ratings, logos and strategic partnerships are not on
  the page an anonymous visitor gets (contact details are for signed-in people, who are never
  served from the cache), so their writes leave it alone.
- ``partnership:<pk>``, the partnership page: every partnership service, plus a member's
  profile change (its name and country are listed); the call's title comes with ``calls``.
- ``calls``, the calls list and the call shown on partnership pages: the call services that
  change what they show (`update_call`, `set_stage`, `change_call_state`; a new call is a
  draft, which only staff see, and criteria are not listed). The list shows no counts and
  nothing that changes with the clock.
- ``event:<pk>``, the event page: the event and its meeting windows (saved in the back office)
  and its approved registrations (the participant count), bumped by the events app.
- The hotspots page reads the directory's in-memory index, so it keeps the directory version.
"""

import hashlib
import re
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from partnerships.facet_loader import directory_version

PLACEHOLDER = b"--csrf-token-of-this-visitor--"
# Where a page carries the token: a form's hidden field, the browsable API's settings script.
CSRF_TOKEN = re.compile(rb'(?:name="csrfmiddlewaretoken" value="|"csrfToken": ")([A-Za-z0-9]+)"')
STORED_HEADERS = ("Content-Type", "Vary")
# Each process also keeps the pages it served last: a hit then costs one small cache read (the
# data version, which is part of the key) instead of fetching and unpickling the whole page.
LOCAL_PAGES = 256
_local = OrderedDict()
_local_lock = threading.Lock()
ALL = "all"
CALLS = "calls"


def organisation_scope(pk):
    return f"organisation:{pk}"


def partnership_scope(pk):
    return f"partnership:{pk}"


def event_scope(pk):
    return f"event:{pk}"


def _version_key(scope):
    return f"page-version:{scope}"


def versions(scopes):
    """The current version of each scope, joined; a scope without one gets one now."""
    keys = [_version_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # add() keeps a version another process set meanwhile; read back whichever won.
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key)
    return ".".join(found[key] for key in keys)


def bump(*scopes):
    """Replace the versions of `scopes`: their pages are built again on the next request."""
    cache.set_many({_version_key(scope): uuid.uuid4().hex for scope in scopes}, timeout=None)


def bump_on_commit(*scopes):
    """`bump` once the current transaction commits (at once outside one)."""
    if scopes:
        transaction.on_commit(lambda: bump(*scopes))


def cacheable(request):
    """Whether the request can be answered with what any anonymous visitor would see."""
    if request.method != "GET" or not settings.PUBLIC_PAGE_CACHE_SECONDS:
        return False
    # A session (signed in) or a messages cookie makes the page this visitor's own.
    harmless = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    if not set(request.COOKIES) <= harmless:
        return False
    return not request.user.is_authenticated


def cache_key(request, variant, scopes=None):
    address = hashlib.sha1(request.build_absolute_uri().encode("utf-8")).hexdigest()
    day = timezone.localdate().isoformat()
    language = translation.get_language()
    version = directory_version() if scopes is None else versions([ALL, *scopes])
    return f"public-response:{version}:{day}:{language}:{variant}:{address}"


def serve(request, *, variant, build, scopes=None):
    """The cached response for `request`, or `build()`'s, stored when it may be shared.

    `build` returns a rendered response; `variant` names what else than the address decides
    its content (an HTMX fragment, the API's media type); `scopes` are the versions the page
    is stored under, the directory's when None.
    """
    if not cacheable(request):
        return build()
    key = cache_key(request, variant, scopes)
    stored = _local_get(key)
    if stored is None:
        stored = cache.get(key)
        if stored is not None:
            _local_put(key, stored)
    if stored is not None:
        return restore(request, stored)
    response = build()
    if hasattr(response, "render"):
        # A class-based view's TemplateResponse renders late; its content is needed now.
        response.render()
    if response.status_code == 200 and not response.streaming and not response.cookies:
        stored = stored_form(request, response)
        if stored is not None:
            cache.set(key, stored, timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
            _local_put(key, stored)
    return response


def _local_get(key):
    with _local_lock:
        stored = _local.get(key)
        if stored is None:
            return None
        if stored["expires"] < time.time():
            del _local[key]
            return None
        _local.move_to_end(key)
        return stored


def _local_put(key, stored):
    with _local_lock:
        _local[key] = stored
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def stored_form(request, response):
    """What the cache keeps of `response`, or None when it holds a token it cannot swap."""
    content = response.content
    tokens = set(CSRF_TOKEN.findall(content))
    if not tokens and request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        # get_token() ran while rendering, so this visitor's token is somewhere in the page.
        return None
    for token in tokens:
        content = content.replace(token, PLACEHOLDER)
    headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
    # A copy kept by a process expires with the shared one, however late it was fetched.
    expires = time.time() + settings.PUBLIC_PAGE_CACHE_SECONDS
    return {"content": content, "headers": headers, "expires": expires}


def restore(request, stored):
    content = stored["content"]
    if PLACEHOLDER in content:
        content = content.replace(PLACEHOLDER, get_token(request).encode("ascii"))
    response = HttpResponse(content)
    for name, value in stored["headers"].items():
        response[name] = value
    return response
