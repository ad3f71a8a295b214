"""Drivers decide only *when* to call `drill_advance`; the engine decides what happens.

- in-process (default): a scheduler task in the ASGI process's event loop that keeps each running drill's
  next due moment, is woken early by actions, pauses and speed changes, and hands due drills to the
  engine thread in batches;
- celery (`DRILL_ENGINE=celery`): `engine_tick` tasks that step every due drill in batches (rows locked with
  SKIP LOCKED, so ticks on several workers never step one drill twice) and arm the next tick (drills/tasks.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import heapq
import logging
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from channels.db import database_sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection

from drills.events import server_sender
from drills.services.steps import Stepped, retry_delay_s

log = logging.getLogger(__name__)
# Celery countdowns stay short: an ETA past the broker's visibility timeout would be delivered twice,
# and a long sleep would miss a re-arm. A task that wakes early simply re-schedules.
MAX_CELERY_SLEEP_S = 30.0
# The engine's heartbeat, for /healthz: the in-process scheduler refreshes its own at least every HEARTBEAT_S;
# with Celery, beat sends a heartbeat task every HEARTBEAT_S (config/celery.py) that a worker writes to the
# cache under HEARTBEAT_KEY. Older than HEARTBEAT_MAX_AGE_S, the engine counts as stopped.
HEARTBEAT_S = 5.0
HEARTBEAT_MAX_AGE_S = 30.0
HEARTBEAT_KEY = "engine-heartbeat"


def wake(drill_id: int) -> None:
    """Called after a commit that may change what is due: re-decide now."""
    if settings.DRILL_ENGINE == "celery":
        from drills.tasks import schedule_advance

        schedule_advance(drill_id)
    else:
        inprocess.wake(drill_id)


class InProcessDriver:
    """One scheduler task in the server's event loop keeps each running drill's next due moment and hands the
    drills that are due to the engine's thread(s) in batches.

    Under load the batches grow by themselves (whatever fell due while a batch ran goes in the next one), so
    the fixed cost of a hand-over (a thread hop, connection checks, loop wake-ups) is paid per batch, not per
    drill. A batch's steps commit together (see `_advance_each`)."""

    MAX_BATCH = 32  # drills per hand-over: a bigger one would make a drill that falls due meanwhile wait longer

    def __init__(self, advance_many=None, running_drill_ids=None, workers=None) -> None:
        self._advance_many = advance_many or _advance_many_in_engine_thread
        self._running_drill_ids = running_drill_ids or database_sync_to_async(_running_drill_ids)
        self._workers = workers
        self.loop: asyncio.AbstractEventLoop | None = None
        self.beat_at: float | None = None  # when the scheduler last went round its loop

    async def start(self) -> None:
        """Binds to the running loop and resumes every running drill from its log (after a restart)."""
        self.loop = asyncio.get_running_loop()
        self._due: list[tuple[float, int]] = []  # heap; an entry counts only while it matches _due_at
        self._due_at: dict[int, float] = {}
        self._woken: set[int] = set()
        self._busy: set[int] = set()  # in a batch now
        self._failures: dict[int, int] = {}  # drill id -> its steps failed in a row
        self._again: set[int] = set()  # woken while busy: run once more after the batch
        self._batches: set[asyncio.Task] = set()
        self._changed = asyncio.Event()
        self._scheduler = self.loop.create_task(self._schedule(), context=contextvars.Context())
        for drill_id in await self._running_drill_ids():
            self._wake_in_loop(drill_id)

    def wake(self, drill_id: int) -> None:
        """Re-decide this drill now. Any thread may call it."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return  # no server loop in this process (tests, management commands): nothing to drive
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake_in_loop(drill_id)
        else:
            loop.call_soon_threadsafe(self._wake_in_loop, drill_id)

    def _wake_in_loop(self, drill_id: int) -> None:
        (self._again if drill_id in self._busy else self._woken).add(drill_id)
        self._changed.set()

    async def _schedule(self) -> None:
        while True:
            self.beat_at = time.time()
            self._changed.clear()
            free = self._free_workers()
            if free:
                ready = self._take_ready(time.time(), free * self.MAX_BATCH)
                for start in range(0, len(ready), self.MAX_BATCH):
                    self._dispatch(ready[start : start + self.MAX_BATCH])
            await self._sleep()

    def _free_workers(self) -> int:
        workers = self._workers or engine_workers()
        return max(workers - len(self._batches), 0)

    def _take_ready(self, now: float, limit: int) -> list[int]:
        """Woken drills first, then the due ones, most overdue first."""
        ready = list(self._woken)[:limit]
        self._woken.difference_update(ready)
        while self._due and self._due[0][0] <= now and len(ready) < limit:
            at, drill_id = heapq.heappop(self._due)
            if self._due_at.get(drill_id) == at:
                ready.append(drill_id)
        return list(dict.fromkeys(ready))

    def _dispatch(self, drill_ids: list[int]) -> None:
        self._busy.update(drill_ids)
        for drill_id in drill_ids:
            self._due_at.pop(drill_id, None)  # the step decides the next moment
        self._batches.add(self.loop.create_task(self._run_batch(drill_ids), context=contextvars.Context()))

    async def _run_batch(self, drill_ids: list[int]) -> None:
        try:
            stepped = await self._advance_many(drill_ids)
        except Exception:  # e.g. "database is locked": the whole batch is tried again later
            log.exception("engine batch %s failed", drill_ids)
            stepped = Stepped({}, set(drill_ids))
        now = time.time()
        for drill_id in drill_ids:
            self._busy.discard(drill_id)
            if drill_id in stepped.failed:
                self._again.discard(drill_id)  # a wake from now on runs it sooner, as for any drill
                self._failures[drill_id] = failures = self._failures.get(drill_id, 0) + 1
                self._arm(drill_id, now + retry_delay_s(failures))
                continue
            self._failures.pop(drill_id, None)
            if drill_id in self._again:
                self._again.discard(drill_id)
                self._woken.add(drill_id)
            elif stepped.next_due.get(drill_id) is not None:
                self._arm(drill_id, stepped.next_due[drill_id].timestamp())
        self._batches.discard(asyncio.current_task())  # before the scheduler looks for a free worker
        self._changed.set()

    def _arm(self, drill_id: int, at: float) -> None:
        self._due_at[drill_id] = at
        heapq.heappush(self._due, (at, drill_id))

    async def _sleep(self) -> None:
        timeout = HEARTBEAT_S
        if self._woken and self._free_workers():
            return
        if self._due and self._free_workers():
            timeout = min(max(self._due[0][0] - time.time(), 0), HEARTBEAT_S)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    async def stop(self, timeout_s: float = 10.0) -> None:
        """Stops scheduling; the batches in flight finish (their steps commit) for at most timeout_s."""
        self._scheduler.cancel()
        if self._batches:
            await asyncio.wait(list(self._batches), timeout=timeout_s)
        for task in self._batches:
            task.cancel()
        self.loop = None
        self.beat_at = None


def engine_heartbeat_age_s() -> float | None:
    """Seconds since the engine last showed it is alive; None if it never did (not started, or no worker)."""
    beat = cache.get(HEARTBEAT_KEY) if settings.DRILL_ENGINE == "celery" else inprocess.beat_at
    return None if beat is None else time.time() - beat


def _advance_each(drill_ids: list[int]) -> Stepped:
    """The engine steps of a batch, committed together (`drills_step`): a commit (a disk flush) costs more than a
    whole step, so one per batch instead of one per drill. A drill whose step fails is stepped apart from the
    others and reported in `failed`; the driver retries it later."""
    from drills.services import drills_step

    # As a request does: a broken or too old connection is replaced (asgiref's thread-insensitive calls
    # leave this thread's connection alone otherwise).
    close_old_connections()
    return drills_step(drill_ids=drill_ids)


async def _advance_many_in_engine_thread(drill_ids: list[int]) -> Stepped:
    advance = database_sync_to_async(_advance_each, thread_sensitive=False, executor=engine_executor())
    return await advance(drill_ids)


def engine_workers() -> int:
    """Engine steps run off the main sync thread, so they never queue behind page requests. On SQLite one
    thread: writers there share one file lock, and threads fighting for it wait in SQLite's coarse busy
    loop (seconds under load). On PostgreSQL a few threads: each step only locks its own drill's row."""
    return 1 if connection.vendor == "sqlite" else 4


@functools.cache
def engine_executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=engine_workers(), thread_name_prefix="engine")


def _running_drill_ids() -> list[int]:
    from drills.models import Drill, DrillStatus

    return list(Drill.objects.filter(status=DrillStatus.RUNNING).values_list("pk", flat=True))


inprocess = InProcessDriver()


class EngineStarter:
    """ASGI wrapper for servers that speak the ASGI lifespan protocol (uvicorn, hypercorn): the server's loop
    takes on the broadcasts and the engine at start-up and lets them go at shutdown. Daphne does not speak it:
    config.asgi hooks the same two calls to its reactor (`serve_with_daphne`)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "lifespan":
            return await self.app(scope, receive, send)
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await serve_in_this_loop()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await stop_serving()
                return await send({"type": "lifespan.shutdown.complete"})


# How long a thread holding the interpreter runs before one waiting for it may take over (Python's default: 5 ms).
# The engine's threads wait on the database and then need the interpreter back for a moment; behind a thread that
# computes (a request, the event loop) each of a step's queries waited up to the whole interval, so a step of a
# dozen queries took tens of ms. At 1 ms a two-thread test ran two to three times the queries per second.
ENGINE_SWITCH_INTERVAL_S = 0.001


async def serve_in_this_loop() -> None:
    """What a server's event loop takes on once: the broadcasts, the sweep of the seat leaves that stopping servers
    handed over, and the in-process engine (the default)."""
    from drills import presence

    server_sender.bind(asyncio.get_running_loop())
    presence.serve()
    if settings.DRILL_ENGINE == "inprocess":
        sys.setswitchinterval(ENGINE_SWITCH_INTERVAL_S)
        await inprocess.start()


async def stop_serving() -> None:
    """What a server's event loop does before the process exits (SIGTERM): the presence leaves still in their
    grace period, and those of the sockets it cuts, are handed over or written (drills.presence.flush_leaves),
    and the in-process engine stops after the steps in flight."""
    from drills.presence import flush_leaves

    await flush_leaves()
    if inprocess.loop is asyncio.get_running_loop():
        await inprocess.stop()


def serve_with_daphne() -> bool:
    """When Daphne serves this process (its Twisted reactor runs the asyncio loop), the loop takes on the
    broadcasts and the engine as soon as the reactor runs, before any request, and lets them go before the
    reactor stops (SIGTERM, Ctrl-C). False when no Daphne reactor is installed (tests, other servers)."""
    from twisted.internet.asyncioreactor import AsyncioSelectorReactor

    reactor = sys.modules.get("twisted.internet.reactor")
    if not isinstance(reactor, AsyncioSelectorReactor):
        return False
    from twisted.internet.defer import Deferred

    loop = reactor._asyncioEventloop
    reactor.callWhenRunning(lambda: loop.create_task(serve_in_this_loop(), context=contextvars.Context()))
    # Twisted waits for the returned Deferred before it stops: the leaves are written, the steps committed.
    reactor.addSystemEventTrigger("before", "shutdown", lambda: Deferred.fromFuture(loop.create_task(stop_serving())))
    return True
