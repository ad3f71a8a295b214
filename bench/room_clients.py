"""The clients of bench/room.py: HTTP to the server (sign-in, tickets, drill state), the drill socket client
written like drill-room-socket.js, and the client of the bare fan-out consumer (bench/room_asgi.py)."""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import random
import time
import urllib.request
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

from bench import room_socket

if TYPE_CHECKING:
    from bench.room_load import Bench

USERS = ("instructor", "alice", "bob", "carol", "dan", "eve")  # client i of a room signs in as USERS[i % 6]
CLOSE_WAIT_S = 2.0  # the longest a client waits for the server's side of the closing handshake
WAIT_S = 15.0  # the longest a wait for frames lasts
ACTION_WAIT_S = 30.0  # the longest an instructor action may take to be acknowledged
CONNECT_WAIT_S = 60.0  # the longest a connection may take to be caught up (storms of hundreds queue up)
BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)  # drill-room-socket.js BACKOFF_MS, with its 30% jitter


class BenchFailed(Exception):
    """The server answered something the load cannot go on from."""


FAILURES = (BenchFailed, TimeoutError, ConnectionError, OSError)  # what ends a phase (or a connect try)


# ---- HTTP (sign-in, tickets, drill state) ---------------------------------------------------------------


class Http:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}/api"
        self.tokens: dict[str, str] = {}
        self.cookies: dict[str, str] = {}  # user -> `sessionid=...`, the browser's session cookie
        self.gate = asyncio.Semaphore(16)

    def _call(self, method: str, path: str, user: str | None = None, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if user is not None:
            request.add_header("Authorization", f"Token {self.tokens[user]}")
        with urllib.request.urlopen(request, timeout=30) as response:
            if path == "/auth/login/":  # sign-in also opens a session, as in the browser: keep its cookie
                cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
                self.cookies[body["username"]] = next((c for c in cookies if c.startswith("sessionid=")), "")
            return json.loads(response.read() or b"{}")

    async def call(self, method: str, path: str, user: str | None = None, body: dict | None = None) -> dict:
        async with self.gate:
            return await asyncio.to_thread(self._call, method, path, user, body)

    async def sign_in(self, password: str) -> None:
        for user in USERS:
            answer = await self.call("POST", "/auth/login/", body={"username": user, "password": password})
            self.tokens[user] = answer["token"]
            if not self.cookies.get(user):
                raise BenchFailed("the sign-in set no session cookie")

    async def tickets(self, clients) -> list[str]:
        answers = await asyncio.gather(
            *(self.call("POST", f"/drills/{c.drill_id}/ticket/", user=c.user) for c in clients)
        )
        return [answer["ticket"] for answer in answers]


# ---- clients --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)  # the events of one engine step or action share their `at`
def epoch(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


class DrillClient:
    """One browser tab: session cookie, connect `?after=` its last seq, seqs in order, `replay` on a gap.

    `resume=False` connects without `after` and sends `replay {after: 0}` after the hello (the replay phase,
    and clients other than the browser's)."""

    refs = itertools.count(1)

    def __init__(self, bench: Bench, drill_id: int, user: str, *, resume: bool = True) -> None:
        self.bench, self.drill_id, self.user, self.resume = bench, drill_id, user, resume
        self.ws = None
        self.last_seq = 0
        self.hello_seq: int | None = None
        self.replay_ref = None
        self.replay_sent_at = self.replay_acked_at = None
        self.repeats = self.gap_frames = self.errors = self.retries = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.waiter: tuple[int, asyncio.Future] | None = None
        self.caught_up: asyncio.Future | None = None

    async def connect(self, ticket: str | None = None) -> float:
        """Connects and returns once it has every event up to its hello's seq (the time it got there).

        Without a ticket, as the browser does: the session cookie and the page's Origin on the handshake."""
        started = time.time()
        loop = asyncio.get_running_loop()
        self.caught_up = loop.create_future()
        self.hello_seq = None
        query = [f"ticket={ticket}"] if ticket else []
        if self.resume:
            query.append(f"after={self.last_seq}")
        url = f"ws://127.0.0.1:{self.bench.port}/ws/drills/{self.drill_id}/?{'&'.join(query)}"
        headers = {"Origin": f"http://127.0.0.1:{self.bench.port}"}
        if not ticket:
            headers["Cookie"] = self.bench.http.cookies[self.user]
        await room_socket.connect(url, self, headers=headers, wait_s=CONNECT_WAIT_S)
        remaining_s = max(CONNECT_WAIT_S - (time.time() - started), 0.1)
        return await asyncio.wait_for(asyncio.shield(self.caught_up), remaining_s)

    async def join(self, http: Http) -> float:
        """As the browser: the socket with the cookie, on failure a retry with backoff (within CONNECT_WAIT_S)."""
        deadline = time.monotonic() + CONNECT_WAIT_S
        for attempt in itertools.count():
            try:
                return await self.connect()
            except FAILURES as exc:
                self.retries += 1
                base = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)]
                pause_s = base + random.random() * base * 0.3
                if time.monotonic() + pause_s >= deadline:
                    raise ConnectionError(f"not caught up within {CONNECT_WAIT_S:g} s: {exc!r}") from exc
                await asyncio.sleep(pause_s)
        raise AssertionError("unreachable")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close(CLOSE_WAIT_S)

    async def action(self, action: str, **fields) -> dict:
        return await asyncio.wait_for(self.send_action(action, **fields), ACTION_WAIT_S)

    def send_action(self, action: str, **fields) -> asyncio.Future:
        ref = next(self.refs)
        future = self.pending[ref] = asyncio.get_running_loop().create_future()
        self.ws.send(json.dumps({"action": action, "ref": ref, **fields}))
        return future

    def wait_for_seq(self, seq: int) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        if self.last_seq >= seq:
            future.set_result(time.time())
        else:
            self.waiter = (seq, future)
        return future

    def _replay(self) -> None:
        self.replay_ref = next(self.refs)
        self.replay_sent_at = time.time()
        self.ws.send(json.dumps({"action": "replay", "after": self.last_seq, "ref": self.replay_ref}))

    # ---- the socket's callbacks (bench.room_socket.Client) ----

    def opened(self, socket: room_socket.Socket) -> None:
        self.ws = socket

    def text(self, text: str) -> None:
        now = time.time()
        frame = json.loads(text)
        kind = frame.get("type")
        if kind == "event":
            self._event(frame, now)
        elif kind == "hello":
            self.hello_seq = frame["seq"]
            if not self.resume:
                self._replay()
            self._check_caught_up(now)
        elif kind in ("ack", "error"):
            self._answer(frame, now)

    def closed(self, code: int) -> None:
        if self.caught_up is not None and not self.caught_up.done():
            # Closed before it caught up, e.g. 4401 for a ticket that expired (60 s) before it was used.
            self.caught_up.set_exception(ConnectionError(f"closed with code {code} before catching up"))

    def _answer(self, frame: dict, now: float) -> None:
        self.errors += frame["type"] == "error"
        if frame.get("ref") == self.replay_ref:
            self.replay_ref, self.replay_acked_at = None, now
        future = self.pending.pop(frame.get("ref"), None)
        if future is not None and not future.done():
            future.set_result(frame)

    def _event(self, frame: dict, now: float) -> None:
        seq = frame["seq"]
        if seq <= self.last_seq:
            self.repeats += 1  # dropped, as the browser client drops it
            return
        if seq > self.last_seq + 1:
            self.gap_frames += 1  # a gap: ask for everything after the last seq handed on
            if self.replay_ref is None:
                self._replay()
            return
        self.last_seq = seq
        if self.hello_seq is not None and seq > self.hello_seq:
            data = frame["data"]
            self.bench.record(frame["kind"], data.get("burst_index") is not None, (now - epoch(frame["at"])) * 1000)
        if self.waiter is not None and seq >= self.waiter[0]:
            self.waiter[1].set_result(now)
            self.waiter = None
        self._check_caught_up(now)

    def _check_caught_up(self, now: float) -> None:
        if self.hello_seq is not None and self.last_seq >= self.hello_seq and not self.caught_up.done():
            self.caught_up.set_result(now)


class BareClient:
    """A socket on the bare fan-out consumer: counts every frame of every round, notes its latency."""

    def __init__(self, bench: Bench, group: str) -> None:
        self.bench, self.group = bench, group
        self.ws = None
        self.seen: Counter[int] = Counter()
        self.waiter: tuple[set[int], asyncio.Future] | None = None

    async def connect(self) -> None:
        url = f"ws://127.0.0.1:{self.bench.port}/ws/bare/{self.group}/"
        await room_socket.connect(url, self, headers={}, wait_s=CONNECT_WAIT_S)

    async def close(self) -> None:
        await self.ws.close(CLOSE_WAIT_S)

    def wait_for(self, numbers: set[int]) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.waiter = (set(numbers) - set(self.seen), future)
        if not self.waiter[0]:
            future.set_result(time.time())
        return future

    # ---- the socket's callbacks (bench.room_socket.Client) ----

    def opened(self, socket: room_socket.Socket) -> None:
        self.ws = socket

    def text(self, text: str) -> None:
        now = time.time()
        frame = json.loads(text)
        self.seen[frame["n"]] += 1
        self.bench.record_bare((now - epoch(frame["at"])) * 1000)
        if self.waiter is not None:
            self.waiter[0].discard(frame["n"])
            if not self.waiter[0] and not self.waiter[1].done():
                self.waiter[1].set_result(now)

    def closed(self, code: int) -> None:
        pass
