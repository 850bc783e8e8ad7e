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
"""

import hashlib
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
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


def cacheable(request):
    """Whether the request can be answered with what any anonymous visitor would see."""
    if request.method != "GET" or not settings.PUBLIC_PAGE_CACHE_SECONDS:
        return False
    # A session (signed in) or a messages cookie makes the page this visitor's own.
    harmless = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    if not set(request.COOKIES) <= harmless:
        return False
    return not request.user.is_authenticated


def cache_key(request, variant):
    address = hashlib.sha1(request.build_absolute_uri().encode("utf-8")).hexdigest()
    day = timezone.localdate().isoformat()
    language = translation.get_language()
    return f"public-response:{directory_version()}:{day}:{language}:{variant}:{address}"


def serve(request, *, variant, build):
    """The cached response for `request`, or `build()`'s, stored when it may be shared.

    `build` returns a rendered response; `variant` names what else than the address decides
    its content (an HTMX fragment, the API's media type).
    """
    if not cacheable(request):
        return build()
    key = cache_key(request, variant)
    stored = _local_get(key)
    if stored is None:
        stored = cache.get(key)
        if stored is not None:
            _local_put(key, stored)
    if stored is not None:
        return restore(request, stored)
    response = build()
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
