"""The process's suggestion pool: every organisation encoded once and kept until it changes.

Encoding 100,000 profiles takes seconds, scoring one lead against them a fraction of one, so
each process keeps the encoded pool. It is named by the directory's data version (see
partnerships.facet_loader): the writes that change a profile, a verification or a label set a
new version after their commit. A pool older than DIRECTORY_INDEX_MAX_AGE seconds is stale too,
for labels that expire with the date and for writes that bypass the services.

A stale pool keeps serving while a background thread builds the next one, so that no request
waits for a rebuild because someone edited a profile; only the first request of a process, or
one that needs an organisation the pool does not hold yet, builds in the request.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import connection

from matchmaking.queries import scoring_profiles, taxonomy_from_db
from matchmaking.suggest import build_pool
from partnerships.facet_loader import directory_version
from partnerships.models import Organisation

logger = logging.getLogger(__name__)

# Tests turn this off, so that no thread reads a test's database after the test.
REFRESH_IN_BACKGROUND = True
REFRESH_THREAD_NAME = "suggestion-pool-refresh"

_lock = threading.Lock()
_built = {"version": None, "at": 0.0, "pool": None, "refreshing": False}


def load_pool():
    """Every organisation as a `suggest.Pool`, read in a few bulk queries."""
    profiles, verified = scoring_profiles()
    types = dict(Organisation.objects.values_list("id", "type"))
    return build_pool(
        profiles,
        taxonomy_from_db(),
        types=[types[profile.id] for profile in profiles],
        verified=verified,
    )


def suggestion_pool(*, rebuild=False):
    """This process's pool. `rebuild` builds a fresh one now (e.g. for an organisation the
    pool does not hold yet); a stale one is refreshed in the background meanwhile."""
    version = directory_version()
    max_age = getattr(settings, "DIRECTORY_INDEX_MAX_AGE", 300)
    with _lock:
        pool = _built["pool"]
        stale = _built["version"] != version or time.monotonic() - _built["at"] >= max_age
        if pool is not None and not rebuild:
            if stale and REFRESH_IN_BACKGROUND and not _built["refreshing"]:
                _built["refreshing"] = True
                threading.Thread(
                    target=_refresh, args=(version,), name=REFRESH_THREAD_NAME, daemon=True
                ).start()
            if not stale or REFRESH_IN_BACKGROUND:
                return pool
        # Stored under the version read before building: a write meanwhile rebuilds again.
        _built.update(version=version, at=time.monotonic(), pool=load_pool())
        return _built["pool"]


def _refresh(version):
    try:
        pool = load_pool()
        with _lock:
            _built.update(version=version, at=time.monotonic(), pool=pool)
    except Exception:
        logger.exception("The suggestion pool could not be refreshed; the previous one stays")
    finally:
        with _lock:
            _built["refreshing"] = False
        # This thread's own database connection; request threads close theirs after a request.
        connection.close()
