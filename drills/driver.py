"""Drivers decide only *when* to call `drill_advance`; the engine decides what happens.

- in-process (default): a scheduler task in the ASGI process's event loop that keeps each running drill's
  next due moment, is woken early by actions, pauses and speed changes, and hands due drills to the
  engine thread in batches;
- celery (`DRILL_ENGINE=celery`): `advance_drill` tasks with an ETA, each carrying the drill's
  generation so that a stale or duplicated task does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import heapq
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection, transaction

from drills.events import server_sender

log = logging.getLogger(__name__)
# Celery countdowns stay short: an ETA past the broker's visibility timeout would be delivered twice,
# and a long sleep would miss a re-arm. A task that wakes early simply re-schedules.
MAX_CELERY_SLEEP_S = 30.0


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

    async def start(self) -> None:
        """Binds to the running loop and resumes every running drill from its log (after a restart)."""
        self.loop = asyncio.get_running_loop()
        self._due: list[tuple[float, int]] = []  # heap; an entry counts only while it matches _due_at
        self._due_at: dict[int, float] = {}
        self._woken: set[int] = set()
        self._busy: set[int] = set()  # in a batch now
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
            next_due = await self._advance_many(drill_ids)
        except Exception:
            log.exception("engine batch %s failed", drill_ids)
            next_due = {}
        for drill_id in drill_ids:
            self._busy.discard(drill_id)
            if drill_id in self._again:
                self._again.discard(drill_id)
                self._woken.add(drill_id)
            elif next_due.get(drill_id) is not None:
                at = next_due[drill_id].timestamp()
                self._due_at[drill_id] = at
                heapq.heappush(self._due, (at, drill_id))
        self._batches.discard(asyncio.current_task())  # before the scheduler looks for a free worker
        self._changed.set()

    async def _sleep(self) -> None:
        timeout = None
        if self._woken and self._free_workers():
            return
        if self._due and self._free_workers():
            timeout = max(self._due[0][0] - time.time(), 0)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    async def stop(self) -> None:
        for task in [self._scheduler, *self._batches]:
            task.cancel()
        self.loop = None


def _advance_each(drill_ids: list[int]) -> dict[int, datetime | None]:
    """The engine steps of a batch, committed together: a commit (a disk flush) costs more than a whole step,
    so one per batch instead of one per drill. If one step fails, the batch is rolled back and every step
    runs again in a transaction of its own, so one broken drill holds up no other; a drill whose step
    fails waits for its next wake-up."""
    from drills.services import drill_advance, drills_step

    # As a request does: a broken or too old connection is replaced (asgiref's thread-insensitive calls
    # leave this thread's connection alone otherwise).
    close_old_connections()
    if len(drill_ids) > 1:
        with contextlib.suppress(Exception), transaction.atomic():
            return drills_step(drill_ids=drill_ids)
    next_due = {}
    for drill_id in drill_ids:
        try:
            next_due[drill_id] = drill_advance(drill_id=drill_id)
        except Exception:
            log.exception("engine step of drill %s failed", drill_id)
    return next_due


async def _advance_many_in_engine_thread(drill_ids: list[int]) -> dict[int, datetime | None]:
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
    """ASGI wrapper that, on first use in the server's event loop, binds the broadcaster to it and starts
    the in-process driver."""

    def __init__(self, app) -> None:
        self.app = app
        self.loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope, receive, send):
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.loop = loop
            await serve_in_this_loop()
        return await self.app(scope, receive, send)


async def serve_in_this_loop() -> None:
    """What a server's event loop takes on once: the broadcasts, and the in-process engine (the default)."""
    server_sender.bind(asyncio.get_running_loop())
    if settings.DRILL_ENGINE == "inprocess":
        await inprocess.start()
