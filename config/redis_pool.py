"""One Redis connection pool per process for the cache, whichever task or thread asks.

Django keeps a cache object per asyncio context, and each object makes its own connection pool: every websocket
connect runs in a task of its own, so each opened a new Redis connection (TCP, HELLO, health check) for its first
cache call (presence, tickets, rate limits), on the event loop. In a reconnect storm of 1,000 sockets that was
about a quarter of the server loop's time (bench/README.md, "Room, scale-out"). redis-py's pools are thread-safe
and start afresh in a forked child, so one per URL and options serves the whole process.
"""

import threading

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
