"""Two Daphne processes on the test database and Redis (the services topology without its balancer): a drill's
events reach the sockets of both, in order and exactly once; a socket that moves from one to the other within the
grace period logs no seat.left / seat.joined pair, also when it is cut by a server that stops (SIGTERM, as in a
rolling restart); a ticket redeemed on one is refused on the other."""

import asyncio
import json
import os
import signal
import sys
import uuid
from collections import Counter
from contextlib import suppress
from types import SimpleNamespace

import pytest
import websockets
from channels.db import database_sync_to_async
from django.conf import settings

from bench import common
from bench.room import server_ready
from drills.consumers import CLOSE_UNAUTHENTICATED
from drills.events import events_after
from drills.tickets import ticket_issue
from tests.drills.test_celery_driver import database_url

pytestmark = [
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")),
        reason="needs the services profile (DATABASE_URL and REDIS_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]
FIRST_PORT = 8395  # this suite's own, two per xdist worker; `make cluster` uses 8390-8392
GRACE_S = 3
SAYS = 20


@pytest.fixture
def ports(worker_id) -> tuple[int, int]:
    """Two ports of this xdist worker's own: this module's tests may run at once on two workers."""
    index = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    return FIRST_PORT + 2 * index, FIRST_PORT + 2 * index + 1


@pytest.fixture
def servers(tmp_path, ports):
    """Both processes share this test's database and its Redis database (the cache that holds the tickets and
    the pending leaves, the channel layer); no engine runs in them (the drill moves by its people's actions)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.CACHES["default"]["LOCATION"],
        "DRILL_ENGINE": "celery",
        "CELERY_QUEUE": f"test-{uuid.uuid4().hex[:8]}",  # its wake-ups are for no worker
        "DRILL_PRESENCE_GRACE_S": str(GRACE_S),
        "DRILL_ACTIONS_PER_MINUTE": "100000",
    }
    cmd = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", "{port}", "config.asgi:application"]
    procs = [
        common.spawn([part.format(port=port) for part in cmd], env, tmp_path / f"daphne-{port}.log") for port in ports
    ]
    try:
        for port, proc in zip(ports, procs, strict=True):
            assert server_ready(port, proc), (tmp_path / f"daphne-{port}.log").read_text()[-3000:]
        yield SimpleNamespace(ports=ports, procs=procs)
    finally:
        for proc in procs:
            common.stop(proc, grace_s=5)


class Socket:
    """One drill socket on one server: every event frame it gets, and the acks of its actions."""

    def __init__(self, ws, hello: dict) -> None:
        self.ws, self.hello = ws, hello
        self.seqs: list[int] = []
        self.acks: set[str] = set()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        with suppress(websockets.ConnectionClosedError):  # cut by a server that stops
            await self._frames()

    async def _frames(self) -> None:
        async for raw in self.ws:
            frame = json.loads(raw)
            if frame["type"] == "event":
                self.seqs.append(frame["seq"])
            elif frame["type"] == "ack":
                self.acks.add(frame["ref"])

    async def close(self) -> None:
        await self.ws.close()
        await self.reader


async def open_socket(port: int, drill, user=None, *, ticket: str | None = None):
    """The socket after its hello; or the close code if the server refused it."""
    if ticket is None:
        ticket = await database_sync_to_async(ticket_issue)(user=user, drill=drill)
    url = f"ws://127.0.0.1:{port}/ws/drills/{drill.pk}/?ticket={ticket}"
    ws = await websockets.connect(url, origin=f"http://127.0.0.1:{port}")
    try:
        hello = json.loads(await asyncio.wait_for(ws.recv(), 10))
    except websockets.ConnectionClosed as closed:
        return closed.rcvd.code
    assert hello["type"] == "hello"
    return Socket(ws, hello)


async def until(condition, timeout_s: float = 15.0) -> None:
    """A bound, not a wait: returns as soon as `condition()` holds."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def _seat_counts(drill) -> Counter:
    return Counter(
        (f["kind"], f["data"]["user"]) for f in events_after(drill=drill, after=0) if f["kind"].startswith("seat.")
    )


async def test_two_server_processes_share_the_drill_its_presence_and_its_tickets(cast, running, servers):
    a, b = servers.ports
    alice = await open_socket(a, running, cast.alice)
    bob = await open_socket(b, running, cast.bob)
    ines = await open_socket(b, running, cast.instructor)
    sockets = [alice, bob, ines]

    for index in range(SAYS):  # alice speaks on server A; her events reach B's sockets through Redis
        await alice.ws.send(json.dumps({"action": "say", "text": f"message {index}", "ref": f"say-{index}"}))
    await until(lambda: f"say-{SAYS - 1}" in alice.acks)
    last = await database_sync_to_async(lambda: type(running).objects.get(pk=running.pk).seq)()
    await until(lambda: all(s.seqs and s.seqs[-1] == last for s in sockets))
    for socket in sockets:  # every event after its hello, in order, exactly once
        assert socket.seqs == list(range(socket.hello["seq"] + 1, last + 1))

    await bob.close()  # bob's socket on B drops and comes back on A within the grace period
    bob = await open_socket(a, running, cast.bob)
    await asyncio.sleep(GRACE_S + 1)  # the leave's grace period, as B's timer counts it, is over
    counts = await database_sync_to_async(_seat_counts)(running)
    assert (counts[("seat.joined", cast.bob.pk)], counts[("seat.left", cast.bob.pk)]) == (1, 0)

    ticket = await database_sync_to_async(ticket_issue)(user=cast.olivia, drill=running)
    olivia = await open_socket(a, running, ticket=ticket)
    assert await open_socket(b, running, ticket=ticket) == CLOSE_UNAUTHENTICATED  # single use on any process
    for socket in (alice, bob, ines, olivia):
        await socket.close()


async def test_a_stopping_server_s_sockets_move_to_the_other_without_a_presence_pair(cast, running, servers):
    """A rolling restart's first half: server A gets SIGTERM; the sockets it cuts come back on B within the grace
    period (no seat.left, no second seat.joined), and the one that does not come back is written once, by B."""
    a, b = servers.ports
    on_a = {user: await open_socket(a, running, user) for user in (cast.alice, cast.bob, cast.olivia)}
    ines = await open_socket(b, running, cast.instructor)
    for _ in range(100):  # a bound, not a wait: until the four joins are logged
        if sum((await database_sync_to_async(_seat_counts)(running)).values()) == 4:
            break
        await asyncio.sleep(0.05)
    servers.procs[0].send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(servers.procs[0].wait, 30) == 0
    await asyncio.wait([socket.reader for socket in on_a.values()], timeout=10)  # cut by the server
    back = [await open_socket(b, running, user) for user in (cast.alice, cast.bob)]  # olivia does not come back
    await asyncio.sleep(GRACE_S + 2)  # the grace period, and B's sweep of what A handed over (every second)
    counts = await database_sync_to_async(_seat_counts)(running)
    for user in (cast.alice, cast.bob):
        assert (counts[("seat.joined", user.pk)], counts[("seat.left", user.pk)]) == (1, 0)
    assert (counts[("seat.joined", cast.olivia.pk)], counts[("seat.left", cast.olivia.pk)]) == (1, 1)
    for socket in (ines, *back):
        await socket.close()
