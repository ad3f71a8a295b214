"""drills.rooms: each event loop is in a drill's group once, and hands each message to the drill's sockets, which
write it at once when next in line, else keep it for their own task (after the log it is reading, or to fill a gap).
A lost last event (the layer is at most once) reaches every socket by the gap checks, which read the last seq of all
the rooms' drills at once; no real time passes here: the tests run the checks themselves."""

import asyncio
import threading
from unittest import mock

import pytest
from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer

from config.websocket_server import SEND_TEXTS
from drills import rooms, services
from drills.consumers import DrillConsumer
from drills.events import group_name
from tests.drills.test_consumer import connect, drain, hello_of

pytestmark = [pytest.mark.django_db(transaction=True)]


def _finish_quietly(cast, drill, wall):
    with mock.patch("drills.events.broadcast"):  # the layer loses the drill's last event
        services.drill_finish(by=cast.instructor, drill=drill, now=wall.now())


async def test_a_lost_last_event_is_filled_by_the_checks(cast, running, wall, monkeypatch):
    reads = []
    monkeypatch.setattr(rooms, "last_seqs", lambda ids: reads.append(sorted(ids)) or real_last_seqs(ids))
    alice = await connect(running, cast.alice)
    bob = await connect(running, cast.bob)
    await hello_of(alice)
    await hello_of(bob)
    await drain(alice)
    await drain(bob)
    await database_sync_to_async(_finish_quietly)(cast, running, wall)
    watch = rooms.local_rooms()
    await watch.check()  # reads the drill's new last seq; frames may still be in flight: nothing yet
    assert await alice.receive_nothing(timeout=0.1)
    await watch.check()  # still behind it: the sockets read what they missed
    for communicator in (alice, bob):
        frame = await communicator.receive_json_from(timeout=2)
        assert frame["kind"] == "drill.finished"
        assert await communicator.receive_nothing(timeout=0.2)  # once
    await watch.check()
    assert await alice.receive_nothing(timeout=0.1)
    assert reads == [[running.pk]] * 3  # one read per check for the drill, not one per socket
    await alice.disconnect()
    await bob.disconnect()
    assert watch.task is None and not watch.rooms


real_last_seqs = rooms.last_seqs


def drill_group_calls(monkeypatch, drill_id: int) -> list[str]:
    """The layer's group_add and group_discard calls for the drill's group, as they are made."""
    layer, calls = get_channel_layer(), []

    def counting(name: str):
        real = getattr(layer, name)

        async def call(group, channel):
            if group == group_name(drill_id):
                calls.append(name)
            return await real(group, channel)

        return call

    for name in ("group_add", "group_discard"):
        monkeypatch.setattr(layer, name, counting(name))
    return calls


async def test_a_process_is_in_a_drills_group_once_whatever_its_sockets(cast, running, monkeypatch):
    calls = drill_group_calls(monkeypatch, running.pk)
    sockets = [await connect(running, user) for user in (cast.alice, cast.bob, cast.instructor)]
    for communicator in sockets:
        await hello_of(communicator)
    assert calls == ["group_add"] and len(rooms.local_rooms().rooms[running.pk].sockets) == 3
    for communicator in sockets:
        await communicator.disconnect()
    assert calls == ["group_add", "group_discard"] and not rooms.local_rooms().rooms


# ---- one socket's live frames, without a server: what it writes, what it keeps, in which order ----------------


class Socket(DrillConsumer):
    """A connected socket that records what it writes; `log` is the drill's log as its reads see it."""

    def __init__(self, *, last_seq: int, log: list[int], offered: bool = True, wake_fails: bool = False) -> None:
        super().__init__()
        self.scope = {"extensions": {SEND_TEXTS: {}} if offered else {}}
        self.last_seq, self.backlog, self.holding, self.woken = last_seq, [], 0, False
        self.log, self.writes, self.wake_fails = log, [], wake_fails
        self.during_read = None  # a coroutine to run while a read of the log is under way
        self.channel_name = "socket"
        self.channel_layer = WakeLayer(self)

    @property
    def wakes(self) -> int:
        return self.channel_layer.wakes

    async def base_send(self, message):
        self.writes.append(message.get("texts") or [message["text"]])

    async def _read_log(self, after):
        if self.during_read is not None:
            await self.during_read
            self.during_read = None
        return [(seq, f"e{seq}") for seq in self.log if seq > after]

    def sent(self) -> list[int]:
        return [int(text[1:]) for write in self.writes for text in write]


class WakeLayer:
    """The channel layer as the socket uses it: `drill.backlog` wakes sent to its own channel."""

    def __init__(self, socket: Socket) -> None:
        self.socket, self.wakes = socket, 0

    async def send(self, channel, message):
        assert (channel, message) == ("socket", {"type": "drill.backlog"})
        if self.socket.wake_fails:
            raise ChannelFull()
        self.wakes += 1


def frames(*seqs: int) -> list:
    return [[seq, f"e{seq}"] for seq in seqs]


@pytest.mark.parametrize("offered, writes", [(True, [["e5", "e6"]]), (False, [["e5"], ["e6"]])])
async def test_a_socket_next_in_line_writes_a_message_at_once(offered, writes):
    socket = Socket(last_seq=4, log=[], offered=offered)
    await socket.live(frames(3, 4, 5, 6))  # repeats first: dropped
    assert socket.writes == writes and socket.last_seq == 6 and not socket.backlog and socket.wakes == 0


async def test_a_gap_is_filled_from_the_log_by_the_sockets_task_then_the_rest_follows():
    socket = Socket(last_seq=4, log=[5, 6, 7, 8, 9])
    await socket.live(frames(5, 7, 8))  # 6 was lost
    await socket.live(frames(9))
    assert socket.sent() == [5] and socket.wakes == 1  # one wake, however many messages wait
    await socket.drill_backlog({"type": "drill.backlog"})
    assert socket.sent() == [5, 6, 7, 8, 9] and not socket.backlog
    await socket.live(frames(10))
    assert socket.sent()[-1] == 10  # written at once again


async def test_frames_that_come_while_the_socket_reads_the_log_follow_it_once():
    socket = Socket(last_seq=4, log=[5, 6])
    socket.during_read = socket.live(frames(5, 6, 7))  # 5 and 6 are in the page being read; 7 only on its way
    await socket.drill_behind({"type": "drill.behind", "seq": 6})
    assert socket.sent() == [5, 6, 7] and socket.wakes == 0 and socket.holding == 0


async def test_a_wake_that_does_not_fit_is_tried_again_by_the_next_message():
    socket = Socket(last_seq=4, log=[5, 6, 7], wake_fails=True)
    await socket.live(frames(6))
    assert socket.sent() == [] and not socket.woken
    socket.wake_fails = False
    await socket.live(frames(7))
    assert socket.woken and socket.wakes == 1
    await socket.drill_backlog({"type": "drill.backlog"})
    assert socket.sent() == [5, 6, 7]


# ---- a room puts its drill's frames in order ----------------------------------------------------------------


@pytest.fixture
def room(monkeypatch):
    """A room of drill 1 whose log holds seqs 1..20; `reads` lists each read of it as (after, limit)."""
    reads = []

    def log_read(*, drill_id, after, limit):
        reads.append((after, limit))
        return [(seq, f"e{seq}") for seq in range(after + 1, min(after + limit, 20) + 1)]

    monkeypatch.setattr(rooms, "frame_texts", log_read)
    room = rooms.Room(1)
    room.reads = reads
    return room


async def test_frames_in_order_pass_as_they_are_without_a_read(room):
    assert [seq for seq, _ in await room.in_order(frames(10, 11))] == [10, 11]  # the room's first: no gap before
    assert [seq for seq, _ in await room.in_order(frames(12))] == [12]
    assert room.reads == []


async def test_an_overtaking_frame_brings_the_gap_with_it_and_the_overtaken_are_dropped(room):
    room.last_seq = 4
    assert [seq for seq, _ in await room.in_order(frames(7))] == [5, 6, 7]
    assert await room.in_order(frames(5, 6)) == []
    assert [seq for seq, _ in await room.in_order(frames(9, 8))] == [8, 9]  # merged out of order: sorted
    assert room.reads == [(4, 3)]


async def test_a_gap_inside_the_rooms_first_message_is_read_too(room):
    assert [seq for seq, _ in await room.in_order(frames(10, 12))] == [10, 11, 12]
    assert room.reads == [(9, 3)]


async def test_a_gap_read_does_not_wait_behind_the_sockets_reads(room):
    """In a reconnect storm hundreds of connects queue on the sockets' read threads; a room's gap read, which every
    socket of the drill waits for, runs on a thread of its own."""
    from drills.consumers import socket_read_executor

    release = threading.Event()
    busy = [socket_read_executor().submit(release.wait, 10) for _ in range(8)]  # every read thread, and a queue
    try:
        room.last_seq = 4
        texts = await asyncio.wait_for(room.in_order(frames(6)), 2)
        assert [seq for seq, _ in texts] == [5, 6]
    finally:
        release.set()
        for future in busy:
            future.result(5)
