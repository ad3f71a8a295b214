"""The services profile's cache: every socket's task draws on one Redis connection pool per process."""

import asyncio
import os

import pytest
from django.core.cache import cache, caches

from tests.loops import in_own_loop

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the services profile (REDIS_URL)"),
]


def _pool():
    return caches["default"]._cache.get_client(write=True).connection_pool


@in_own_loop
async def test_sockets_in_their_own_tasks_share_one_connection_pool():
    """Each websocket connect runs in a task of its own, and Django keeps a cache object per task: each made a
    pool of its own, so each connect opened a new Redis connection on the event loop."""

    async def one_socket(n: int):
        cache.set(f"redis-pool-test-{n}", n, timeout=5)
        assert cache.get(f"redis-pool-test-{n}") == n
        return _pool()

    pools = await asyncio.gather(*(one_socket(n) for n in range(20)))
    assert len({id(pool) for pool in pools}) == 1
    assert await asyncio.to_thread(_pool) is pools[0]  # and the threads' (socket reads, page requests)


@in_own_loop
async def test_every_call_in_every_task_and_thread_uses_one_client():
    """Django's cache made a Redis client (and its table of response callbacks) for every call."""

    async def one_socket(n: int):
        cache.set(f"redis-client-test-{n}", n, timeout=5)
        return caches["default"]._cache.get_client(write=True)

    clients = await asyncio.gather(*(one_socket(n) for n in range(5)))
    assert len({id(client) for client in clients}) == 1
    assert await asyncio.to_thread(lambda: caches["default"]._cache.get_client(write=False)) is clients[0]
