"""One Redis connection pool per process for the cache, whichever task or thread asks.

Django keeps a cache object per asyncio context, and each object makes its own connection pool: every websocket
connect runs in a task of its own, so each opened a new Redis connection (TCP, HELLO, health check) for its first
cache call (presence, tickets, rate limits), on the event loop. In a reconnect storm of 1,000 sockets that was
about a quarter of the server loop's time (bench/README.md, "Room, scale-out"). redis-py's pools are thread-safe
and start afresh in a forked child, so one per URL and options serves the whole process.

One client per pool, too. Django's Redis cache makes a new `redis.Redis` for every call (`get_client`), and each
builds its table of about 170 response callbacks: 0.3 ms of CPU a call, with the GIL held, 1,900 times in a
server's share of a 1,000-socket reconnect storm. A client is thread-safe (it takes a connection from its pool
for each command), so `SharedRedisCache` hands out one per pool.
"""

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis import ConnectionPool


class SharedConnectionPool(ConnectionPool):
    _pools: dict[tuple, ConnectionPool] = {}
    _lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **kwargs) -> ConnectionPool:
        key = (url, tuple(sorted((name, repr(value)) for name, value in kwargs.items())))
        with cls._lock:
            if key not in cls._pools:
                cls._pools[key] = super().from_url(url, **kwargs)
            return cls._pools[key]


class _SharedClients(RedisCacheClient):
    _clients: dict[ConnectionPool, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:  # two threads may both make one: either serves
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClients
