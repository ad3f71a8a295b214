"""Fixed-window rate limits kept in the cache (shared across processes in the services profile), and the
client address they count by."""

import contextlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from config.errors import RateLimited


@dataclass(frozen=True)
class Hit:
    bucket: str  # the cache key of this window's counter
    count: int  # hits in the window, this one included
    retry_after_s: int  # whole seconds until the window ends


def hit(key: str, *, window_s: int, now: float | None = None) -> Hit:
    """Counts one hit on `key` with one atomic increment, so parallel callers each see their own count."""
    now = now if now is not None else time.time()
    window = int(now // window_s)
    bucket = f"throttle:{key}:{window}"
    cache.add(bucket, 0, timeout=window_s * 2)
    try:
        count = cache.incr(bucket)
    except ValueError:  # evicted between add and incr
        cache.set(bucket, 1, timeout=window_s * 2)
        count = 1
    return Hit(bucket=bucket, count=count, retry_after_s=max(1, math.ceil((window + 1) * window_s - now)))


def refund(spent: Hit) -> None:
    """Takes back a hit that turned out not to count (a successful sign-in is no failure)."""
    with contextlib.suppress(ValueError):  # the window's counter expired meanwhile: nothing to take back
        cache.decr(spent.bucket)


def require(key: str, *, limit: int, window_s: int, message: str, now: float | None = None) -> Hit:
    """Counts one hit on `key`; past `limit` within the window, RateLimited (429 with Retry-After)."""
    counted = hit(key, window_s=window_s, now=now)
    if counted.count > limit:
        raise RateLimited(message, retry_after_s=counted.retry_after_s)
    return counted


def client_address(meta) -> str:
    """The client's address: REMOTE_ADDR, or behind proxies the configured header only.

    With TRUSTED_PROXY_HEADER (e.g. X-Forwarded-For) and TRUSTED_PROXY_HOPS = n, the address is the n-th entry
    from the right: each trusted proxy appends the address it saw, and anything left of those is whatever the
    client chose to send."""
    remote = meta.get("REMOTE_ADDR", "") or "unknown"
    header = settings.TRUSTED_PROXY_HEADER
    if not header:
        return remote
    entries = [entry.strip() for entry in meta.get(_meta_key(header), "").split(",") if entry.strip()]
    hops = settings.TRUSTED_PROXY_HOPS
    return entries[-hops] if len(entries) >= hops else remote


def _meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")
