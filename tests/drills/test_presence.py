"""seat.joined / seat.left with a grace period for reconnects, on a fake clock: a pending leave's grace period is
over when the test moves the clock, never by waiting for real time."""

import asyncio
import threading
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async
from django.core.cache import cache

from drills import presence
from drills.events import events_after
from tests.drills.test_consumer import connect, frames_until_ack, hello_of

pytestmark = [pytest.mark.django_db(transaction=True)]
GRACE_S = 2.0
ROLES = ["reviewer", "legal"]


class GraceClock:
    """`asyncio.sleep` as drills.presence sees it: sleepers wake when `advance` moves the clock past their time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeping: list[tuple[float, asyncio.Future]] = []

    async def sleep(self, seconds: float) -> None:
        woken = asyncio.get_running_loop().create_future()
        self.sleeping.append((self.now + seconds, woken))
        await woken

    async def advance(self, seconds: float) -> None:
        await _ticks()  # leaves that were just asked for start their wait first
        self.now += seconds
        for entry in [entry for entry in self.sleeping if entry[0] <= self.now]:
            self.sleeping.remove(entry)
            if not entry[1].done():  # else its sleeper was cancelled (a shutdown)
                entry[1].set_result(None)
        await _ticks()


async def _ticks(count: int = 5) -> None:
    for _ in range(count):
        await asyncio.sleep(0)  # lets the woken tasks run their next steps; no time passes


@pytest.fixture
def grace(monkeypatch, settings):
    settings.DRILL_PRESENCE_GRACE_S = GRACE_S
    clock = GraceClock()
    monkeypatch.setattr(presence, "asyncio", SimpleNamespace(**{**vars(asyncio), "sleep": clock.sleep}))
    monkeypatch.setattr(presence, "_now", lambda: clock.now)  # the hand-over deadlines, on the same clock
    return clock


@pytest.fixture
def one_process(monkeypatch):
    """The cache is this process's memory (the embedded profile): no other server could take a leave over."""
    monkeypatch.setattr(presence, "_shared", lambda: False)


@pytest.fixture
def shared(monkeypatch):
    """The cache is shared by every server process (Redis in the services profile; here the test's own cache
    stands in for it, whichever it is)."""
    monkeypatch.setattr(presence, "_shared", lambda: True)


def pending(drill, user) -> bool:
    """A leave of `user` waits (its grace period, or sockets still connecting) and has not started its write."""
    return (drill.pk, user.pk) in presence._leaving


@contextmanager
def another_process():
    """Inside: drills.presence with the memory of a second server process (no timers, no sockets of its own);
    the cache, shared by the processes of the services profile, stays the same."""
    names = ("_leaving", "_open", "_connecting", "_settled", "_seen_last", "_stopped")
    own = {name: getattr(presence, name) for name in names}
    for name in names:
        setattr(presence, name, type(own[name])())
    try:
        yield
    finally:
        for name in names:
            setattr(presence, name, own[name])


async def leaves_done() -> None:
    if presence._tasks:
        await asyncio.wait(list(presence._tasks), timeout=5)  # a bound, not a wait: the writes take milliseconds


def _seat_events(drill) -> list[tuple[str, int]]:
    return [(f["kind"], f["data"]["user"]) for f in events_after(drill=drill, after=0) if f["kind"].startswith("seat.")]


async def seat_events(drill) -> list[tuple[str, int]]:
    return await database_sync_to_async(_seat_events)(drill)


async def test_a_reconnect_within_the_grace_period_is_not_a_leave(cast, running, grace, settings):
    alice = await connect(running, cast.alice)
    await hello_of(alice)
    assert (await alice.receive_json_from(timeout=2))["kind"] == "seat.joined"  # hers, logged before bob's
    bob = await connect(running, cast.bob)
    await hello_of(bob)
    await bob.disconnect()
    await grace.advance(GRACE_S - 0.1)
    bob = await connect(running, cast.bob)
    await hello_of(bob)
    await bob.send_json_to({"action": "replay", "after": 10_000, "ref": "done"})
    await frames_until_ack(bob, "done")  # its connect has finished: the pending leave was taken over
    assert not pending(running, cast.bob)
    joined = [("seat.joined", cast.alice.pk), ("seat.joined", cast.bob.pk)]
    assert await seat_events(running) == joined
    settings.DRILL_PRESENCE_GRACE_S = 0
    await bob.disconnect()
    await alice.disconnect()
    assert await seat_events(running) == [*joined, ("seat.left", cast.bob.pk), ("seat.left", cast.alice.pk)]


async def test_a_leave_is_logged_once_the_grace_period_is_over(cast, running, grace, settings):
    alice = await connect(running, cast.alice)
    await hello_of(alice)
    assert (await alice.receive_json_from(timeout=2))["kind"] == "seat.joined"
    bob = await connect(running, cast.bob)
    await hello_of(bob)
    assert (await alice.receive_json_from(timeout=2))["kind"] == "seat.joined"
    await bob.disconnect()
    await grace.advance(GRACE_S - 0.1)
    assert pending(running, cast.bob)
    await grace.advance(0.1)
    left = await alice.receive_json_from(timeout=2)
    assert (left["kind"], left["data"]["user"]) == ("seat.left", cast.bob.pk)
    settings.DRILL_PRESENCE_GRACE_S = 0
    await alice.disconnect()


async def test_a_leave_waits_for_the_sockets_of_its_drill_still_connecting(cast, running, grace):
    """A reconnect that arrived within the grace period but is processed after it (a busy server) is no leave."""
    await presence.seat_left(drill=running, user=cast.bob, roles=ROLES)  # bob's socket dropped
    with presence.connecting(running.pk):  # ... and his new one arrived, its user not known yet
        await grace.advance(GRACE_S)
        assert pending(running, cast.bob)
        await presence.seat_joined(drill=running, user=cast.bob, roles=ROLES)
    await leaves_done()
    assert await seat_events(running) == []  # no seat.left, no second seat.joined

    await presence.seat_left(drill=running, user=cast.bob, roles=ROLES)
    with presence.connecting(running.pk):  # somebody else's socket: bob's leave is logged once it is in
        await grace.advance(GRACE_S)
        assert pending(running, cast.bob)
    await leaves_done()
    assert await seat_events(running) == [("seat.left", cast.bob.pk)]


async def alice_in_bob_leaving(running, cast):
    """Alice's socket, open; Bob's closed, his leave in its grace period."""
    alice = await connect(running, cast.alice)
    await hello_of(alice)
    bob = await connect(running, cast.bob)
    await hello_of(bob)
    await bob.disconnect()
    return alice


async def test_a_lone_server_writes_at_shutdown_the_pending_leaves_and_those_of_the_sockets_it_cuts(
    cast, running, grace, settings, one_process
):
    alice = await alice_in_bob_leaving(running, cast)  # alice's socket is still open when the server stops
    assert pending(running, cast.bob)
    await presence.flush_leaves()
    left = sorted(user for kind, user in await seat_events(running) if kind == "seat.left")
    assert left == sorted([cast.alice.pk, cast.bob.pk])
    assert not presence._open and not presence._leaving
    settings.DRILL_PRESENCE_GRACE_S = 0  # the test's own disconnect: a real shutdown's process is gone by then
    await alice.disconnect()


async def test_a_socket_back_on_another_process_within_the_grace_period_is_not_a_leave(cast, running, grace):
    await presence.seat_left(drill=running, user=cast.bob, roles=ROLES)  # bob's socket on this process dropped
    with another_process():
        await presence.seat_joined(drill=running, user=cast.bob, roles=ROLES)  # ... and came back on the other
    await grace.advance(GRACE_S)
    await leaves_done()
    assert await seat_events(running) == []  # no seat.left here, no second seat.joined there

    with another_process():  # and the other way round: his socket there drops and comes back here
        await presence.seat_left(drill=running, user=cast.bob, roles=ROLES)
        tasks = set(presence._tasks)
    await presence.seat_joined(drill=running, user=cast.bob, roles=ROLES)
    await grace.advance(GRACE_S)
    await asyncio.wait(tasks, timeout=5)
    assert await seat_events(running) == []


async def test_a_leave_taken_over_on_no_process_is_written_once(cast, running, grace):
    await presence.seat_left(drill=running, user=cast.bob, roles=ROLES)
    await grace.advance(GRACE_S)
    await leaves_done()
    with another_process():  # back after the grace period, on the other process: a new seat.joined
        await presence.seat_joined(drill=running, user=cast.bob, roles=ROLES)
    assert await seat_events(running) == [("seat.left", cast.bob.pk), ("seat.joined", cast.bob.pk)]


async def test_a_lone_server_writes_at_shutdown_no_leave_that_another_process_took_over(
    cast, running, grace, one_process
):
    await presence.seat_left(drill=running, user=cast.bob, roles=ROLES)
    await presence.seat_left(drill=running, user=cast.alice, roles=ROLES)
    with another_process():  # bob came back on the other process; alice did not
        await presence.seat_joined(drill=running, user=cast.bob, roles=ROLES)
    await _ticks()  # both timers are counting
    await presence.flush_leaves()  # this process stops within their grace periods
    assert await seat_events(running) == [("seat.left", cast.alice.pk)]


async def joined_on_another_process(drill, user) -> None:
    """A socket of `user` opened on the other server process, its connect finished."""
    with another_process():
        socket = await connect(drill, user)
        await hello_of(socket)
        await socket.send_json_to({"action": "replay", "after": 10_000, "ref": "in"})
        await frames_until_ack(socket, "in")
    return socket


async def test_a_stopping_server_hands_its_leaves_to_the_server_its_sockets_come_back_to(
    cast, running, grace, settings, shared
):
    """A rolling restart: every socket of the stopping server is back on the other within the grace period."""
    alice = await alice_in_bob_leaving(running, cast)  # alice's socket is open when the server stops
    await grace.advance(GRACE_S / 2)
    await presence.flush_leaves()
    joined = [("seat.joined", cast.alice.pk), ("seat.joined", cast.bob.pk)]
    assert await seat_events(running) == joined  # nothing written by the stopping server
    back = [await joined_on_another_process(running, user) for user in (cast.alice, cast.bob)]
    await grace.advance(GRACE_S)
    with another_process():
        await presence.sweep()
    assert await seat_events(running) == joined  # no seat.left, no second seat.joined
    settings.DRILL_PRESENCE_GRACE_S = 0  # the test's own disconnects: a real shutdown's process is gone by then
    for socket in (alice, *back):
        await socket.disconnect()


async def test_a_leave_handed_over_is_written_once_when_nobody_comes_back_in_time(cast, running, grace, shared):
    await presence.seat_left(drill=running, user=cast.bob, roles=ROLES)  # bob's socket dropped 1 s before the stop
    await grace.advance(1.0)
    presence._open[(running.pk, cast.alice.pk)] = [(running, cast.alice, ROLES)]  # alice's is cut by the stop
    await presence.flush_leaves()
    await grace.advance(GRACE_S - 1.1)  # bob's grace period is not over yet
    with another_process():
        await presence.sweep()
    assert await seat_events(running) == []
    await grace.advance(0.1)  # bob's is over, alice's is not
    with another_process():
        await presence.sweep()
    assert await seat_events(running) == [("seat.left", cast.bob.pk)]
    await grace.advance(1.0)
    for _ in range(2):  # two other servers sweep: one of them writes it
        with another_process():
            await presence.sweep()
    assert await seat_events(running) == [("seat.left", cast.bob.pk), ("seat.left", cast.alice.pk)]
    with another_process():  # alice back later: a seat.joined of her own
        await presence.seat_joined(drill=running, user=cast.alice, roles=ROLES)
    assert (await seat_events(running))[-1] == ("seat.joined", cast.alice.pk)


async def test_a_handed_over_leave_waits_for_the_sockets_of_its_drill_still_connecting(cast, running, grace, shared):
    presence._open[(running.pk, cast.bob.pk)] = [(running, cast.bob, ROLES)]
    await presence.flush_leaves()
    with another_process(), presence.connecting(running.pk):  # bob's new socket arrived in time, not yet known
        await grace.advance(GRACE_S)
        await presence.sweep()
        assert await seat_events(running) == []
        await presence.seat_joined(drill=running, user=cast.bob, roles=ROLES)
    with another_process():
        await presence.sweep()
    assert await seat_events(running) == []


async def test_a_sweep_between_a_hand_over_s_number_and_its_entry_does_not_skip_it(cast, running, grace, shared):
    """A stopping server takes an entry number, then writes the entry: another server may sweep in between."""
    presence._pend((running.pk, cast.bob.pk))
    cache.add(presence._LAST, 0)
    number = cache.incr(presence._LAST)
    with another_process():
        await presence.sweep()
    cache.set(presence._entry_key(number), (grace.now, running.pk, cast.bob.pk, ROLES))
    with another_process():
        await presence.sweep()
    assert await seat_events(running) == [("seat.left", cast.bob.pk)]


async def test_a_socket_that_joins_a_stopping_server_after_its_hand_over_is_handed_over_too(
    cast, running, grace, shared
):
    await presence.flush_leaves()  # the server stops; its port takes one more socket before it closes
    await presence.seat_joined(drill=running, user=cast.bob, roles=ROLES)
    assert await seat_events(running) == [("seat.joined", cast.bob.pk)]
    await grace.advance(GRACE_S)  # bob was not back in time: another server writes his leave
    with another_process():
        await presence.sweep()
    assert await seat_events(running) == [("seat.joined", cast.bob.pk), ("seat.left", cast.bob.pk)]


@contextmanager
def held(monkeypatch, name: str, when=lambda *args, **kwargs: True):
    """drills.presence's `name` (a function run on a thread) waits, where `when` holds, until the test lets it go;
    `entered` is set once a call is waiting."""
    entered, go, original = threading.Event(), threading.Event(), getattr(presence, name)

    def waiting(*args, **kwargs):
        if when(*args, **kwargs):
            entered.set()
            go.wait(5)
        return original(*args, **kwargs)

    monkeypatch.setattr(presence, name, waiting)
    try:
        yield SimpleNamespace(entered=entered, go=go)
    finally:
        go.set()


async def test_a_leave_whose_consumer_the_stop_cancels_while_it_is_counted_is_written_once(
    cast, running, grace, monkeypatch, one_process
):
    """Daphne cancels its consumers when it stops: one cancelled in seat_left, its leave not yet counted."""
    with held(monkeypatch, "_pend") as pend:
        leaving = asyncio.create_task(presence.seat_left(drill=running, user=cast.bob, roles=ROLES))
        await asyncio.to_thread(pend.entered.wait, 5)
        leaving.cancel()
        flushed = asyncio.create_task(presence.flush_leaves())
        await _ticks()
        pend.go.set()
        await flushed
    assert await seat_events(running) == [("seat.left", cast.bob.pk)]


async def test_a_join_that_the_stop_overtakes_is_cut_once(cast, running, grace, monkeypatch, one_process):
    """The stop comes while the socket's seat.joined is being written: flush_leaves cuts it, seat_joined not again."""
    with held(monkeypatch, "seat_presence", lambda **kwargs: kwargs["joined"]) as join:
        joining = asyncio.create_task(presence.seat_joined(drill=running, user=cast.bob, roles=ROLES))
        await asyncio.to_thread(join.entered.wait, 5)
        flushed = asyncio.create_task(presence.flush_leaves())
        await _ticks()
        join.go.set()
        await asyncio.gather(joining, flushed)
    assert await seat_events(running) == [("seat.joined", cast.bob.pk), ("seat.left", cast.bob.pk)]
