"""One fault, start to end: a fresh cluster, drills with clients through nginx (which spreads them over both
servers), the fault mid-drill, and what the clients and the log show afterwards.

- `daphne-kill`: kill -9 of the first server; its clients join again through nginx (on the other) and
  `replay {after: last seen}`.
- `nginx-restart`: nginx stopped (fast shutdown: every socket through it closes) and started again; every client
  joins again and replays.
- `rolling-restart`: SIGTERM to the first server, started again once it has exited, then the same for the second;
  the clients of each join the other. The servers hand their sockets' leaves over (drills.presence): no drill
  logs a seat.left or a second seat.joined.
- `worker-kill`: kill -9 of a Celery worker while it is on a CPU (in the middle of a step, most likely).
- `redis-restart`: Redis stopped for REDIS_DOWN_S seconds (losing what it held, as the services profile's does).
- `dropped-sends`: every process loses one group send in N (faults/layers.py), from the start.
- `failing-step`: one more drill whose stored version is corrupted once it runs, so its every step raises.

Recovery: seconds from the end of the fault until every client of every drill has the seq after the last one its
drill had logged when the fault ended (so the drill went on, and the client has everything up to it).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench import common
from bench.room_clients import USERS, Http
from faults import DROPPED
from faults import drills as fault_drills
from faults.clients import FaultClient, Server, wait_all
from faults.cluster import Cluster, Redis, busy, kill9, process_env

FAULTS = (
    "daphne-kill",
    "nginx-restart",
    "rolling-restart",
    "worker-kill",
    "redis-restart",
    "dropped-sends",
    "failing-step",
)
# Every socket is cut and comes back within the grace period: the log must show no presence pair.
PRESENCE_KEPT = ("nginx-restart", "rolling-restart")
REDIS_DOWN_S = 3.0
# The beat's sweep sends a tick again once a drill is 2 s overdue (its tick lost with a killed worker or an emptied
# Redis) and runs every 2 s (config/celery.py, drills/tasks.py): a drill ends about 4 s late at worst, plus Redis's
# 3 s down and a loaded machine's delays; the bound keeps that room.
FINISH_BOUND_S = 15.0
LATE_P99_BOUND_MS = 1000.0  # the other drills of `failing-step`: four times the Celery target (bench/README.md)
# After the drills end, how long clients may take to get the last events: a lost last send reaches a socket at the
# server's next gap check (DRILL_GAP_CHECK_S, 5 s; up to two checks).
SETTLE_S = 15.0


def say(started: float, message: str) -> None:
    print(f"      {time.monotonic() - started:5.1f} s  {message}", file=sys.stderr, flush=True)


@dataclass
class Load:
    drills: int
    clients_per_drill: int
    short: bool  # every drill plays a shortened copy of the shortest demo scenario
    fault_at_s: float
    drop_one_in: int


async def fault_run(name: str, load: Load, redis: Redis, listen: int, ports: list[int], workdir: Path) -> dict:
    extra = {"FAULTS_DROP_ONE_IN": str(load.drop_one_in)} if name == "dropped-sends" else {}
    redis.flush()
    fault_drills.forget_drills()
    cluster = Cluster(process_env(redis.port, [listen, *ports], extra), listen, ports, workdir)
    row = {"fault": name, "problems": []}
    clients: list[FaultClient] = []
    started = time.monotonic()
    try:
        cluster.start()
        say(started, "cluster up")
        http = Http(listen)
        await http.sign_in(password=os.environ.get("DEMO_PASSWORD", "drill-demo"))
        balancer = [Server(listen, http)]
        plans = await fault_drills.drills_create(
            http, load.drills, broken=name == "failing-step", short=load.short, longer=name == "rolling-restart"
        )
        clients = [
            FaultClient(balancer, index, plan.id, USERS[index % len(USERS)])
            for plan in plans
            for index in range(load.clients_per_drill)
        ]
        await asyncio.gather(*(c.open() for c in clients))  # before the start: every event reaches them live
        say(started, f"{len(plans)} drills, {len(clients)} clients connected")
        await asyncio.to_thread(cluster.workers_ready)
        await fault_drills.drills_start(http, plans)
        for plan in plans:
            if plan.broken:
                fault_drills.break_version(plan)
        await asyncio.sleep(load.fault_at_s)
        fault_end, victim = await _inflict(name, cluster, redis, row)
        say(started, f"{name} done")
        presence = fault_drills.presence_counts([p.id for p in plans])  # every client is still connected
        at_fault_end = fault_drills.drill_seqs([p.id for p in plans])
        await _drills_end(plans, load)
        say(started, "drills over")
        final = {i: seq for i, (seq, _) in fault_drills.drill_seqs([p.id for p in plans]).items()}
        await wait_all(clients, final, SETTLE_S)
        say(started, "clients settled")
        row.update(_measure(name, plans, clients, final, at_fault_end, fault_end))
        row.update(_presence_pairs(clients, presence, fault_drills.presence_counts([p.id for p in plans])))
        row["dropped_sends"] = cluster.log_text().count(DROPPED) if name == "dropped-sends" else None
        unexpected = [p for p in cluster.dead() if p != victim]
        if unexpected:
            row["problems"].append(f"died during the run: {', '.join(unexpected)}")
    finally:
        await asyncio.gather(*(c.shut() for c in clients), return_exceptions=True)
        cluster.stop()
        say(started, "cluster stopped")
    _judge(name, row)
    return row


async def _inflict(name: str, cluster: Cluster, redis: Redis, row: dict) -> tuple[float | None, str | None]:
    """Does the fault; returns when it ended (None for faults that last the whole run) and the process it killed."""
    if name == "daphne-kill":
        kill9(cluster.servers[0])
        return time.time(), f"daphne:{cluster.ports[0]}"
    if name == "nginx-restart":
        cluster.nginx_stop()
        cluster.nginx_start()
        return time.time(), None
    if name == "rolling-restart":
        for index in range(len(cluster.servers)):
            await asyncio.to_thread(cluster.server_restart, index)
        return time.time(), None
    if name == "worker-kill":
        row["notes"] = "killed on a CPU" if busy(cluster.workers[0], limit_s=2.0) else "killed idle (no step seen)"
        kill9(cluster.workers[0])
        return time.time(), "worker 0"
    if name == "redis-restart":
        redis.stop()
        await asyncio.sleep(REDIS_DOWN_S)
        redis.start()
        return time.time(), None
    return None, None


async def _drills_end(plans: list[fault_drills.DrillPlan], load: Load) -> None:
    """Waits until every drill but a broken one has finished, or FINISH_BOUND_S after the longest should have."""
    longest_s = max(p.duration_ms for p in plans) / fault_drills.SPEED / 1000
    deadline = time.monotonic() + longest_s - load.fault_at_s + FINISH_BOUND_S + 2
    ids = [p.id for p in plans if not p.broken]
    while time.monotonic() < deadline:
        if all(status == "finished" for _, status in fault_drills.drill_seqs(ids).values()):
            return
        await asyncio.sleep(0.5)


def _measure(name, plans, clients, final, at_fault_end, fault_end) -> dict:
    broken = {p.id for p in plans if p.broken}
    checks = [fault_drills.log_check(p, finish_bound_s=FINISH_BOUND_S) for p in plans]
    healthy_late = [ms for p, c in zip(plans, checks, strict=True) if not p.broken for ms in c["late_ms"]]
    finish_late = [c["finish_late_s"] for c in checks if c["finish_late_s"] is not None]
    repeats = [c.repeats for c in clients]
    measured = {
        "drills": len(plans),
        "clients": len(clients),
        "events": sum(final.values()),
        "lost": sum(c.lost(final[c.drill_id]) for c in clients),
        "repeated": sum(repeats),
        "max_repeated_per_client": max(repeats, default=0),
        "reconnects": sum(c.reconnects for c in clients),
        "late_p99_ms": common.percentile(healthy_late, 99),
        "late_median_ms": statistics.median(healthy_late) if healthy_late else None,
        "finish_late_max_s": max(finish_late, default=None),
        "problems": [problem for c in checks for problem in c["problems"]],
    }
    if fault_end is not None:
        measured["recover_s"] = _recovery(clients, broken, final, at_fault_end, fault_end)
    return measured


def _presence_pairs(clients, before: dict, after: dict) -> dict:
    """seat.left / seat.joined logged from the fault on while every client stayed connected: each is half of a
    pair (a leave, or the second join of a socket that came back). Read twice, after the fault and at the end:
    a drill that finished meanwhile logs no presence, so the first reading keeps what the end would not show."""
    sockets = Counter(c.drill_id for c in clients)
    left = sum(max(before[i]["left"], after[i]["left"]) for i in sockets)
    extra = sum(max(before[i]["joined"], after[i]["joined"], count) - count for i, count in sockets.items())
    return {"presence_pairs": left + extra}


def _recovery(clients, broken, final, at_fault_end, fault_end) -> float | None:
    times = []
    for client in clients:
        if client.drill_id in broken:
            continue
        seq, status = at_fault_end[client.drill_id]
        target = final[client.drill_id] if status == "finished" else min(seq + 1, final[client.drill_id])
        reached = client.reached(target)
        if reached is None:
            return None
        times.append(max(reached - fault_end, 0.0))
    return max(times, default=0.0)


def _judge(name: str, row: dict) -> None:
    problems = row["problems"]
    if "lost" not in row:
        problems.append("the run did not get as far as measuring")
    if row.get("lost"):
        problems.append(f"{row['lost']} event(s) lost by clients")
    if row.get("repeated"):
        problems.append(f"{row['repeated']} event(s) repeated to clients")
    if "recover_s" in row and row["recover_s"] is None:
        problems.append("not every client caught up with its drill after the fault")
    if name == "failing-step" and (row.get("late_p99_ms") or 0) > LATE_P99_BOUND_MS:
        problems.append(f"other drills' lateness p99 {row['late_p99_ms']:.0f} ms > {LATE_P99_BOUND_MS:g} ms")
    if name in PRESENCE_KEPT and row.get("presence_pairs"):
        problems.append(f"{row['presence_pairs']} seat.left / extra seat.joined logged: a presence pair")
    if name in ("daphne-kill", *PRESENCE_KEPT) and "reconnects" in row and not row["reconnects"]:
        problems.append("no client was cut: the fault touched nobody")
    if name == "dropped-sends" and not row.get("dropped_sends"):
        problems.append("no group send was dropped: the load was too small to exercise the fault")
    row["passed"] = not problems
