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

A server that stops (SIGTERM: a rolling restart, `make cluster-stop`) cuts its sockets, and their people come back
on another server within the grace period. With a shared cache it hands their leaves over instead of writing
them (`flush_leaves`): each cut socket, and each leave still in its grace period, becomes a pending leave (the
count above) plus an entry with its deadline in the cache. Every server process sweeps those entries
(`sweep`, every SWEEP_S, and once when it starts): a reconnect anywhere takes the leave over as ever, and an
entry whose deadline has passed is claimed by deleting it (one process wins) and written once, if its pending
leave is still there. Why the servers and not Celery beat: presence is theirs, it works with either engine, and
a server that starts writes what an earlier full stop handed over (entries live HANDOFF_TTL_S; a drill finished
meanwhile logs no presence, as ever). With a cache of this process only (the embedded profile: one server) no
other process could take anything over, so a stopping server writes every leave at once, as before. A server
killed with -9 hands nothing over: its people's reconnects log a second seat.joined and no seat.left.

The counts change on a thread of their own, not on the event loop: each is one or two round trips to Redis, and a
reconnect storm of 500 sockets a process made 1,500-2,000 of them, the loop stopped through each (half its busy
time). One thread, so that they change in the order the sockets came and went, as on the loop.

"Back within the grace period" counts from the drop to the new socket's arrival, not to the end of its
connect: a leave whose period is over waits while sockets of its drill are still connecting (whose user is
not known yet), for at most CONNECTING_WAIT_S more. Otherwise a busy server (a storm of reconnects, each
queued behind the others) would turn every late-processed reconnect into a seat.left and a seat.joined,
two writes and two broadcasts each, and be busier still.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

from drills.models import Drill
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
_stopped = False  # flush_leaves ran: every socket is about to be cut, one that joins now too
# The shared count outlives every grace period it serves (a stale count would swallow a later seat.joined).
PENDING_TTL_MARGIN_S = 60.0
# Leaves handed over by a stopping server: entry number n at `presence-handoff:n`, numbers from an atomic counter.
# Sweeps read the numbers from the lowest one still held; they wait that long for a server to come.
HANDOFF_TTL_S = 24 * 3600.0
SWEEP_S = 1.0
_LAST, _LOW = "presence-handoff-last", "presence-handoff-low"
_seen_last = 0  # the highest entry number this process's previous sweep saw
_sweeper: asyncio.Task | None = None


def _now() -> float:
    """Wall time, the same in every process: hand-over deadlines are compared across them."""
    return time.time()


def _shared() -> bool:
    """Whether other server processes see this cache (Redis), so that they can take a leave over."""
    return not isinstance(caches["default"], (LocMemCache, DummyCache))


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


@functools.cache
def _counts_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="presence")


def _counted(change, key: tuple[int, int]) -> asyncio.Future:
    """`change(key)` (`_pend` or `_claim`) on the counts' thread, in the order of the calls: submitted now, its
    result awaited by the caller."""
    return asyncio.get_running_loop().run_in_executor(_counts_thread(), change, key)


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
    # Decided before the awaits: a socket listed in _open is cut by flush_leaves if the stop comes meanwhile.
    late = _stopped
    if not late:
        _open.setdefault(key, []).append((drill, user, roles))
    if await _counted(_claim, key):  # a leave still in its grace period, here or in another process: nothing logged
        if _leaving.get(key):
            _forget(key, _leaving[key][0]).cancel()  # its timer is here: no need to let it run out
    else:
        await database_sync_to_async(seat_presence)(drill=drill, user=user, roles=roles, joined=True)
    if late:  # connected while the server stops (its port still open): cut with the others, left as they are
        await _cut(drill, user, roles)


async def seat_left(*, drill, user, roles: list[str]) -> None:
    key = (drill.pk, user.pk)
    _closed(key)
    if settings.DRILL_PRESENCE_GRACE_S <= 0:
        return await database_sync_to_async(seat_presence)(drill=drill, user=user, roles=roles, joined=False)
    # Listed among the pending leaves before any await: the server cancels this consumer when it stops, and the
    # leave must then be in _leaving (or still in _open) for flush_leaves to find.
    pended = _counted(_pend, key)
    deadline = _now() + settings.DRILL_PRESENCE_GRACE_S
    task = asyncio.create_task(_leave_after_grace(key, drill, user, roles, deadline, pended))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    task.add_done_callback(functools.partial(_forget, key))  # also when it failed (the count could not be raised)
    _leaving.setdefault(key, []).append(task)
    await asyncio.shield(pended)  # a cache that fails is the consumer's error, as ever


async def _leave_after_grace(key, drill, user, roles, deadline: float, pended: asyncio.Future) -> None:
    try:
        if not await _is_pending(pended):
            return
        await asyncio.sleep(settings.DRILL_PRESENCE_GRACE_S)
        await _connects_settled(drill.pk, CONNECTING_WAIT_S)  # one of them may be this user, back in time
    except asyncio.CancelledError:
        if not _flushing:
            raise  # the user came back in time: nothing to log
        asyncio.current_task().uncancel()
        if not await _is_pending(pended):  # counted before it is handed over or claimed
            return
        if _shared():  # the server stops: the rest of the grace period is another server's to count
            _forget(key, asyncio.current_task())
            return _hand_over(key, roles, deadline)
    # No longer pending once the write starts: a reconnect from now on logs its own seat.joined after it.
    _forget(key, asyncio.current_task())
    if await _counted(_claim, key):  # else a reconnect took this leave over
        await database_sync_to_async(seat_presence)(drill=drill, user=user, roles=roles, joined=False)


async def _is_pending(pended: asyncio.Future) -> bool:
    """Waits for the count that makes a leave pending, without cancelling it; False if the cache failed it (seat_left
    reports that to its consumer)."""
    await asyncio.wait([pended])
    return pended.exception() is None


def _closed(key: tuple[int, int]) -> None:
    sockets = _open.get(key)
    if sockets:
        sockets.pop()
        if not sockets:
            del _open[key]


def _forget(key: tuple[int, int], task: asyncio.Task) -> asyncio.Task:
    """No longer a pending leave of this process (a no-op once forgotten)."""
    pending = _leaving.get(key, [])
    if task in pending:
        pending.remove(task)
    if not pending:
        _leaving.pop(key, None)
    return task


async def flush_leaves() -> None:
    """Before the server process exits, for the leaves still in their grace period and the sockets the shutdown
    cuts (without a disconnect): with a shared cache each is handed over (its deadline counts on, in the sweep of
    the other servers or of the next one to start), else written now instead of being lost with the process (the
    user would stay present in the log forever)."""
    global _flushing, _sweeper, _stopped
    if _sweeper is not None:
        _sweeper.cancel()
        _sweeper = None
    _flushing = True
    try:
        for task in [task for tasks in _leaving.values() for task in tasks]:
            task.cancel()
        await asyncio.gather(*_tasks, return_exceptions=True)  # and the leaves being written already
        still_open = [socket for sockets in _open.values() for socket in sockets]
        _open.clear()
        _stopped = True
        for drill, user, roles in still_open:
            await _cut(drill, user, roles)
    finally:
        _flushing = False


async def _cut(drill, user, roles: list[str]) -> None:
    """The leave of a socket the shutdown cuts: handed over with a whole grace period, or written now."""
    if _shared() and settings.DRILL_PRESENCE_GRACE_S > 0:
        _pend((drill.pk, user.pk))
        _hand_over((drill.pk, user.pk), roles, _now() + settings.DRILL_PRESENCE_GRACE_S)
    else:
        await _write_leave(drill.pk, user.pk, roles)


def _hand_over(key: tuple[int, int], roles: list[str], deadline: float) -> None:
    """One pending leave of (drill, user) (counted already) becomes an entry that any server's sweep writes once
    its deadline is over, unless a reconnect takes the pending leave over first."""
    cache.add(_LAST, 0, timeout=None)
    number = cache.incr(_LAST)
    cache.set(_entry_key(number), (deadline, *key, roles), timeout=HANDOFF_TTL_S)
    cache.touch(_pending_key(key), HANDOFF_TTL_S)  # it waits as long as its entry


def _entry_key(number: int) -> str:
    return f"presence-handoff:{number}"


def serve() -> None:
    """In a server's event loop, once: the sweep of the leaves stopping servers handed over."""
    global _sweeper
    if _shared() and _sweeper is None:
        _sweeper = asyncio.create_task(_sweep_forever())


async def _sweep_forever() -> None:
    while True:
        try:
            await sweep()
        except Exception:  # Redis away for a moment: the entries wait for the next sweep
            log.exception("sweep of the handed-over seat leaves failed")
        await asyncio.sleep(SWEEP_S)


async def sweep() -> None:
    """Writes each handed-over leave whose deadline is over and that no reconnect took over."""
    for _, drill_id, user_id, roles in _claim_due_entries(_now()):
        if _claim((drill_id, user_id)):  # else its user came back, on some server
            await _write_leave(drill_id, user_id, roles)


def _claim_due_entries(now: float) -> list[tuple]:
    """The entries due now that this process claimed (deleting one is atomic: one process wins it). An entry of a
    drill with sockets of this process still connecting waits for them, as a timer does (at most
    CONNECTING_WAIT_S)."""
    global _seen_last
    last, low = cache.get(_LAST, 0), cache.get(_LOW, 1)
    numbers = range(low, last + 1)
    found = cache.get_many([_entry_key(n) for n in numbers])
    claimed, first_kept = [], None
    for number in numbers:
        entry = found.get(_entry_key(number))
        if entry is None:
            continue
        deadline, drill_id = entry[0], entry[1]
        if now < deadline or (_connecting.get(drill_id) and now < deadline + CONNECTING_WAIT_S):
            first_kept = first_kept or number
        elif cache.delete(_entry_key(number)):  # else another process claimed it first
            claimed.append(entry)
    # An empty number is skipped for good only once an earlier sweep saw it taken: its entry is written right
    # after the number is taken, and must not be skipped in between.
    new_low = min(first_kept or last + 1, min(_seen_last, last) + 1)  # (the counter restarts with an empty Redis)
    if new_low > low:
        cache.set(_LOW, new_low, timeout=None)
    _seen_last = last
    return claimed


async def _write_leave(drill_id: int, user_id: int, roles: list[str]) -> None:
    try:
        await database_sync_to_async(_leave_logged)(drill_id, user_id, roles)
    except Exception:  # one that cannot be written stops no other
        log.exception("seat.left of user %s in drill %s not written", user_id, drill_id)


def _leave_logged(drill_id: int, user_id: int, roles: list[str]) -> None:
    drill = Drill.objects.filter(pk=drill_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if drill is not None and user is not None:  # else deleted meanwhile: nobody is there to leave
        seat_presence(drill=drill, user=user, roles=roles, joined=False)
