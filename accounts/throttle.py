"""Fixed-window rate limits kept in the cache (shared across processes in the services profile)."""

import time

from django.core.cache import cache


def over_limit(key: str, *, limit: int, window_s: int, now: float | None = None) -> bool:
    """Counts one hit on `key` and tells whether it went past `limit` within the current window."""
    window = int((now if now is not None else time.time()) // window_s)
    bucket = f"throttle:{key}:{window}"
    cache.add(bucket, 0, timeout=window_s * 2)
    try:
        count = cache.incr(bucket)
    except ValueError:  # evicted between add and incr
        cache.set(bucket, 1, timeout=window_s * 2)
        count = 1
    return count > limit


def count(key: str, *, window_s: int, now: float | None = None) -> int:
    window = int((now if now is not None else time.time()) // window_s)
    return cache.get(f"throttle:{key}:{window}", 0)
