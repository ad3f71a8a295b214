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
Targets: p99 < 100 ms for 50 clients during a 40-item burst (< 250 ms for 1,000); our fan-out >= 60% of the
bare one (80% through the balancer); every client caught up within 5 s of the storm; replay of 10,000 events to
one client < 0.5 s.

`--servers N` (services): N Daphne processes behind nginx as `make cluster` configures it (deploy/), the Celery
driver, every client (ours and the bare baseline's) through nginx; its default layout is 1 drill x 1,000 clients.

    .venv/bin/python -m bench.room                        # embedded profile, default sizes (~3 min)
    .venv/bin/python -m bench.room --profile all          # embedded, then services (~10 min)
    .venv/bin/python -m bench.room --profile embedded --rooms 1x10 --rounds 2 --replay-events 1000
    .venv/bin/python -m bench.room --profile services --servers 2          # 1x1000 through nginx (~2 min)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from bench import common, room_clients, room_load
from bench.room_load import inject_data
from bench.room_targets import (
    TARGET_BURST_P99_MS,
    TARGET_FANOUT_RATIO,
    TARGET_FANOUT_RATIO_BALANCED,
    TARGET_REPLAY_S,
    TARGET_STORM_S,
)
from deploy import cluster

SPEED = 100.0
DEFAULT_ROOMS = "1x50,20x25"
SCALE_OUT_ROOMS = "1x1000"  # the default with --servers above 1 (issue 18); ~2 min, so not with one server
MAX_SERVERS = 5
CELERY_WORKERS = 2  # as `make cluster` starts by default
BURST_SCENARIO = "Checkout outage on Black Friday"  # its pile-on is the 40-item burst of the target

ROOM_COLUMNS = [
    ("profile", "profile"),
    ("servers", "servers"),
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
    ("loadgen_cpu_pct", "loadgen CPU %"),
    ("balancer_cpu_pct", "nginx CPU %"),
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
        "--driver",
        choices=["inprocess", "celery"],
        help="engine driver (celery: services only; the default is inprocess, and celery with --servers above 1)",
    )
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="Daphne processes (default 1); above 1: services only, behind nginx (deploy/), Celery driver",
    )
    parser.add_argument(
        "--rooms",
        help=f"room layouts DRILLSxCLIENTS, comma separated (default {DEFAULT_ROOMS}; with --servers above 1, "
        f"{SCALE_OUT_ROOMS})",
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
        "--cprofile",
        action="store_true",
        help="cProfile each server's event loop thread during each scenario and storm (with --keep)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (server log, SQLite)")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1 <= args.servers <= MAX_SERVERS:
        parser.error(f"--servers in [1, {MAX_SERVERS}]")
    if args.servers > 1 and args.profile != "services":
        parser.error("--servers above 1 needs --profile services (SQLite serves one process only)")
    if args.servers > 1 and args.driver == "inprocess":
        # README "Operating it": the in-process driver's schedule lives in one process, woken by its own actions.
        parser.error("--servers above 1 runs the Celery driver, as `make cluster` does")
    args.driver = args.driver or ("celery" if args.servers > 1 else "inprocess")
    args.rooms = args.rooms or (SCALE_OUT_ROOMS if args.servers > 1 else DEFAULT_ROOMS)
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
                data=inject_data(seq),
            )
            for seq in range(1, args.replay_events + 1)
        ),
        batch_size=1000,
    )
    Drill.objects.filter(pk=replay.pk).update(seq=args.replay_events, status=DrillStatus.FINISHED)
    Path(args.out).write_text(json.dumps({"layouts": layouts, "replay_drill": replay.pk}))
    return 0


# ---- the parent: server, load, table ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.setup:
        return setup(args)
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
            for k in (
                "driver",
                "servers",
                "rooms",
                "scenario_seconds",
                "rounds",
                "burst",
                "storm_window",
                "replay_events",
            )
        },
        "targets": {
            "burst_p99_ms": TARGET_BURST_P99_MS,
            "fanout_ratio": TARGET_FANOUT_RATIO,
            "fanout_ratio_balanced": TARGET_FANOUT_RATIO_BALANCED,
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
    print(f"== {profile}: rooms {args.rooms}, {args.servers} server(s) (work files in {workdir})", file=sys.stderr)
    setup_out = workdir / "setup.json"
    cmd = [sys.executable, "-m", "bench.room", "--setup", "--out", str(setup_out), "--rooms", args.rooms]
    cmd += ["--replay-events", str(args.replay_events), "--profile", profile]
    servers, workers, balancer = [], [], None
    try:
        if common.run_child(cmd, env, timeout_s=300) != 0:
            print(f"!! setup failed for {profile}", file=sys.stderr)
            args.keep = True
            return None
        ports = [free_port() for _ in range(args.servers)]
        servers = [server_start(args, env, workdir, index, port) for index, port in enumerate(ports)]
        if args.driver == "celery":
            workers = common.celery_workers_start(env, workdir, count=CELERY_WORKERS, queue=env["CELERY_QUEUE"])
        if not all(server_ready(port, server) for port, server in zip(ports, servers, strict=True)):
            print(f"!! a server did not start: see {workdir}/daphne*.log", file=sys.stderr)
            args.keep = True
            return None
        port = ports[0]
        if args.servers > 1:
            port = free_port()
            balancer = balancer_start(workdir, port, ports, env)
            if not server_ready(port, balancer):
                print(f"!! nginx did not start: see {workdir}/nginx*.log", file=sys.stderr)
                args.keep = True
                return None
        pids = room_load.Pids(
            servers=[s.pid for s in servers],
            workers=[w.pid for w in workers],
            balancer=balancer and balancer.pid,
            profiles=[profile_path(workdir, args.servers, index) for index in range(args.servers)],
        )
        bench = room_load.Bench(args, profile, port, pids, json.loads(setup_out.read_text()))
        try:
            return asyncio.run(asyncio.wait_for(bench.run(), timeout=900))
        except room_clients.FAILURES as exc:
            print(f"!! {profile}: the load run failed: {exc!r}; server log in {workdir}", file=sys.stderr)
            args.keep = True
            return None
    finally:
        for proc in [balancer, *servers, *workers]:
            common.stop(proc)
        if workers:
            common.celery_queue_drop(env["CELERY_QUEUE"])
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def server_start(args, env: dict[str, str], workdir: Path, index: int, port: int):
    """Daphne number `index` on `port` (its log daphne.log; with several, daphne-0.log, daphne-1.log ...)."""
    suffix = f"-{index}" if args.servers > 1 else ""
    if args.cprofile:
        env = {**env, "BENCH_ROOM_CPROFILE": str(profile_path(workdir, args.servers, index))}
    cmd = cluster.server_command(port, "bench.room_asgi:application")
    return common.spawn(cmd, env, workdir / f"daphne{suffix}.log")


def profile_path(workdir: Path, servers: int, index: int) -> Path:
    """Where server `index` writes its profile of a phase; the bench renames it `<room>-<phase><suffix>.prof`."""
    return workdir / (f"server-{index}.prof" if servers > 1 else "server.prof")


def balancer_start(workdir: Path, listen: int, ports: list[int], env: dict[str, str]):
    """nginx on `listen` in front of the Daphne `ports`, configured as `make cluster` configures it (deploy/)."""
    conf = cluster.nginx_conf(workdir, listen, ports)
    return common.spawn(["nginx", "-c", str(conf), "-e", str(workdir / "nginx-error.log")], env, workdir / "nginx.log")


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


if __name__ == "__main__":
    sys.exit(main())
