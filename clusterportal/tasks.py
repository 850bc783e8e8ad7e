import time

from celery import shared_task
from django.core.cache import cache

HEARTBEAT_CACHE_KEY = "clusterportal:worker-heartbeat"


@shared_task(name="clusterportal.heartbeat", ignore_result=True)
def heartbeat():
    """Record that a worker is consuming tasks; /healthz reports how long ago that was."""
    # No expiry: a heartbeat that stops must show as old, not vanish as if none ever ran.
    cache.set(HEARTBEAT_CACHE_KEY, time.time(), timeout=None)
