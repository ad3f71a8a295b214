"""Drill room benchmark (issue 6): many websocket clients on the real ASGI server (Daphne) on 127.0.0.1.

For each room layout (default: 1 drill x 50 clients, and 20 drills x 25 clients) and database profile:
- scenario: the drills run at speed 100 through the checkout burst (40 items); inject-to-client latency
  = client receive time - the event's `at` (the wall moment its service ran; same machine clock), for
  live events, p50/p99, all events and the burst items alone; deliveries/s; server CPU;
- fan-out, ours against a bare baseline on the same server in the same run: rounds of 40 manual injects
  (dealt over the layout's drills) sent back to back by each instructor's socket (each one transaction +
  one group_send + our consumer), interleaved with rounds of 40 frames through a bare Channels consumer
  that only does `group_send` (bench/room_asgi.py); deliveries/s = frames x clients / time until the
  last client has them all;
- reconnect storm: every client drops within one second and reconnects as drill-room-socket.js does: the
  session cookie on the handshake (no ticket request), `?after=` its last seq, retrying with the browser's
  backoff; seconds until each one is caught up;
- exactly once: every client must hand on every seq of its drill once, in order, with nothing missing
  (frames the server repeats are dropped as the browser client drops them, and counted);
- replay: one client replays a log of 10,000 events (`replay {after: 0}` until its ack).
Targets: p99 < 100 ms for 50 clients during a 40-item burst; our fan-out >= 60% of the bare one; every
client caught up within 5 s of the storm; replay of 10,000 events to one client < 0.5 s.

    .venv/bin/python -m bench.room                        # embedded profile, default sizes (~3 min)
    .venv/bin/python -m bench.room --profile all          # embedded, then services (~10 min)
    .venv/bin/python -m bench.room --profile embedded --rooms 1x10 --rounds 2 --replay-events 1000
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import signal
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path

from bench import common

TARGET_BURST_P99_MS = 100.0
TARGET_FANOUT_RATIO = 0.6
TARGET_STORM_S = 5.0
TARGET_REPLAY_S = 0.5
SPEED = 100.0
BURST_SCENARIO = "Checkout outage on Black Friday"  # its pile-on is the 40-item burst of the target
USERS = ("instructor", "alice", "bob", "carol", "dan", "eve")  # client i of a room signs in as USERS[i % 6]
WS_OPTIONS = {"max_size": None, "max_queue": None, "ping_interval": None, "compression": None, "close_timeout": 2}
CONNECTS_AT_ONCE = 25
# The server logs a seat.left only this long after a room's sockets close (drills/presence.py).
PRESENCE_GRACE_S = float(os.environ.get("DRILL_PRESENCE_GRACE_S", "2"))
WAIT_S = 15.0  # the longest a wait for frames lasts
ACTION_WAIT_S = 30.0  # the longest an instructor action may take to be acknowledged
FAILURES: tuple[type[BaseException], ...] = ()  # set once websockets is known to be importable
CONNECT_WAIT_S = 60.0  # the longest a connection may take to be caught up (storms of hundreds queue up)
BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)  # drill-room-socket.js BACKOFF_MS, with its 30% jitter
INJECT_TEXT = "Bench inject {n}: customers report the checkout page times out after payment."

ROOM_COLUMNS = [
    ("profile", "profile"),
    ("room", "room"),
    ("clients", "clients"),
    ("live_deliveries", "deliveries"),
    ("deliveries_per_s", "deliv/s"),
    ("latency_p50_ms", "lat p50 ms"),
    ("latency_p99_ms", "lat p99 ms"),
    ("burst_p99_ms", "burst p99 ms"),
    ("fanout_ours_per_s", "fan-out/s"),
    ("fanout_bare_per_s", "bare/s"),
    ("fanout_ratio", "ratio"),
    ("fanout_ours_p99_ms", "fan-out p99 ms"),
    ("storm_max_s", "storm max s"),
    ("exactly_once", "exactly once"),
    ("server_cpu_pct", "server CPU %"),
    ("other_cpu_pct", "others CPU %"),
    ("targets_met", "targets met"),
]
REPLAY_COLUMNS = [
    ("profile", "profile"),
    ("events", "events"),
    ("tries", "tries"),
    ("median_s", "median s"),
    ("best_s", "best s"),
    ("complete", "all frames"),
    ("server_cpu_s", "server CPU s"),
    ("targets_met", "targets met"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.room",
        description=__doc__.split("\n\n")[0],
        epilog="Writes bench/results/room-<UTC time>.json. Needs `make services-up` for the services profile.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--profile", choices=[*common.PROFILES, "all"], default="embedded", help="database profile (default embedded)"
    )
    parser.add_argument(
        "--driver", choices=["inprocess", "celery"], default="inprocess", help="engine driver (celery: services only)"
    )
    parser.add_argument(
        "--rooms", default="1x50,20x25", help="room layouts DRILLSxCLIENTS, comma separated (default 1x50,20x25)"
    )
    parser.add_argument("--scenario-seconds", type=float, default=6.0, help="wall seconds the drills run (default 6)")
    parser.add_argument("--rounds", type=int, default=2, help="fan-out rounds, ours and bare each (default 2)")
    parser.add_argument(
        "--burst", type=int, default=40, help="frames per fan-out round, dealt over the layout's drills (default 40)"
    )
    parser.add_argument("--storm-window", type=float, default=1.0, help="reconnects spread over this many s")
    parser.add_argument("--replay-events", type=int, default=10_000, help="events in the replayed log")
    parser.add_argument("--replay-tries", type=int, default=3, help="replays to time (default 3)")
    parser.add_argument(
        "--cprofile", action="store_true", help="cProfile the server's event loop thread during each storm"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (server log, SQLite)")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        args.layouts = [tuple(int(n) for n in item.lower().split("x")) for item in args.rooms.split(",")]
    except ValueError:
        parser.error("--rooms takes layouts like 1x50,20x25")
    if any(len(lay) != 2 or min(lay) < 1 for lay in args.layouts) or sum(d * c for d, c in args.layouts) > 2000:
        parser.error("--rooms: positive DRILLSxCLIENTS, at most 2,000 clients in all")
    if not (0 < args.scenario_seconds <= 60 and 1 <= args.rounds <= 50 and 1 <= args.burst <= 90):
        parser.error("--scenario-seconds in (0, 60], --rounds in [1, 50], --burst in [1, 90]")
    if not (0 < args.replay_events <= 100_000 and 1 <= args.replay_tries <= 10 and 0 <= args.storm_window <= 10):
        parser.error("--replay-events in [1, 100000], --replay-tries in [1, 10], --storm-window in [0, 10]")
    if args.driver == "celery" and args.profile != "services":
        parser.error("the Celery driver needs --profile services")
    return args


# ---- setup (a Django child) -----------------------------------------------------------------------------


def setup(args) -> int:
    common.django_setup()
    from drills.models import Drill, DrillEvent, DrillStatus
    from drills.services import drill_create

    common.database_prepare()
    instructor, participants, versions = common.demo_cast()
    burst_version = next(v for v in versions if v.title == BURST_SCENARIO)
    # Single rooms play the burst scenario; multi-room layouts cycle through all three, starting with it.
    ordered = [burst_version] + [v for v in versions if v != burst_version]
    layouts = []
    for drills, clients in args.layouts:
        ids = []
        for index in range(drills):
            version = ordered[index % len(ordered)]
            seats, bots = common.drill_seats(version, participants, observers=True)
            ids.append(drill_create(by=instructor, version=version.pk, seats=seats, bots=bots, speed=SPEED).pk)
        layouts.append({"room": f"{drills}x{clients}", "drills": ids, "clients": clients})
    seats, bots = common.drill_seats(burst_version, participants, observers=True)
    replay = drill_create(by=instructor, version=burst_version.pk, seats=seats, bots=bots, title="Replay")
    DrillEvent.objects.bulk_create(
        (
            DrillEvent(
                drill=replay,
                seq=seq,
                kind="inject.published",
                sim_ms=seq * 100,
                wall_at=replay.created_at,
                data=_inject_data(seq),
            )
            for seq in range(1, args.replay_events + 1)
        ),
        batch_size=1000,
    )
    Drill.objects.filter(pk=replay.pk).update(seq=args.replay_events, status=DrillStatus.FINISHED)
    Path(args.out).write_text(json.dumps({"layouts": layouts, "replay_drill": replay.pk}))
    return 0


def _inject_data(n: int) -> dict:
    """The shape and size of a manual inject's event data (PROTOCOL.md section 3)."""
    return {
        "id": n,
        "key": f"manual-{n}",
        "burst_index": None,
        "platform": "x",
        "persona": {"name": "Newsdesk", "handle": "@newsdesk", "kind": "manual", "followers": 0},
        "text": INJECT_TEXT.format(n=n),
        "severity": 2,
        "requires_response": False,
        "respond_by_ms": None,
        "planned_ms": n * 100,
        "manual": True,
    }


# ---- the parent: server, load, table ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.setup:
        return setup(args)
    try:
        import websockets  # noqa: F401
    except ImportError:
        raise SystemExit("bench.room needs the websockets client: .venv/bin/pip install websockets==17.4") from None
    global FAILURES
    FAILURES = _failures()
    profiles = common.PROFILES if args.profile == "all" else (args.profile,)
    rooms, replays, skipped, machine = [], [], [], common.machine_facts()
    for profile in profiles:
        if profile == "services" and (problem := common.services_problem()):
            print(f"!! services profile skipped: {problem}", file=sys.stderr)
            skipped.append({"profile": profile, "reason": problem})
            continue
        outcome = run_profile(args, profile)
        if outcome is None:
            skipped.append({"profile": profile, "reason": "failed, see the message above"})
            continue
        rooms += outcome["rooms"]
        replays.append(outcome["replay"])
    payload = {
        "benchmark": "room",
        "machine": {**machine, "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "settings": {
            k: getattr(args, k)
            for k in ("driver", "rooms", "scenario_seconds", "rounds", "burst", "storm_window", "replay_events")
        },
        "targets": {
            "burst_p99_ms": TARGET_BURST_P99_MS,
            "fanout_ratio": TARGET_FANOUT_RATIO,
            "storm_s": TARGET_STORM_S,
            "replay_s": TARGET_REPLAY_S,
        },
        "rooms": rooms,
        "replays": replays,
        "skipped": skipped,
    }
    path = common.results_write("room", payload)
    print(f"\nRooms at speed {SPEED:g} (latency = client receive - event `at`, live events; fan-out in deliveries/s)")
    print(common.table(rooms, ROOM_COLUMNS))
    print(f"\nReplay of {args.replay_events:,} events to one client")
    print(common.table(replays, REPLAY_COLUMNS))
    misses = [(row["profile"], row.get("room", "replay"), m) for row in rooms + replays for m in row["misses"]]
    for profile, room, miss in misses:
        print(f"TARGET MISSED ({profile}, {room}): {miss}")
    print(f"\nJSON: {path.relative_to(common.ROOT)}")
    return 0 if not misses and not skipped else 1


def run_profile(args, profile: str) -> dict | None:
    workdir = Path(tempfile.mkdtemp(prefix=f"crisisdrill-bench-room-{profile}-"))
    env = common.profile_env(profile, workdir, driver=args.driver)
    if args.driver == "celery":
        env["CELERY_QUEUE"] = f"bench-room-{uuid.uuid4().hex[:8]}"
    print(f"== {profile}: rooms {args.rooms} (work files in {workdir})", file=sys.stderr)
    setup_out = workdir / "setup.json"
    cmd = [sys.executable, "-m", "bench.room", "--setup", "--out", str(setup_out), "--rooms", args.rooms]
    cmd += ["--replay-events", str(args.replay_events), "--profile", profile]
    server = workers = None
    try:
        if common.run_child(cmd, env, timeout_s=300) != 0:
            print(f"!! setup failed for {profile}", file=sys.stderr)
            args.keep = True
            return None
        port = free_port()
        server_cmd = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
        if args.cprofile:
            env["BENCH_ROOM_CPROFILE"] = str(workdir / "storm.prof")
        server = common.spawn([*server_cmd, "bench.room_asgi:application"], env, workdir / "daphne.log")
        if args.driver == "celery":
            workers = common.celery_workers_start(env, workdir, count=2, queue=env["CELERY_QUEUE"])
        if not server_ready(port, server):
            print(f"!! the server did not start: see {workdir / 'daphne.log'}", file=sys.stderr)
            args.keep = True
            return None
        pids = [server.pid] + [w.pid for w in workers or []]
        bench = Bench(args, profile, port, pids, json.loads(setup_out.read_text()))
        try:
            return asyncio.run(asyncio.wait_for(bench.run(), timeout=900))
        except FAILURES as exc:
            print(f"!! {profile}: the load run failed: {exc!r}; server log in {workdir}", file=sys.stderr)
            args.keep = True
            return None
    finally:
        common.stop(server)
        for worker in workers or []:
            common.stop(worker)
        if workers:
            common.celery_queue_drop(env["CELERY_QUEUE"])
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_ready(port: int, server, timeout_s: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/auth/me/", timeout=2)
            return True
        except urllib.error.HTTPError:
            return True  # 401/403: Django answers
        except OSError:
            time.sleep(0.2)
    return False


class BenchFailed(Exception):
    """The server answered something the load cannot go on from."""


def _failures() -> tuple[type[BaseException], ...]:
    from websockets.exceptions import WebSocketException

    return (BenchFailed, TimeoutError, ConnectionError, OSError, WebSocketException)


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
        from websockets.asyncio.client import connect

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
        self.ws = await connect(url, open_timeout=CONNECT_WAIT_S, additional_headers=headers, **WS_OPTIONS)
        self.task = asyncio.create_task(self._receive(self.ws))
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
            await self.ws.close()
            await asyncio.wait_for(self.task, WAIT_S)

    async def action(self, action: str, **fields) -> dict:
        future = await self.send_action(action, **fields)
        return await asyncio.wait_for(future, ACTION_WAIT_S)

    async def send_action(self, action: str, **fields) -> asyncio.Future:
        ref = next(self.refs)
        future = self.pending[ref] = asyncio.get_running_loop().create_future()
        await self.ws.send(json.dumps({"action": action, "ref": ref, **fields}))
        return future

    def wait_for_seq(self, seq: int) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        if self.last_seq >= seq:
            future.set_result(time.time())
        else:
            self.waiter = (seq, future)
        return future

    async def _replay(self) -> None:
        self.replay_ref = next(self.refs)
        self.replay_sent_at = time.time()
        await self.ws.send(json.dumps({"action": "replay", "after": self.last_seq, "ref": self.replay_ref}))

    async def _receive(self, ws) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in ws:
                now = time.time()
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "event":
                    await self._event(frame, now)
                elif kind == "hello":
                    self.hello_seq = frame["seq"]
                    if not self.resume:
                        await self._replay()
                    self._check_caught_up(now)
                elif kind in ("ack", "error"):
                    self._answer(frame, now)
        except ConnectionClosed:
            pass
        if self.caught_up is not None and not self.caught_up.done():
            # Closed before it caught up, e.g. 4401 for a ticket that expired (60 s) before it was used.
            self.caught_up.set_exception(ConnectionError(f"closed with code {ws.close_code} before catching up"))

    def _answer(self, frame: dict, now: float) -> None:
        self.errors += frame["type"] == "error"
        if frame.get("ref") == self.replay_ref:
            self.replay_ref, self.replay_acked_at = None, now
        future = self.pending.pop(frame.get("ref"), None)
        if future is not None and not future.done():
            future.set_result(frame)

    async def _event(self, frame: dict, now: float) -> None:
        seq = frame["seq"]
        if seq <= self.last_seq:
            self.repeats += 1  # dropped, as the browser client drops it
            return
        if seq > self.last_seq + 1:
            self.gap_frames += 1  # a gap: ask for everything after the last seq handed on
            if self.replay_ref is None:
                await self._replay()
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
        from websockets.asyncio.client import connect

        url = f"ws://127.0.0.1:{self.bench.port}/ws/bare/{self.group}/"
        self.ws = await connect(url, open_timeout=CONNECT_WAIT_S, **WS_OPTIONS)
        self.task = asyncio.create_task(self._receive())

    async def close(self) -> None:
        await self.ws.close()
        await asyncio.wait_for(self.task, WAIT_S)

    def wait_for(self, numbers: set[int]) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.waiter = (set(numbers) - set(self.seen), future)
        if not self.waiter[0]:
            future.set_result(time.time())
        return future

    async def _receive(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in self.ws:
                now = time.time()
                frame = json.loads(raw)
                self.seen[frame["n"]] += 1
                self.bench.record_bare((now - epoch(frame["at"])) * 1000)
                if self.waiter is not None:
                    self.waiter[0].discard(frame["n"])
                    if not self.waiter[0] and not self.waiter[1].done():
                        self.waiter[1].set_result(now)
        except ConnectionClosed:
            pass


# ---- the load ---------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, args, profile: str, port: int, server_pids: list[int], setup: dict) -> None:
        self.args, self.profile, self.port, self.server_pids, self.setup = args, profile, port, server_pids, setup
        self.http = Http(port)
        self.phase = "setup"
        self.samples: dict[str, list[tuple[str, bool, float]]] = {}
        self.bare_samples: list[float] = []
        self.bare_numbers = itertools.count(1)

    def record(self, kind: str, burst: bool, latency_ms: float) -> None:
        self.samples.setdefault(self.phase, []).append((kind, burst, latency_ms))

    def record_bare(self, latency_ms: float) -> None:
        self.bare_samples.append(latency_ms)

    def say(self, message: str) -> None:
        print(f"   {message}", file=sys.stderr, flush=True)

    def cpu(self) -> tuple[float, float, float, float]:
        """(server CPU s, load generator CPU s, monotonic now, whole machine busy CPU s)."""
        server = sum(common.proc_cpu_s(pid) for pid in self.server_pids)
        return server, time.process_time(), time.monotonic(), common.machine_cpu()[0]

    async def run(self) -> dict:
        await self.http.sign_in(password=os.environ.get("DEMO_PASSWORD", "drill-demo"))  # seed_demo's
        rooms = []
        for layout in self.setup["layouts"]:
            rooms.append(await self.room(layout))
            # The room's seat.left writes begin once the grace period is over: wait for them to be done too.
            await asyncio.sleep(PRESENCE_GRACE_S + 1)
            await self.quiet()
        try:
            replay = await self.replay()
        except FAILURES as exc:
            self.say(f"!! replay failed: {exc!r}")
            replay = {"profile": self.profile, "error": repr(exc), "misses": [f"failed: {exc!r}"], "targets_met": False}
        return {"rooms": rooms, "replay": replay}

    async def quiet(self, limit_s: float = 30.0) -> None:
        """Waits (bounded) until the server has worked off what the last phase left it (CPU under 20%)."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            before = self.cpu()[0]
            await asyncio.sleep(0.5)
            if self.cpu()[0] - before < 0.1:
                return

    async def connect_all(self, clients: list[DrillClient]) -> float:
        """Connects in waves of CONNECTS_AT_ONCE."""
        started = time.monotonic()
        gate = asyncio.Semaphore(CONNECTS_AT_ONCE)

        async def one(client):
            async with gate:
                await client.join(self.http)

        await asyncio.gather(*(one(c) for c in clients))
        return time.monotonic() - started

    async def room(self, layout: dict) -> dict:
        name, per_drill = layout["room"], layout["clients"]
        rooms = {d: [DrillClient(self, d, USERS[i % len(USERS)]) for i in range(per_drill)] for d in layout["drills"]}
        tag = uuid.uuid4().hex[:8]
        bare = {d: [BareClient(self, f"{tag}-{d}") for _ in range(per_drill)] for d in layout["drills"]}
        everyone = [c for clients in rooms.values() for c in clients]
        result = {"profile": self.profile, "room": name, "drills": len(rooms), "clients": len(everyone)}
        try:
            self.say(f"{name}: connecting {len(everyone)} clients")
            result["connect_s"] = await self.connect_all(everyone)
            await asyncio.gather(*(c.connect() for clients in bare.values() for c in clients))
            # Each first socket of a seat logs a seat.joined (a write and a broadcast): when the connects run
            # faster than those, their backlog would land in the scenario phase's latencies.
            await self.quiet()
            self.say(f"{name}: connected in {result['connect_s']:.1f} s; drills run {self.args.scenario_seconds:g} s")
            result.update(await self.scenario(name, rooms))
            await self.quiet()  # each phase starts with the server idle: no backlog leaks into the next
            self.say(f"{name}: fan-out, {self.args.rounds} rounds of {self.args.burst}, ours and bare")
            result.update(await self.fanout(name, rooms, bare))
            await self.quiet()
            self.say(f"{name}: reconnect storm")
            result.update(await self.storm(name, rooms))
            result.update(await self.final_check(name, rooms))
        except FAILURES as exc:
            self.say(f"!! {name} failed: {exc!r}")
            return {**result, "error": repr(exc), "misses": [f"the run failed: {exc!r}"], "targets_met": False}
        finally:
            closing = [c.close() for c in everyone if c.ws is not None]
            closing += [c.close() for cs in bare.values() for c in cs if c.ws is not None]
            await asyncio.gather(*closing, return_exceptions=True)
        return judged_room(result)

    async def instructors(self, rooms, action: str, *, done_is_fine: bool = False) -> dict[int, dict]:
        """`action` by each drill's instructor socket; the drills' state as the acks give it."""
        answers = await asyncio.gather(*(clients[0].action(action) for clients in rooms.values()))
        for answer in answers:
            # A drill may have run to its end by itself (the 25-minute scenario, in a slow storm).
            if answer["type"] == "error" and not (done_is_fine and answer["code"] == "conflict"):
                raise BenchFailed(f"{action} failed: {answer}")
        return {d: answer.get("result", {}).get("drill") for d, answer in zip(rooms, answers, strict=True)}

    async def all_reach(self, rooms, seqs: dict[int, int], *, wait_s: float = WAIT_S) -> float | None:
        """Waits until every client of each drill has handed on `seqs[drill]`; the time the last one did."""
        futures = [c.wait_for_seq(seqs[d]) for d, clients in rooms.items() for c in clients]
        done, pending = await asyncio.wait(futures, timeout=wait_s)
        for future in pending:
            future.cancel()
        return None if pending else max(f.result() for f in done)

    async def scenario(self, name: str, rooms) -> dict:
        self.phase = f"{name}/scenario"
        cpu0 = self.cpu()
        await self.instructors(rooms, "start")
        await asyncio.sleep(self.args.scenario_seconds)
        paused = await self.instructors(rooms, "pause")
        reached = await self.all_reach(rooms, {d: drill["seq"] for d, drill in paused.items()})
        cpu1 = self.cpu()
        samples = self.samples.get(self.phase, [])
        latency = common.summary([ms for _, _, ms in samples])
        burst = common.summary([ms for kind, is_burst, ms in samples if is_burst])
        wall_s = cpu1[2] - cpu0[2]
        return {
            "scenario_wall_s": wall_s,
            "scenario_all_delivered": reached is not None,
            "live_deliveries": len(samples),
            "deliveries_per_s": len(samples) / wall_s,
            "latency_ms": latency,
            "burst_latency_ms": burst,
            "latency_p50_ms": latency["p50"],
            "latency_p99_ms": latency["p99"],
            "burst_p99_ms": burst["p99"],
            "server_cpu_s": cpu1[0] - cpu0[0],
            "server_cpu_pct": (cpu1[0] - cpu0[0]) / wall_s * 100,
            "loadgen_cpu_pct": (cpu1[1] - cpu0[1]) / wall_s * 100,
            # Everything else on the machine (PostgreSQL, Redis, other people's work): 200% is both cores.
            "other_cpu_pct": ((cpu1[3] - cpu0[3]) - (cpu1[0] - cpu0[0]) - (cpu1[1] - cpu0[1])) / wall_s * 100,
        }

    async def fanout(self, name: str, rooms, bare) -> dict:
        ours = {"deliveries": 0, "seconds": 0.0, "server_cpu_s": 0.0, "incomplete_rounds": 0}
        base = {"deliveries": 0, "seconds": 0.0, "server_cpu_s": 0.0, "incomplete_rounds": 0}
        self.phase = f"{name}/fanout"
        self.bare_samples = []
        for _ in range(self.args.rounds):
            await self.fanout_ours(rooms, ours)
            await self.fanout_bare(bare, base)
        ours_rate = ours["deliveries"] / ours["seconds"] if ours["seconds"] else None
        bare_rate = base["deliveries"] / base["seconds"] if base["seconds"] else None
        ours_latency = common.summary([ms for _, _, ms in self.samples.get(self.phase, [])])
        bare_latency = common.summary(self.bare_samples)
        bare_duplicates = sum(n - 1 for cs in bare.values() for c in cs for n in c.seen.values() if n > 1)
        return {
            "fanout_ours": {**ours, "latency_ms": ours_latency},
            "fanout_bare": {**base, "latency_ms": bare_latency, "duplicates": bare_duplicates},
            "fanout_ours_per_s": ours_rate,
            "fanout_bare_per_s": bare_rate,
            "fanout_ratio": ours_rate / bare_rate if ours_rate and bare_rate else None,
            "fanout_ours_p99_ms": ours_latency["p99"],
            "fanout_bare_p99_ms": bare_latency["p99"],
        }

    def burst_plan(self, drills: list[int]) -> dict[int, int]:
        """Frames per drill in one round: `--burst` in all, dealt round-robin over the layout's drills."""
        share = {d: self.args.burst // len(drills) for d in drills}
        for d in drills[: self.args.burst % len(drills)]:
            share[d] += 1
        return {d: n for d, n in share.items() if n}

    async def fanout_ours(self, rooms, totals: dict) -> None:
        plan = self.burst_plan(list(rooms))
        targets = {d: rooms[d][0].last_seq + n for d, n in plan.items()}
        cpu0, t0 = self.cpu(), time.time()
        answers = []
        for d, count in plan.items():
            for n in range(count):
                text = INJECT_TEXT.format(n=n)
                answers.append(await rooms[d][0].send_action("inject", platform="x", text=text, severity=2))
        done_at = await self.all_reach({d: rooms[d] for d in plan}, targets, wait_s=WAIT_S)
        cpu1 = self.cpu()
        errors = [a.result() for a in answers if a.done() and a.result()["type"] == "error"]
        if errors:
            raise BenchFailed(f"inject failed: {errors[0]}")
        if done_at is None:
            totals["incomplete_rounds"] += 1
            return
        totals["deliveries"] += sum(n * len(rooms[d]) for d, n in plan.items())
        totals["seconds"] += done_at - t0
        totals["server_cpu_s"] += cpu1[0] - cpu0[0]

    async def fanout_bare(self, bare, totals: dict) -> None:
        plan = self.burst_plan(list(bare))
        numbers = {d: [next(self.bare_numbers) for _ in range(n)] for d, n in plan.items()}
        futures = [c.wait_for(set(numbers[d])) for d in plan for c in bare[d]]
        cpu0, t0 = self.cpu(), time.time()
        for d, group_numbers in numbers.items():
            for n in group_numbers:
                frame = {"n": n, "type": "event", "seq": n, "kind": "inject.published", "sim_ms": 0}
                await bare[d][0].ws.send(json.dumps({**frame, "data": _inject_data(n)}))
        done, pending = await asyncio.wait(futures, timeout=WAIT_S)
        cpu1 = self.cpu()
        for future in pending:
            future.cancel()
        if pending:
            totals["incomplete_rounds"] += 1
            return
        totals["deliveries"] += sum(n * len(bare[d]) for d, n in plan.items())
        totals["seconds"] += max(f.result() for f in done) - t0
        totals["server_cpu_s"] += cpu1[0] - cpu0[0]

    async def storm(self, name: str, rooms) -> dict:
        self.phase = f"{name}/storm"
        await self.instructors(rooms, "resume")  # live events keep flowing through the storm
        clients = [c for cs in rooms.values() for c in cs]
        for client in clients:
            client.retries = 0
        if self.args.cprofile:
            os.kill(self.server_pids[0], signal.SIGUSR1)
        cpu0, t0 = self.cpu(), time.time()

        async def bounce(client: DrillClient) -> float:
            # As the browser does: drop, then the socket with the cookie and `?after=` its last seq.
            await asyncio.sleep(random.uniform(0, self.args.storm_window))
            await client.close()
            return await client.join(self.http) - t0

        outcomes = await asyncio.gather(*(bounce(c) for c in clients), return_exceptions=True)
        cpu1 = self.cpu()
        if self.args.cprofile:
            os.kill(self.server_pids[0], signal.SIGUSR2)
            await asyncio.sleep(1)
            self.say("storm profile: storm.prof in the work files (--keep)")
        seconds = [o for o in outcomes if isinstance(o, float)]
        failures = [repr(o) for o in outcomes if not isinstance(o, float)]
        catch_up = common.summary(seconds)
        return {
            "storm_catch_up_s": catch_up,
            "storm_max_s": catch_up["max"] if not failures else None,
            "storm_failures": len(failures),
            "storm_failure_examples": failures[:3],
            "storm_server_cpu_s": cpu1[0] - cpu0[0],
            "storm_retries": sum(c.retries for c in clients),
        }

    async def final_check(self, name: str, rooms) -> dict:
        self.phase = f"{name}/finish"
        # Over HTTP: after a storm some instructor sockets may be gone. 409 = it had already run to its end.
        finished = await asyncio.gather(
            *(self.http.call("POST", f"/drills/{d}/finish/", user=USERS[0], body={}) for d in rooms),
            return_exceptions=True,
        )
        for answer in finished:
            if isinstance(answer, BaseException) and getattr(answer, "code", None) != 409:
                raise BenchFailed(f"finish failed: {answer!r}")
        drills = await asyncio.gather(*(self.http.call("GET", f"/drills/{d}/", user=USERS[0]) for d in rooms))
        seqs = {drill["id"]: drill["seq"] for drill in drills}
        await self.all_reach(rooms, seqs)
        missing = {f"{d}/{i}": seqs[d] - c.last_seq for d, cs in rooms.items() for i, c in enumerate(cs)}
        missing = {k: v for k, v in missing.items() if v}
        clients = [c for cs in rooms.values() for c in cs]
        return {
            "final_seqs": seqs,
            "clients_missing_events": len(missing),
            "missing_examples": dict(list(missing.items())[:5]),
            "exactly_once": not missing,
            "server_repeats_dropped": sum(c.repeats for c in clients),
            "gap_frames_dropped": sum(c.gap_frames for c in clients),
            "error_frames": sum(c.errors for c in clients),
        }

    async def replay(self) -> dict:
        drill_id, events = self.setup["replay_drill"], self.args.replay_events
        self.say(f"replay of {events:,} events, {self.args.replay_tries} tries")
        self.phase = "replay"
        times, complete = [], True
        cpu0 = self.cpu()
        for _ in range(self.args.replay_tries):
            client = DrillClient(self, drill_id, "instructor", resume=False)
            (ticket,) = await self.http.tickets([client])
            await client.connect(ticket)  # hello (seq = events), then `replay {after: 0}` up to its ack
            deadline = time.monotonic() + WAIT_S
            while client.replay_acked_at is None and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            complete &= client.last_seq == events and client.replay_acked_at is not None
            if client.replay_acked_at is not None:
                times.append(client.replay_acked_at - client.replay_sent_at)
            await client.close()
        cpu1 = self.cpu()
        ordered = sorted(times)
        row = {
            "profile": self.profile,
            "events": events,
            "tries": len(times),
            "seconds": times,
            "median_s": ordered[len(ordered) // 2] if ordered else None,
            "best_s": ordered[0] if ordered else None,
            "complete": complete,
            "server_cpu_s": cpu1[0] - cpu0[0],
        }
        misses = []
        if not complete:
            misses.append("a replay did not deliver every event")
        if row["median_s"] is None or row["median_s"] >= TARGET_REPLAY_S:
            misses.append(f"replay median {common.fmt(row['median_s'], 2)} s, target under {TARGET_REPLAY_S} s")
        return {**row, "misses": misses, "targets_met": not misses}


def judged_room(row: dict) -> dict:
    """The burst latency target is stated for one room of 50; the others apply to every layout."""
    misses = []
    if row["drills"] == 1 and (row["burst_p99_ms"] is None or row["burst_p99_ms"] >= TARGET_BURST_P99_MS):
        misses.append(f"burst p99 {common.fmt(row['burst_p99_ms'])} ms, target under {TARGET_BURST_P99_MS:g} ms")
    if row["fanout_ratio"] is None or row["fanout_ratio"] < TARGET_FANOUT_RATIO:
        misses.append(f"fan-out {common.fmt(row['fanout_ratio'], 2)} of bare, target at least {TARGET_FANOUT_RATIO}")
    if row["storm_max_s"] is None or row["storm_max_s"] >= TARGET_STORM_S:
        misses.append(f"storm catch-up max {common.fmt(row['storm_max_s'], 2)} s, target under {TARGET_STORM_S:g} s")
    if not row["exactly_once"]:
        misses.append(f"{row['clients_missing_events']} clients missed events (exactly once)")
    return {**row, "misses": misses, "targets_met": not misses}


if __name__ == "__main__":
    sys.exit(main())
