"""Appending to a drill's event log, and broadcasting what was appended once it is committed.

This is the only place that writes `DrillEvent` rows. Broadcasting happens on commit (never before:
a client must not see an event that a rollback then removes); the channel layer is a fast path and
consumers fill any gap from the log.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from drills.log import HEAT, LoggedEvent
from drills.models import Drill, DrillEvent

log = logging.getLogger(__name__)
ENGINE_KINDS = ("drill.started", "drill.finished", "inject.published", "response.published", "heat")


def group_name(drill_id: int) -> str:
    return f"drill-{drill_id}"


def frame(event: DrillEvent) -> dict:
    return {
        "type": "event",
        "seq": event.seq,
        "kind": event.kind,
        "sim_ms": event.sim_ms,
        "at": event.wall_at.isoformat().replace("+00:00", "Z"),
        "data": event.data,
    }


def events_append(*, drill: Drill, items: Iterable[tuple[str, dict]], sim_ms: int, now) -> list[DrillEvent]:
    """Appends events after `drill.seq`; the caller holds the drill row lock and saves the drill."""
    events = []
    for kind, data in items:
        drill.seq += 1
        if kind == HEAT:
            drill.heat = data["heat"]
        events.append(DrillEvent(drill=drill, seq=drill.seq, kind=kind, sim_ms=sim_ms, wall_at=now, data=data))
    if not events:
        return []
    DrillEvent.objects.bulk_create(events)
    drill.save(update_fields=["seq", "heat"])
    frames = [frame(event) for event in events]
    transaction.on_commit(lambda: broadcast(drill.pk, frames))
    return events


def broadcast(drill_id: int, frames: Sequence[dict]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group_name(drill_id), {"type": "drill.events", "frames": list(frames)})
    except Exception:  # the layer is at most once anyway: consumers fill gaps from the log
        log.exception("broadcast of drill %s events failed", drill_id)


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
    rows = (
        DrillEvent.objects.filter(drill_id=drill_id, seq__gt=after)
        .order_by("seq")
        .values_list("seq", "kind", "sim_ms", Cast("wall_at", TextField()), Cast("data", TextField()))[:limit]
    )
    at_text = functools.cache(_at_text)
    return [
        (
            seq,
            f'{{"type":"event","seq":{seq},"kind":{json.dumps(kind)},"sim_ms":{sim_ms},"at":{at_text(at)},"data":{data}}}',
        )
        for seq, kind, sim_ms, at, data in rows
    ]


def _at_text(stored: str) -> str:
    """`at` as `frame` writes it, from the database's text of `wall_at` (PostgreSQL's session runs in UTC)."""
    wall_at = datetime.fromisoformat(stored)
    if wall_at.tzinfo is None:  # SQLite stores UTC without an offset
        wall_at = wall_at.replace(tzinfo=UTC)
    return json.dumps(wall_at.astimezone(UTC).isoformat().replace("+00:00", "Z"))


def engine_log(*, drill: Drill) -> list[LoggedEvent]:
    """The part of the log the engine and heat model read (they ignore drafts, seats and the like)."""
    rows = DrillEvent.objects.filter(drill=drill, kind__in=ENGINE_KINDS).order_by("seq")
    return [LoggedEvent(seq=e.seq, kind=e.kind, sim_ms=e.sim_ms, data=e.data) for e in rows]


def full_log(*, drill: Drill) -> list[LoggedEvent]:
    rows = DrillEvent.objects.filter(drill=drill).order_by("seq")
    return [LoggedEvent(seq=e.seq, kind=e.kind, sim_ms=e.sim_ms, data=e.data) for e in rows]
