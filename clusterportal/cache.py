"""The shared Redis cache, which the portal treats as a cache: when Redis is away, it misses."""

import functools
import logging

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

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


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one Redis client per connection pool.

    Django builds a new redis.Redis for every operation, and building one costs about as much
    as the round trip of a small GET; a client over a pool is safe to share between threads.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while Redis is unreachable.

    Saves must not fail because the cache is down: the directory's version key, rate-limit
    counters and cached fragments are all rebuilt or recounted when it is back. `incr` on a
    missing key raises ValueError as Django's backends do, so callers fall back as they would
    after an eviction.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            logger.warning("Cache incr skipped, Redis is unreachable: %s", error)
            raise ValueError(f"Key '{key}' not found (cache unreachable).") from error


for _name, _miss in MISSES.items():
    setattr(ResilientRedisCache, _name, _missing_when_unreachable(_name, _miss))
