"""This process's sockets of each drill: one subscription per drill, whose frames go to every socket of it.

Fan-out. With every socket subscribed to its drill's group, each event of a 1,000-socket drill woke 1,000 consumer
tasks on the event loop's one thread (a layer message decoded, Channels' wait and a new task, a dispatch), for each
message: most of the server's CPU in a burst (bench/README.md, room). So each event loop joins a drill's group
once, with a channel of its own, and hands each message to the drill's sockets here (`DrillConsumer.live`): a
socket that is next in line writes the frames at once; one reading the log (connecting, a replay) keeps them for
its own task, which sends them in order after what it read.

In order. A drill's events are committed in seq order, but each committing process (two Celery workers, the servers'
actions) publishes its own, so two steps committed a few milliseconds apart can arrive the other way round. Each
socket then saw a gap and read the log itself: 500 reads of the same rows for one overtaking. The room puts them in
order first: what it has passed on it drops, and a gap it fills with one read of the log (everything in the gap is
committed: a frame is published only after its commit, and commits follow seq order).

A lost last event does not stay unseen (PROTOCOL.md section 3). A socket fills a gap when the next live frame
shows it; when the lost frame was the drill's last (the final `drill.finished`), no next frame comes. So every
DRILL_GAP_CHECK_S seconds each event loop reads, in one query for all the drills its sockets watch, each drill's
last seq, and a socket still behind the seq read at the check before (long enough for frames in flight to have
arrived) reads what it missed from the log. With 1,000 sockets in a drill that is one small query per process
every few seconds, and a log read only for the sockets that did miss something."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import weakref
from concurrent.futures import ThreadPoolExecutor

from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer
from django.conf import settings

from drills.events import frame_texts, group_name
from drills.models import Drill

logger = logging.getLogger(__name__)
_rooms: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def local_rooms() -> LocalRooms:
    """The rooms of the running event loop (each loop has its own sockets and channel layer)."""
    loop = asyncio.get_running_loop()
    if loop not in _rooms:
        _rooms[loop] = LocalRooms()
    return _rooms[loop]


def last_seqs(drill_ids: list[int]) -> dict[int, int]:
    return dict(Drill.objects.filter(pk__in=drill_ids).values_list("pk", "seq"))


@functools.cache
def gap_read_executor() -> ThreadPoolExecutor:
    """A thread of the rooms' own for their gap reads: on the sockets' read threads a gap read waited behind every
    reconnect queued there (hundreds in a storm), and every socket of the drill with it."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="room-read")


class Room:
    """One drill's sockets in this event loop, and the channel by which the loop is in the drill's group."""

    def __init__(self, drill_id: int) -> None:
        self.drill_id = drill_id
        self.sockets: set = set()
        self.channel: str | None = None
        self.joined: asyncio.Task | None = None  # joining the group; every socket that comes waits for it
        self.reader: asyncio.Task | None = None
        self.last_seq = 0  # the last seq passed on to the sockets (0: none yet)

    async def in_order(self, texts: list) -> list:
        """`texts` ([seq, text] pairs) after the last seq passed on, in seq order, with any gap before or among them
        read from the log."""
        fresh = sorted((pair for pair in texts if pair[0] > self.last_seq), key=lambda pair: pair[0])
        if not fresh:
            return []
        first, last = fresh[0][0], fresh[-1][0]
        if (self.last_seq and first != self.last_seq + 1) or last - first + 1 != len(fresh):
            from drills.consumers import off_thread  # imported here: the consumer imports this module

            after = self.last_seq or first - 1
            read = await off_thread(frame_texts, gap_read_executor())(
                drill_id=self.drill_id, after=after, limit=last - after
            )
            fresh = read + [pair for pair in fresh if pair[0] > (read[-1][0] if read else after)]
        self.last_seq = fresh[-1][0]
        return fresh


class LocalRooms:
    def __init__(self) -> None:
        self.rooms: dict[int, Room] = {}
        self.seen: dict[int, int] = {}  # each drill's last seq at the check before
        self.task: asyncio.Task | None = None

    async def join(self, consumer) -> None:
        """Adds the socket to its drill's room; returns once the room is in the drill's group, so that whatever the
        drill appends after the socket reads its hello's seq reaches it live (or shows a gap it fills)."""
        room = self.rooms.get(consumer.drill_id)
        if room is None:
            room = self.rooms[consumer.drill_id] = Room(consumer.drill_id)
            room.joined = asyncio.get_running_loop().create_task(self._subscribe(room))
        room.sockets.add(consumer)
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._run())
        await asyncio.shield(room.joined)

    async def leave(self, consumer) -> None:
        room = self.rooms.get(consumer.drill_id)
        if room is None or consumer not in room.sockets:
            return
        room.sockets.discard(consumer)
        if room.sockets:
            return
        del self.rooms[room.drill_id]
        self.seen.pop(room.drill_id, None)
        if not self.rooms and self.task is not None:
            self.task.cancel()
            self.task = None
        try:
            await asyncio.shield(room.joined)
        except Exception:  # it never joined: nothing to leave
            return
        room.reader.cancel()
        await get_channel_layer().group_discard(group_name(room.drill_id), room.channel)

    async def _subscribe(self, room: Room) -> None:
        layer = get_channel_layer()
        try:
            room.channel = await layer.new_channel()
            await layer.group_add(group_name(room.drill_id), room.channel)
        except BaseException:
            if self.rooms.get(room.drill_id) is room:  # the next socket tries again
                del self.rooms[room.drill_id]
            raise
        room.reader = asyncio.get_running_loop().create_task(self._read(room, layer))

    @staticmethod
    async def _read(room: Room, layer) -> None:
        while True:
            message = await layer.receive(room.channel)
            if message.get("type") != "drill.events":
                continue
            try:
                texts = await room.in_order(message["events"])
            except Exception:  # the database away: the sockets fill the gap themselves, from the next frame on
                logger.warning("filling a gap in drill %s's frames failed", room.drill_id, exc_info=True)
                texts = message["events"]
            for consumer in list(room.sockets):
                try:
                    await consumer.live(texts)
                except Exception:  # one socket's failure (closed meanwhile, say) is not the others'
                    logger.warning("live frames to a socket of drill %s failed", room.drill_id, exc_info=True)

    async def check(self) -> None:
        """One read of the rooms' last seqs; sockets behind the previous check's are told so."""
        from drills.consumers import off_thread  # the sockets' read threads (the consumer imports this module)

        if not self.rooms:
            return
        latest = await off_thread(last_seqs)(list(self.rooms))
        for drill_id, room in list(self.rooms.items()):
            seen = self.seen.get(drill_id, 0)
            for consumer in [c for c in room.sockets if c.last_seq < seen]:
                # A full queue: the socket has frames to handle already, and the next check asks again.
                with contextlib.suppress(ChannelFull):
                    await consumer.channel_layer.send(consumer.channel_name, {"type": "drill.behind", "seq": seen})
        self.seen = {drill_id: latest.get(drill_id, 0) for drill_id in self.rooms}

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(settings.DRILL_GAP_CHECK_S)
            try:
                await self.check()
            except Exception:  # the database busy or away: the sockets go on, and the next check tries again
                logger.exception("drill gap check failed")
