"""Who is connected to a drill: `seat.joined` / `seat.left`, with a grace period for reconnects.

A socket that drops and comes back within `DRILL_PRESENCE_GRACE_S` (a flaky network, a server restart, the
browser's first backoff) logs neither a `seat.left` nor a second `seat.joined`: for everybody else the user
never left. Each closed socket holds a pending leave for the grace period; a new socket of the same user in
the same drill takes one over instead of logging `seat.joined`. The page counts joins minus leaves per user,
so the counts come out as if every event were logged. Pending leaves are per process: a reconnect that
lands on another server process logs its `seat.joined` and the old process its `seat.left`, as before.
"""

from __future__ import annotations

import asyncio

from channels.db import database_sync_to_async
from django.conf import settings

from drills.services import seat_presence

# (drill id, user id) -> the tasks that will log a seat.left once the grace period is over
_leaving: dict[tuple[int, int], list[asyncio.Task]] = {}
_tasks: set[asyncio.Task] = set()  # asyncio keeps only weak references to running tasks


async def seat_joined(*, drill, user, roles: list[str]) -> None:
    key = (drill.pk, user.pk)
    if _leaving.get(key):
        _forget(key, _leaving[key][0]).cancel()  # still in its grace period: nothing is logged
        return
    await database_sync_to_async(seat_presence)(drill=drill, user=user, roles=roles, joined=True)


async def seat_left(*, drill, user, roles: list[str]) -> None:
    if settings.DRILL_PRESENCE_GRACE_S <= 0:
        return await database_sync_to_async(seat_presence)(drill=drill, user=user, roles=roles, joined=False)
    task = asyncio.create_task(_leave_after_grace((drill.pk, user.pk), drill, user, roles))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    _leaving.setdefault((drill.pk, user.pk), []).append(task)


async def _leave_after_grace(key, drill, user, roles) -> None:
    await asyncio.sleep(settings.DRILL_PRESENCE_GRACE_S)
    # No longer pending once the write starts: a reconnect from now on logs its own seat.joined after it.
    _forget(key, asyncio.current_task())
    await database_sync_to_async(seat_presence)(drill=drill, user=user, roles=roles, joined=False)


def _forget(key: tuple[int, int], task: asyncio.Task) -> asyncio.Task:
    pending = _leaving[key]
    pending.remove(task)
    if not pending:
        del _leaving[key]
    return task
