"""Appending to a drill's event log, and broadcasting what was appended once it is committed.

This is the only place that writes `DrillEvent` rows. Broadcasting happens on commit (never before:
a client must not see an event that a rollback then removes); the channel layer is a fast path and
consumers fill any gap from the log.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from drills import rows
from drills.log import ENGAGEMENT, HEAT, LoggedEvent
from drills.logview import LogView
from drills.models import Drill, DrillEvent

log = logging.getLogger(__name__)
ENGINE_KINDS = ("drill.started", "drill.finished", "inject.published", "response.published", "heat", ENGAGEMENT)


def group_name(drill_id: int) -> str:
    return f"drill-{drill_id}"


def frame(event: DrillEvent) -> dict:
    return _frame(event.seq, event.kind, event.sim_ms, _iso(event.wall_at), event.data)


def _frame(seq: int, kind: str, sim_ms: int, at: str, data: dict) -> dict:
    return {"type": "event", "seq": seq, "kind": kind, "sim_ms": sim_ms, "at": at, "data": data}


def _iso(wall_at) -> str:
    return wall_at.isoformat().replace("+00:00", "Z")


def events_append(*, drill: Drill, items: Iterable[tuple[str, dict]], sim_ms: int, now) -> None:
    """Appends events after `drill.seq`, advancing `drill.seq` (and `drill.heat`) in memory only: the caller
    saves the drill once after its appends (`log_state_save`, or a whole `save()`).

    The caller holds the drill row lock."""
    appended = []
    for kind, data in items:
        drill.seq += 1
        if kind == HEAT:
            drill.heat = data["heat"]
        appended.append(LoggedEvent(drill.seq, kind, sim_ms, data))
    if appended:
        event_rows = [
            {"drill_id": drill.pk, "seq": e.seq, "kind": e.kind, "sim_ms": sim_ms, "wall_at": now, "data": e.data}
            for e in appended
        ]
        rows.insert(DrillEvent, event_rows)
        at = _iso(now)
        frames = [_frame(e.seq, e.kind, sim_ms, at, e.data) for e in appended]
        transaction.on_commit(lambda: broadcast(drill.pk, frames))
        _engine_logs.on_commit_extend(drill, appended)


def log_state_save(drill: Drill) -> None:
    """Saves what appending and the engine change on the drill (`Drill.LOG_STATE_FIELDS`), in one UPDATE.

    Every transaction that appends calls it (or saves the whole drill) once, after its last append: an engine
    step saves each drill once, however many events it appended."""
    rows.update(drill, Drill.LOG_STATE_FIELDS)


def broadcast(drill_id: int, frames: Sequence[dict]) -> None:
    """Sends each frame once to the drill's group, as (seq, text): encoded here once, not once per socket."""
    texts = [[frame["seq"], json.dumps(frame, ensure_ascii=False, default=str)] for frame in frames]
    if server_sender.send(group_name(drill_id), texts):
        return
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(_group_send)(layer, group_name(drill_id), texts)


async def _group_send(layer, group: str, texts: list) -> None:
    try:
        await layer.group_send(group, {"type": "drill.events", "events": texts})
    except Exception:  # the layer is at most once anyway: consumers fill gaps from the log
        log.exception("group send to %s failed", group)


class _ServerSender:
    """Group sends from the ASGI server's event loop, each drill's frames in the order they were committed.

    A thread that commits (an engine step, a request) hands its frames over and goes on: waiting for the
    loop to run `group_send` would hold the engine thread for as long as the loop is busy. Processes
    without a server loop (Celery workers, commands, tests) send directly.

    With Redis each `group_send` waits for a round trip, so one at a time they queued up behind a busy loop
    (20 drills x 25 sockets: live frames 1.2 s late). So the sends of different drills go out together, and
    whatever a drill committed while a round was under way goes in its next one as a single message."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queue: asyncio.Queue | None = None
        self.pid: int | None = None  # a forked child (a prefork Celery worker) has none of the parent's threads

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        if get_channel_layer() is None:
            return
        self.loop, self.queue, self.pid = loop, asyncio.Queue(), os.getpid()
        loop.create_task(self._run(self.queue))

    def serve_in_own_thread(self, timeout_s: float = 5.0) -> None:
        """For a process with no server loop that broadcasts often: a Celery worker. Each of its direct sends
        made an event loop and a Redis connection of its own (`async_to_sync`: 2.3 ms of CPU a broadcast, more
        than the engine step it followed); a loop in a thread of the process keeps one and sends as the server's
        loop does. Frames still queued when the process dies are lost, as any the layer loses: sockets fill
        such gaps from the log."""
        if get_channel_layer() is None:
            return
        bound = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self.bind(loop)
            loop.call_soon(bound.set)
            loop.run_forever()

        threading.Thread(target=run, name="broadcasts", daemon=True).start()
        bound.wait(timeout_s)

    def send(self, group: str, texts: list) -> bool:
        """Queues `texts` ([seq, frame text] pairs) for `group`; False when there is no server loop to do it."""
        loop, queue = self.loop, self.queue
        if loop is None or not loop.is_running() or self.pid != os.getpid():
            return False
        loop.call_soon_threadsafe(queue.put_nowait, (group, texts))
        return True

    @staticmethod
    async def _run(queue: asyncio.Queue) -> None:
        layer = get_channel_layer()
        while True:
            by_group = _merged([await queue.get(), *_queued(queue)])
            await asyncio.gather(*(_group_send(layer, group, texts) for group, texts in by_group.items()))


def _queued(queue: asyncio.Queue) -> list:
    items = []
    while not queue.empty():
        items.append(queue.get_nowait())
    return items


def _merged(items: list[tuple[str, list]]) -> dict[str, list]:
    """Each group's texts, in the order they came."""
    by_group: dict[str, list] = {}
    for group, texts in items:
        by_group.setdefault(group, []).extend(texts)
    return by_group


server_sender = _ServerSender()


def events_after(*, drill: Drill, after: int, limit: int | None = None) -> list[dict]:
    events = DrillEvent.objects.filter(drill=drill, seq__gt=after).order_by("seq")
    if limit is not None:
        events = events[:limit]
    return [frame(event) for event in events]


def frame_texts(*, drill_id: int, after: int, limit: int) -> list[tuple[int, str]]:
    """(seq, frame as JSON text) of up to `limit` events after `after`, the same frames as `frame` gives.

    Replays send thousands of frames: the stored `data` goes into the text as the database holds it
    (already JSON), with no model instances and no decoding and re-encoding of every event; each distinct
    wall time is parsed once (the events of one engine step or action share it)."""
    at_text = functools.cache(_at_text)
    return [
        (
            seq,
            f'{{"type":"event","seq":{seq},"kind":{json.dumps(kind)},"sim_ms":{sim_ms},"at":{at_text(at)},"data":{data}}}',
        )
        for seq, kind, sim_ms, at, data in rows.event_rows(drill_id, after, limit)  # plain SQL: see drills.rows
    ]


def _at_text(stored: str) -> str:
    """`at` as `frame` writes it, from the database's text of `wall_at` (PostgreSQL's session runs in UTC)."""
    wall_at = datetime.fromisoformat(stored)
    if wall_at.tzinfo is None:  # SQLite stores UTC without an offset
        wall_at = wall_at.replace(tzinfo=UTC)
    return json.dumps(_iso(wall_at.astimezone(UTC)))


def engine_log(*, drill: Drill) -> LogView:
    """What the engine reads of the log (drills/logview.py), as this process last saw it committed plus what was
    appended since, by anyone. The caller holds the drill row lock, so `drill.seq` is the end of the log; it must
    not change the view it gets (other threads may be reading it)."""
    view = _engine_logs.get(drill)
    if view.seq < drill.seq:
        rows = DrillEvent.objects.filter(drill=drill, seq__gt=view.seq, kind__in=ENGINE_KINDS).order_by("seq")
        view = view.copy().folded(_logged(row) for row in rows)
        view.seq = drill.seq  # every kind the engine ignores is folded too, by not being read
        _engine_logs.on_commit_remember(drill, view)
    return view


def full_log(*, drill: Drill) -> list[LoggedEvent]:
    rows = DrillEvent.objects.filter(drill=drill).order_by("seq")
    return [_logged(row) for row in rows]


def _logged(event: DrillEvent) -> LoggedEvent:
    return LoggedEvent(seq=event.seq, kind=event.kind, sim_ms=event.sim_ms, data=event.data)


class _EngineLogs:
    """Each drill's engine view as this process last saw the log committed, so that an engine step reads only what
    was appended since (by anyone: other processes and workers too), not the whole log every time.

    Entries change only when a transaction commits: a rolled back append must never be remembered. A remembered
    view is never changed in place (a reader may hold it): extending one folds into a copy. The key holds the
    drill's creation time because test databases reuse ids."""

    MAX_DRILLS = 2_000

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple, LogView] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, drill: Drill) -> LogView:
        with self._lock:
            view = self._entries.get(self._key(drill))
        # A later seq than the drill's own can only be a stale entry: start over.
        return view if view is not None and view.seq <= drill.seq else LogView()

    def on_commit_remember(self, drill: Drill, view: LogView) -> None:
        key = self._key(drill)
        transaction.on_commit(lambda: self._put(key, view))

    def on_commit_extend(self, drill: Drill, appended: list[LoggedEvent]) -> None:
        """Extends an entry that ends right before `appended` (with the engine's kinds among them)."""
        key, before_seq = self._key(drill), appended[0].seq - 1
        kept = [event for event in appended if event.kind in ENGINE_KINDS]
        transaction.on_commit(lambda: self._extend(key, before_seq, appended[-1].seq, kept))

    def _extend(self, key, before_seq: int, seq: int, kept: list[LoggedEvent]) -> None:
        with self._lock:
            view = self._entries.get(key)
        if view is not None and view.seq == before_seq:
            view = view.copy().folded(kept)
            view.seq = seq
            self._put(key, view)

    def _put(self, key, view: LogView) -> None:
        with self._lock:
            self._entries[key] = view
            self._entries.move_to_end(key)
            while len(self._entries) > self.MAX_DRILLS:
                self._entries.popitem(last=False)

    @staticmethod
    def _key(drill: Drill) -> tuple:
        return drill.pk, drill.created_at


_engine_logs = _EngineLogs()
