"""The shared Redis cache, which the portal treats as a cache: when Redis is away, it misses."""

import functools
import logging

import redis
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
# What each operation answers while Redis cannot be reached: what an empty cache would.
MISSES = {
    "add": False,
    "get": None,
    "set": None,
    "touch": False,
    "delete": False,
    "get_many": {},
    "has_key": False,
    "set_many": [],
    "delete_many": None,
    "clear": False,
}


def _missing_when_unreachable(name, miss):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            logger.warning("Cache %s skipped, Redis is unreachable: %s", name, error)
            if name == "get":
                return kwargs.get("default", args[1] if len(args) > 1 else None)
            return miss

    return call


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while Redis is unreachable.

    Saves must not fail because the cache is down: the directory's version key, rate-limit
    counters and cached fragments are all rebuilt or recounted when it is back. `incr` on a
    missing key raises ValueError as Django's backends do, so callers fall back as they would
    after an eviction.
    """

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            logger.warning("Cache incr skipped, Redis is unreachable: %s", error)
            raise ValueError(f"Key '{key}' not found (cache unreachable).") from error


for _name, _miss in MISSES.items():
    setattr(ResilientRedisCache, _name, _missing_when_unreachable(_name, _miss))
