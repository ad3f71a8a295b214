"""Who is connected to a drill: `seat.joined` / `seat.left`, with a grace period for reconnects.

A socket that drops and comes back within `DRILL_PRESENCE_GRACE_S` (a flaky network, a server restart, the
browser's first backoff) logs neither a `seat.left` nor a second `seat.joined`: for everybody else the user
never left. Each closed socket holds a pending leave for the grace period; a new socket of the same user in
the same drill takes one over instead of logging `seat.joined`. The page counts joins minus leaves per user,
so the counts come out as if every event were logged.

Pending leaves are shared by every server process through the cache (Redis in the services profile): a count
per (drill, user) of leaves not yet written. A socket that comes back on another process takes one of them over
just as on its own; a grace period that ends claims one before writing it, and finds none (writes nothing) if a
reconnect anywhere took it. The timers stay in the process whose socket closed, and the wait for sockets still
connecting (below) counts those of that process only.

"Back within the grace period" counts from the drop to the new socket's arrival, not to the end of its
connect: a leave whose period is over waits while sockets of its drill are still connecting (whose user is
not known yet), for at most CONNECTING_WAIT_S more. Otherwise a busy server (a storm of reconnects, each
queued behind the others) would turn every late-processed reconnect into a seat.left and a seat.joined,
two writes and two broadcasts each, and be busier still.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from contextlib import contextmanager, suppress

from channels.db import database_sync_to_async
from django.conf import settings
from django.core.cache import cache

from drills.services import seat_presence

# (drill id, user id) -> the tasks that will log a seat.left once the grace period is over
log = logging.getLogger(__name__)
_leaving: dict[tuple[int, int], list[asyncio.Task]] = {}
_tasks: set[asyncio.Task] = set()  # asyncio keeps only weak references to running tasks
# (drill id, user id) -> one (drill, user, roles) per socket of this process that is joined and not yet left: the
# leaves a shutdown writes for the sockets it cuts (the server cancels them without a disconnect)
_open: dict[tuple[int, int], list[tuple]] = {}
_connecting: Counter[int] = Counter()  # drill id -> sockets accepted whose seat_joined has not run yet
_settled: dict[int, asyncio.Future] = {}  # drill id -> done once none of its sockets is connecting
CONNECTING_WAIT_S = 30.0
_flushing = False  # the server is shutting down: a pending leave cut short is written at once
# The shared count outlives every grace period it serves (a stale count would swallow a later seat.joined).
PENDING_TTL_MARGIN_S = 60.0


def _pending_key(key: tuple[int, int]) -> str:
    drill_id, user_id = key
    return f"presence-leaving:{drill_id}:{user_id}"


def _pend(key: tuple[int, int]) -> None:
    """One more leave of (drill, user) waits out its grace period, in whichever process."""
    timeout = settings.DRILL_PRESENCE_GRACE_S + CONNECTING_WAIT_S + PENDING_TTL_MARGIN_S
    cache.add(_pending_key(key), 0, timeout=timeout)
    try:
        cache.incr(_pending_key(key))
    except ValueError:  # expired between add and incr
        cache.set(_pending_key(key), 1, timeout=timeout)


def _claim(key: tuple[int, int]) -> bool:
    """Takes one pending leave of (drill, user), atomically across processes; False if none is left."""
    try:
        left = cache.decr(_pending_key(key))
    except ValueError:  # none was ever pending, or it expired
        return False
    if left < 0:
        cache.incr(_pending_key(key))  # there was none: give back what this decrement took
        return False
    return True


@contextmanager
def connecting(drill_id: int):
    """Around a socket's connect, from its arrival to its seat_joined (or its refusal)."""
    _connecting[drill_id] += 1
    try:
        yield
    finally:
        _connecting[drill_id] -= 1
        if not _connecting[drill_id]:
            del _connecting[drill_id]
            settled = _settled.pop(drill_id, None)
            if settled is not None and not settled.done():
                settled.set_result(None)


async def _connects_settled(drill_id: int, timeout_s: float) -> None:
    """Returns once no socket of the drill is connecting, or after timeout_s."""
    if not _connecting.get(drill_id):
        return
    settled = _settled.get(drill_id)
    if settled is None:
        settled = _settled[drill_id] = asyncio.get_running_loop().create_future()
    with suppress(TimeoutError):
        await asyncio.wait_for(asyncio.shield(settled), timeout_s)


async def seat_joined(*, drill, user, roles: list[str]) -> None:
    key = (drill.pk, user.pk)
    _open.setdefault(key, []).append((drill, user, roles))
    if _claim(key):  # a leave still in its grace period, here or in another process: nothing is logged
        if _leaving.get(key):
            _forget(key, _leaving[key][0]).cancel()  # its timer is here: no need to let it run out
        return
    await database_sync_to_async(seat_presence)(drill=drill, user=user, roles=roles, joined=True)


async def seat_left(*, drill, user, roles: list[str]) -> None:
    _closed((drill.pk, user.pk))
    if settings.DRILL_PRESENCE_GRACE_S <= 0:
        return await database_sync_to_async(seat_presence)(drill=drill, user=user, roles=roles, joined=False)
    _pend((drill.pk, user.pk))
    task = asyncio.create_task(_leave_after_grace((drill.pk, user.pk), drill, user, roles))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    _leaving.setdefault((drill.pk, user.pk), []).append(task)


async def _leave_after_grace(key, drill, user, roles) -> None:
    try:
        await asyncio.sleep(settings.DRILL_PRESENCE_GRACE_S)
        await _connects_settled(drill.pk, CONNECTING_WAIT_S)  # one of them may be this user, back in time
    except asyncio.CancelledError:
        if not _flushing:
            raise  # the user came back in time: nothing to log
        asyncio.current_task().uncancel()
    # No longer pending once the write starts: a reconnect from now on logs its own seat.joined after it.
    _forget(key, asyncio.current_task())
    if _claim(key):  # else a reconnect on another process took this leave over
        await database_sync_to_async(seat_presence)(drill=drill, user=user, roles=roles, joined=False)


def _closed(key: tuple[int, int]) -> None:
    sockets = _open.get(key)
    if sockets:
        sockets.pop()
        if not sockets:
            del _open[key]


def _forget(key: tuple[int, int], task: asyncio.Task) -> asyncio.Task:
    pending = _leaving[key]
    pending.remove(task)
    if not pending:
        del _leaving[key]
    return task


async def flush_leaves() -> None:
    """Before the server process exits: every pending leave is written now instead of being lost with the
    process (the user would stay present in the log forever), and so is a leave for each socket still open,
    which the shutdown cuts without a disconnect."""
    global _flushing
    _flushing = True
    try:
        for task in [task for tasks in _leaving.values() for task in tasks]:
            task.cancel()
        await asyncio.gather(*_tasks, return_exceptions=True)  # and the leaves being written already
        still_open = [socket for sockets in _open.values() for socket in sockets]
        _open.clear()
        for drill, user, roles in still_open:
            try:
                await database_sync_to_async(seat_presence)(drill=drill, user=user, roles=roles, joined=False)
            except Exception:  # one that cannot be written (its drill deleted meanwhile) stops no other
                log.exception("seat.left of user %s in drill %s not written at shutdown", user.pk, drill.pk)
    finally:
        _flushing = False
