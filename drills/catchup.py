"""A lost last event does not stay unseen (PROTOCOL.md section 3).

A socket fills a gap when the next live frame shows it; when the lost frame was the drill's last (the final
`drill.finished`), no next frame comes. So every DRILL_GAP_CHECK_S seconds each event loop reads, in one query
for all the drills its sockets watch, each drill's last seq, and a socket still behind the seq read at the
check before (long enough for frames in flight to have arrived) reads what it missed from the log. With
1,000 sockets in a drill that is one small query per process every few seconds, and a log read only for the
sockets that did miss something."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections import defaultdict

from channels.exceptions import ChannelFull
from django.conf import settings

from drills.models import Drill

logger = logging.getLogger(__name__)
_watches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def drill_watch() -> DrillWatch:
    """The watch of the running event loop (each loop has its own sockets and channel layer)."""
    loop = asyncio.get_running_loop()
    if loop not in _watches:
        _watches[loop] = DrillWatch()
    return _watches[loop]


def last_seqs(drill_ids: list[int]) -> dict[int, int]:
    return dict(Drill.objects.filter(pk__in=drill_ids).values_list("pk", "seq"))


class DrillWatch:
    def __init__(self) -> None:
        self.sockets: dict[int, set] = defaultdict(set)
        self.seen: dict[int, int] = {}  # each drill's last seq at the check before
        self.task: asyncio.Task | None = None

    def add(self, consumer) -> None:
        self.sockets[consumer.drill_id].add(consumer)
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._run())

    def remove(self, consumer) -> None:
        drill_sockets = self.sockets.get(consumer.drill_id, set())
        drill_sockets.discard(consumer)
        if not drill_sockets:
            self.sockets.pop(consumer.drill_id, None)
            self.seen.pop(consumer.drill_id, None)
        if not self.sockets and self.task is not None:
            self.task.cancel()
            self.task = None

    async def check(self) -> None:
        """One read of the watched drills' last seqs; sockets behind the previous check's are told so."""
        from drills.consumers import off_thread  # the sockets' read threads (the consumer imports this module)

        if not self.sockets:
            return
        latest = await off_thread(last_seqs)(list(self.sockets))
        for drill_id, consumers in list(self.sockets.items()):
            seen = self.seen.get(drill_id, 0)
            for consumer in [c for c in consumers if c.last_seq < seen]:
                # A full queue: the socket has frames to handle already, and the next check asks again.
                with contextlib.suppress(ChannelFull):
                    await consumer.channel_layer.send(consumer.channel_name, {"type": "drill.behind", "seq": seen})
        self.seen = {drill_id: latest.get(drill_id, 0) for drill_id in self.sockets}

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(settings.DRILL_GAP_CHECK_S)
            try:
                await self.check()
            except Exception:  # the database busy or away: the sockets go on, and the next check tries again
                logger.exception("drill gap check failed")
