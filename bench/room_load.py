"""The load of bench/room.py on the running servers: each room layout's phases (scenario, fan-out against the
bare consumer, reconnect storm, the exactly-once check) and the replay; bench/room_targets.py judges them."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import random
import signal
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from bench import common, room_clients
from bench.room_clients import USERS, WAIT_S, BareClient, BenchFailed, DrillClient, Http
from bench.room_targets import TARGET_REPLAY_S, judged_room

INJECT_TEXT = "Bench inject {n}: customers report the checkout page times out after payment."
CONNECTS_AT_ONCE = 25
# The server logs a seat.left only this long after a room's sockets close (drills/presence.py).
PRESENCE_GRACE_S = float(os.environ.get("DRILL_PRESENCE_GRACE_S", "2"))


def inject_data(n: int) -> dict:
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


# ---- the load ---------------------------------------------------------------------------------------------


@dataclass
class Pids:
    """The processes measured: Daphne servers, Celery workers (their CPU is the server's), nginx (its own)."""

    servers: list[int]
    workers: list[int]
    balancer: int | None = None
    profiles: list[Path] = field(default_factory=list)  # each server's --cprofile file, in that order


class Cpu(NamedTuple):
    server: float  # CPU s of the Daphne processes and the Celery workers
    loadgen: float  # of this process
    at: float  # monotonic now
    machine: float  # busy CPU s of the whole machine
    balancer: float  # of nginx (its worker processes included)


class Bench:
    def __init__(self, args, profile: str, port: int, pids: Pids, setup: dict) -> None:
        self.args, self.profile, self.port, self.pids, self.setup = args, profile, port, pids, setup
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

    def cpu(self) -> Cpu:
        server = sum(common.proc_cpu_s(pid) for pid in self.pids.servers + self.pids.workers)
        balancer = common.tree_cpu_s(self.pids.balancer) if self.pids.balancer else 0.0
        return Cpu(server, time.process_time(), time.monotonic(), common.machine_cpu()[0], balancer)

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
        except room_clients.FAILURES as exc:
            self.say(f"!! replay failed: {exc!r}")
            replay = {"profile": self.profile, "error": repr(exc), "misses": [f"failed: {exc!r}"], "targets_met": False}
        return {"rooms": rooms, "replay": replay}

    async def quiet(self, limit_s: float = 30.0) -> None:
        """Waits (bounded) until the server has worked off what the last phase left it (CPU under 20%)."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            before = self.cpu().server
            await asyncio.sleep(0.5)
            if self.cpu().server - before < 0.1:
                return

    async def connect_all(self, clients: list[DrillClient | BareClient]) -> float:
        """Connects in waves of CONNECTS_AT_ONCE (a thousand handshakes at once outlast Daphne's 5 s limit)."""
        started = time.monotonic()
        gate = asyncio.Semaphore(CONNECTS_AT_ONCE)

        async def one(client):
            async with gate:
                await (client.join(self.http) if isinstance(client, DrillClient) else client.connect())

        await asyncio.gather(*(one(c) for c in clients))
        return time.monotonic() - started

    async def room(self, layout: dict) -> dict:
        name, per_drill = layout["room"], layout["clients"]
        rooms = {d: [DrillClient(self, d, USERS[i % len(USERS)]) for i in range(per_drill)] for d in layout["drills"]}
        tag = uuid.uuid4().hex[:8]
        bare = {d: [BareClient(self, f"{tag}-{d}") for _ in range(per_drill)] for d in layout["drills"]}
        everyone = [c for clients in rooms.values() for c in clients]
        result = {"profile": self.profile, "servers": len(self.pids.servers), "room": name}
        result.update(drills=len(rooms), clients=len(everyone))
        try:
            self.say(f"{name}: connecting {len(everyone)} clients")
            result["connect_s"] = await self.connect_all(everyone)
            await self.connect_all([c for clients in bare.values() for c in clients])
            # Each first socket of a seat logs a seat.joined (a write and a broadcast): when the connects run
            # faster than those, their backlog would land in the scenario phase's latencies.
            await self.quiet()
            self.say(f"{name}: connected in {result['connect_s']:.1f} s; drills run {self.args.scenario_seconds:g} s")
            result.update(await self.scenario(name, rooms))
            await self.quiet()  # each phase starts with the server idle: no backlog leaks into the next
            self.say(f"{name}: fan-out, {self.args.rounds} rounds of {self.args.burst}, ours and bare")
            result.update(await self.fanout(name, rooms, bare))
            # The bare sockets are done: the storm is ours alone (and nginx holds two connections per socket).
            await asyncio.gather(*(c.close() for cs in bare.values() for c in cs), return_exceptions=True)
            await self.quiet()
            self.say(f"{name}: reconnect storm")
            result.update(await self.storm(name, rooms))
            result.update(await self.final_check(name, rooms))
        except room_clients.FAILURES as exc:
            self.say(f"!! {name} failed in phase {self.phase}: {exc!r}")
            miss = f"the run failed in phase {self.phase}: {exc!r}"
            return {**result, "error": repr(exc), "phase": self.phase, "misses": [miss], "targets_met": False}
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
        async with self.profiled(name, "scenario"):
            await self.instructors(rooms, "start")
            await asyncio.sleep(self.args.scenario_seconds)
            paused = await self.instructors(rooms, "pause")
            reached = await self.all_reach(rooms, {d: drill["seq"] for d, drill in paused.items()})
            cpu1 = self.cpu()
        samples = self.samples.get(self.phase, [])
        latency = common.summary([ms for _, _, ms in samples])
        burst = common.summary([ms for kind, is_burst, ms in samples if is_burst])
        wall_s = cpu1.at - cpu0.at
        server_s, loadgen_s, balancer_s = (
            cpu1.server - cpu0.server,
            cpu1.loadgen - cpu0.loadgen,
            cpu1.balancer - cpu0.balancer,
        )
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
            "server_cpu_s": server_s,
            "server_cpu_pct": server_s / wall_s * 100,
            "loadgen_cpu_pct": loadgen_s / wall_s * 100,
            "balancer_cpu_pct": balancer_s / wall_s * 100 if self.pids.balancer else None,
            # Everything else on the machine (PostgreSQL, Redis, other people's work): 200% is both cores.
            "other_cpu_pct": ((cpu1.machine - cpu0.machine) - server_s - loadgen_s - balancer_s) / wall_s * 100,
        }

    async def fanout(self, name: str, rooms, bare) -> dict:
        ours = {"deliveries": 0, "seconds": 0.0, "server_cpu_s": 0.0, "loadgen_cpu_s": 0.0, "incomplete_rounds": 0}
        base = {**ours}
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
                answers.append(rooms[d][0].send_action("inject", platform="x", text=text, severity=2))
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
        add_cpu(totals, cpu0, cpu1)

    async def fanout_bare(self, bare, totals: dict) -> None:
        plan = self.burst_plan(list(bare))
        numbers = {d: [next(self.bare_numbers) for _ in range(n)] for d, n in plan.items()}
        futures = [c.wait_for(set(numbers[d])) for d in plan for c in bare[d]]
        cpu0, t0 = self.cpu(), time.time()
        for d, group_numbers in numbers.items():
            for n in group_numbers:
                frame = {"n": n, "type": "event", "seq": n, "kind": "inject.published", "sim_ms": 0}
                bare[d][0].ws.send(json.dumps({**frame, "data": inject_data(n)}))
        done, pending = await asyncio.wait(futures, timeout=WAIT_S)
        cpu1 = self.cpu()
        for future in pending:
            future.cancel()
        if pending:
            totals["incomplete_rounds"] += 1
            return
        totals["deliveries"] += sum(n * len(bare[d]) for d, n in plan.items())
        totals["seconds"] += max(f.result() for f in done) - t0
        add_cpu(totals, cpu0, cpu1)

    async def storm(self, name: str, rooms) -> dict:
        self.phase = f"{name}/storm"
        await self.instructors(rooms, "resume")  # live events keep flowing through the storm
        clients = [c for cs in rooms.values() for c in cs]
        for client in clients:
            client.retries = 0
        async with self.profiled(name, "storm"):
            cpu0, t0 = self.cpu(), time.time()

            async def bounce(client: DrillClient) -> float:
                # As the browser does: drop, then the socket with the cookie and `?after=` its last seq.
                await asyncio.sleep(random.uniform(0, self.args.storm_window))
                await client.close()
                return await client.join(self.http) - t0

            outcomes = await asyncio.gather(*(bounce(c) for c in clients), return_exceptions=True)
            cpu1 = self.cpu()
        seconds = [o for o in outcomes if isinstance(o, float)]
        failures = [repr(o) for o in outcomes if not isinstance(o, float)]
        catch_up = common.summary(seconds)
        return {
            "storm_catch_up_s": catch_up,
            "storm_max_s": catch_up["max"] if not failures else None,
            "storm_failures": len(failures),
            "storm_failure_examples": failures[:3],
            "storm_server_cpu_s": cpu1.server - cpu0.server,
            "storm_loadgen_cpu_s": cpu1.loadgen - cpu0.loadgen,
            "storm_retries": sum(c.retries for c in clients),
        }

    @contextlib.asynccontextmanager
    async def profiled(self, room: str, phase: str):
        """With --cprofile: each server's event loop thread profiled meanwhile, into `<room>-<phase>[-N].prof`."""
        if not self.args.cprofile:
            yield
            return
        for pid in self.pids.servers:
            os.kill(pid, signal.SIGUSR1)
        try:
            yield
        finally:
            for pid in self.pids.servers:
                os.kill(pid, signal.SIGUSR2)
            await asyncio.sleep(1)  # the servers write their stats
            for path in self.pids.profiles:
                if path.exists():
                    path.rename(path.with_name(f"{room}-{phase}{path.name.removeprefix('server')}"))
            self.say(f"{room} {phase}: profiles {room}-{phase}*.prof in the work files (--keep)")

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
            "server_cpu_s": cpu1.server - cpu0.server,
        }
        misses = []
        if not complete:
            misses.append("a replay did not deliver every event")
        if row["median_s"] is None or row["median_s"] >= TARGET_REPLAY_S:
            misses.append(f"replay median {common.fmt(row['median_s'], 2)} s, target under {TARGET_REPLAY_S} s")
        return {**row, "misses": misses, "targets_met": not misses}


def add_cpu(totals: dict, cpu0: Cpu, cpu1: Cpu) -> None:
    totals["server_cpu_s"] += cpu1.server - cpu0.server
    totals["loadgen_cpu_s"] += cpu1.loadgen - cpu0.loadgen
