"""The suite's websocket client: bench.room_clients.DrillClient (the sign-in's session cookie, `?after=` on its
first socket as the page does), which also counts every frame it gets and, when its socket ends, joins the other
server and sends `replay {after: last seen}` after the hello.

A client hands seqs on in order. It counts as *repeated* every frame whose seq it already got, on any of its
sockets (a server that re-sends what a socket carried, or what the client asked to skip). A frame above the next
seq is kept until the ones before it come: PROTOCOL.md section 3 lets live frames after the `hello` arrive before a
`replay`'s. A seq of the drill's log the client never got is *lost*.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from dataclasses import dataclass

from bench import room_clients
from bench.room_clients import DrillClient, Http


@dataclass
class Server:
    """What DrillClient reads off its `bench`: the port it connects to, and the HTTP client holding the cookies."""

    port: int
    http: Http


class FaultClient(DrillClient):
    def __init__(self, servers: list[Server], index: int, drill_id: int, user: str) -> None:
        self.servers, self.server_index = servers, index % len(servers)
        # The first socket as the page's: `?after=0` on the handshake. After a fault, `replay {after: last seen}`.
        super().__init__(servers[self.server_index], drill_id, user, resume=True)
        self.seen: Counter[int] = Counter()
        self.ahead: set[int] = set()
        self.handed_at: dict[int, float] = {}  # seq -> when it was handed on
        self.reconnects = 0
        self.closing = False
        self.keeper: asyncio.Task | None = None

    async def open(self) -> None:
        await self.join(self.bench.http)
        self.keeper = asyncio.create_task(self._keep_connected())

    async def _keep_connected(self) -> None:
        """Whenever the socket ends other than by `close`, joins again on the next server and replays."""
        while True:
            await asyncio.wait({self.ws.closed})
            if self.closing:
                return
            self.reconnects += 1
            self.forget_ahead()
            self.server_index = (self.server_index + 1) % len(self.servers)
            self.bench = self.servers[self.server_index]
            self.resume = False
            try:
                await self.join(self.bench.http)
            except room_clients.FAILURES:
                continue  # join already waited out its backoff; try the other server again

    def forget_ahead(self) -> None:
        """Frames kept but not handed on: the next socket's replay sends them again, as asked, not as a repeat."""
        for seq in self.ahead:
            self.seen[seq] -= 1
        self.ahead.clear()

    async def shut(self) -> None:
        self.closing = True
        if self.keeper is not None:
            self.keeper.cancel()
        if self.ws is not None:
            with contextlib.suppress(room_clients.FAILURES):
                await self.close()

    def _event(self, frame: dict, now: float) -> None:
        seq = frame["seq"]
        self.seen[seq] += 1
        if self.seen[seq] > 1:
            self.repeats += 1
            return
        if seq > self.last_seq + 1:
            self.gap_frames += 1
            self.ahead.add(seq)
            return
        self._hand_on(seq, now)
        while self.last_seq + 1 in self.ahead:
            self.ahead.discard(self.last_seq + 1)
            self._hand_on(self.last_seq + 1, now)
        self._check_caught_up(now)

    def _hand_on(self, seq: int, now: float) -> None:
        self.last_seq = seq
        self.handed_at[seq] = now
        if self.waiter is not None and seq >= self.waiter[0]:
            self.waiter[1].set_result(now)
            self.waiter = None

    def lost(self, final_seq: int) -> int:
        return sum(1 for seq in range(1, final_seq + 1) if not self.seen[seq])

    def reached(self, seq: int) -> float | None:
        """When this client had handed on every seq up to `seq`; None if it never did."""
        return self.handed_at.get(seq)


async def wait_all(clients: list[FaultClient], final: dict[int, int], limit_s: float) -> None:
    """Waits (bounded) until every client has its drill's final seq."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if all(c.last_seq >= final[c.drill_id] for c in clients):
            return
        await asyncio.sleep(0.2)
