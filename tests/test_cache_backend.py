import uuid

import pytest

from clusterportal.cache import ResilientRedisCache
from tests.conftest import redis_answers

pytestmark = pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379")


def test_the_redis_cache_shares_one_client_per_pool_and_still_reads_and_writes():
    # A prefix of this run's own: other runs of the suite may share this Redis database.
    prefix = f"cache-backend-test-{uuid.uuid4().hex}"
    cache = ResilientRedisCache("redis://127.0.0.1:6379/9", {"KEY_PREFIX": prefix})

    cache.set("answer", {"value": 42}, timeout=30)

    assert cache.get("answer") == {"value": 42}
    assert cache._cache.get_client("answer") is cache._cache.get_client("other", write=True)
    cache.delete("answer")
    assert cache.get("answer", "gone") == "gone"


def test_an_unreachable_redis_answers_as_an_empty_cache():
    cache = ResilientRedisCache("redis://127.0.0.1:9/0", {"OPTIONS": {"socket_timeout": 0.2}})

    cache.set("answer", 42)

    assert cache.get("answer", "missing") == "missing"
    assert cache.get_many(["answer"]) == {}
