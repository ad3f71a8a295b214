"""`observation` frames (PROTOCOL.md section 3): to the sockets of a drill's evaluators only, after the commit.

Evaluators' sockets join a second channel-layer group per drill (drills.consumers); the frame carries no seq
and is not part of the log. A lost frame is not replayed: the REST list is the truth."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def evaluators_group(drill_id: int) -> str:
    return f"drill-{drill_id}-evaluators"


def observation_data(observation) -> dict:
    author = observation.author
    return {
        "id": observation.pk,
        "by": observation.author_id,
        "by_name": author.shown_name if author else None,
        "text": observation.text,
        "task": observation.task,
        "rating": observation.rating,
        "event_seq": observation.event_seq,
        "sim_ms": observation.sim_ms,
        "created_at": observation.created_at.isoformat().replace("+00:00", "Z"),
    }


def observation_frame(observation, *, deleted: bool = False) -> dict:
    return {"type": "observation", "observation": observation_data(observation), "deleted": deleted}


def send_on_commit(observation, *, deleted: bool = False) -> None:
    frame = observation_frame(observation, deleted=deleted)
    drill_id = observation.drill_id
    transaction.on_commit(lambda: _send(drill_id, frame))


def _send(drill_id: int, frame: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(evaluators_group(drill_id), {"type": "drill.observation", "frame": frame})
    except Exception:  # the layer is a fast path: the observation is stored, and the REST list shows it
        log.warning("observation frame for drill %s not sent", drill_id, exc_info=True)
