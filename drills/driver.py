"""Drivers decide only *when* to call `drill_advance`; the engine decides what happens.

- in-process (default): one asyncio task per running drill in the ASGI process, sleeping until the
  drill's next due moment and woken early by actions, pauses and speed changes;
- celery (`DRILL_ENGINE=celery`): `advance_drill` tasks with an ETA, each carrying the drill's
  generation so that a stale or duplicated task does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
from concurrent.futures import ThreadPoolExecutor

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection
from django.utils import timezone

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
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.tasks: dict[int, asyncio.Task] = {}
        self.events: dict[int, asyncio.Event] = {}

    async def start(self) -> None:
        """Binds to the running loop and resumes every running drill from its log (after a restart)."""
        self.loop = asyncio.get_running_loop()
        self.tasks.clear()
        self.events.clear()
        for drill_id in await database_sync_to_async(_running_drill_ids)():
            self._wake_in_loop(drill_id)

    def wake(self, drill_id: int) -> None:
        loop = self.loop
        if loop is None or loop.is_closed():
            return  # no ASGI server in this process (tests, management commands): nothing to drive
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake_in_loop(drill_id)
        else:
            loop.call_soon_threadsafe(self._wake_in_loop, drill_id)

    def _wake_in_loop(self, drill_id: int) -> None:
        event = self.events.setdefault(drill_id, asyncio.Event())
        event.set()
        task = self.tasks.get(drill_id)
        if task is None or task.done():
            # A fresh context: the task must not inherit the waking request's executor, which dies with it.
            self.tasks[drill_id] = self.loop.create_task(self._run(drill_id), context=contextvars.Context())

    async def _run(self, drill_id: int) -> None:
        from drills.services import drill_advance

        event = self.events[drill_id]
        advance = database_sync_to_async(drill_advance, thread_sensitive=False, executor=engine_executor())
        try:
            while True:
                event.clear()
                next_due = await advance(drill_id=drill_id)
                if next_due is None and not event.is_set():
                    return
                timeout = None if next_due is None else max((next_due - timezone.now()).total_seconds(), 0)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), timeout)
        except Exception:
            log.exception("engine for drill %s stopped", drill_id)
        finally:
            if self.tasks.get(drill_id) is asyncio.current_task():
                del self.tasks[drill_id]

    async def stop(self) -> None:
        for task in list(self.tasks.values()):
            task.cancel()
        self.tasks.clear()
        self.loop = None


@functools.cache
def engine_executor() -> ThreadPoolExecutor:
    """Engine steps run off the main sync thread, so they never queue behind page requests. On SQLite one
    thread: writers there share one file lock, and threads fighting for it wait in SQLite's coarse busy
    loop (seconds under load). On PostgreSQL a few threads: each step only locks its own drill's row."""
    sqlite = connection.vendor == "sqlite"
    return ThreadPoolExecutor(max_workers=1 if sqlite else 4, thread_name_prefix="engine")


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
