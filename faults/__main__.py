"""Fault suite on the services profile (issues 13 and 18): each fault in a fresh cluster on 127.0.0.1 (nginx in
front of two Daphne servers, two Celery workers, a Celery beat, its own Redis; the shared PostgreSQL with a
database of its own), drills at speed 100 with websocket clients through nginx, the fault mid-drill; per fault
the events clients lost or got twice, the seconds until everyone caught up, and what the log shows. Exit status
1 on any loss, repeat or failed check.

    .venv/bin/python -m faults                 # every fault, 6 drills x 10 clients (~9 min): `make faults`
    .venv/bin/python -m faults --short         # every fault once, 2 drills x 4 clients (~2.5 min): `make faults-short`
    .venv/bin/python -m faults --faults daphne-kill,redis-restart --keep
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from bench import common
from faults import cluster as fault_cluster
from faults import drills as fault_drills
from faults.run import FAULTS, FINISH_BOUND_S, LATE_P99_BOUND_MS, REDIS_DOWN_S, Load, fault_run

COLUMNS = [
    ("fault", "fault"),
    ("drills", "drills"),
    ("clients", "clients"),
    ("events", "events"),
    ("lost", "lost"),
    ("repeated", "repeated"),
    ("max_repeated_per_client", "max rep/client"),
    ("reconnects", "reconnects"),
    ("presence_pairs", "presence pairs"),
    ("recover_s", "recover s"),
    ("dropped_sends", "sends dropped"),
    ("late_p99_ms", "late p99 ms"),
    ("finish_late_max_s", "finish late s"),
    ("passed", "passed"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m faults",
        description=__doc__.split("\n\n")[0],
        epilog="Writes bench/results/faults-<UTC time>.json. Needs PostgreSQL (`make postgres-up`) and redis-server.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--short", action="store_true", help="the CI version: fewer drills and clients")
    parser.add_argument("--faults", default=",".join(FAULTS), help=f"comma separated, of {', '.join(FAULTS)}")
    parser.add_argument("--drills", type=int, help="drills per fault (default 6; 2 with --short)")
    parser.add_argument("--clients", type=int, help="clients per drill (default 10; 4 with --short)")
    parser.add_argument(
        "--drop-one-in", type=int, help="dropped-sends: each process loses one group send in N (default 50; 20 short)"
    )
    parser.add_argument("--redis-port", type=int, default=int(os.environ.get("FAULTS_REDIS_PORT", "6391")))
    parser.add_argument(
        "--ports", default=os.environ.get("FAULTS_PORTS", "8170,8171"), help="the two Daphne ports (8170,8171)"
    )
    parser.add_argument(
        "--nginx-port", type=int, default=int(os.environ.get("FAULTS_NGINX_PORT", "8172")), help="the balancer's"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directory (process logs)")
    args = parser.parse_args(argv)
    args.names = [name.strip() for name in args.faults.split(",") if name.strip()]
    if not args.names or set(args.names) - set(FAULTS):
        parser.error(f"--faults takes names of {', '.join(FAULTS)}")
    args.port_list = [int(p) for p in args.ports.split(",")]
    if len(args.port_list) != 2:
        parser.error("--ports takes two ports")
    args.load = Load(
        drills=args.drills or (2 if args.short else 6),
        clients_per_drill=args.clients or (4 if args.short else 10),
        short=args.short,
        fault_at_s=2.5,
        drop_one_in=args.drop_one_in or (20 if args.short else 50),
    )
    if not (1 <= args.load.drills <= 30 and 1 <= args.load.clients_per_drill <= 50 and args.load.drop_one_in >= 2):
        parser.error("--drills in [1, 30], --clients in [1, 50], --drop-one-in at least 2")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupted)  # a CI timeout: every process started is still stopped
    if problem := fault_cluster.database_problem():
        raise SystemExit(problem)
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not installed: run `make services-up` once (it installs it)")
    workdir = Path(tempfile.mkdtemp(prefix="crisisdrill-faults-"))
    print(f"== faults {', '.join(args.names)} (work files in {workdir})", file=sys.stderr, flush=True)
    machine = common.machine_facts()
    redis = fault_cluster.Redis(args.redis_port, workdir)
    rows = []
    try:
        redis.start()
        fault_cluster.prepare_database(fault_cluster.process_env(args.redis_port, [], {}))
        for name in args.names:
            print(f"   {name} ...", file=sys.stderr, flush=True)
            rows.append(one_fault(name, args, redis, workdir / name))
        fault_drills.forget_drills()
    finally:
        for cluster in list(fault_cluster.LIVE):
            cluster.stop()
        redis.stop()
    return report(args, rows, machine, workdir)


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def one_fault(name: str, args, redis, workdir: Path) -> dict:
    """The fault's row; a run that broke off (a process that did not start, a client that gave up) fails it."""
    workdir.mkdir()
    try:
        run = fault_run(name, args.load, redis, args.nginx_port, args.port_list, workdir)
        return asyncio.run(asyncio.wait_for(run, 300))
    except (Exception, SystemExit) as exc:
        print(f"!! {name} broke off: {exc!r}", file=sys.stderr)
        return {"fault": name, "problems": [f"broke off: {exc!r}"], "passed": False}


def report(args, rows: list[dict], machine: dict, workdir: Path) -> int:
    payload = {
        "benchmark": "faults",
        "machine": {**machine, "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "settings": {**vars(args.load), "redis_down_s": REDIS_DOWN_S},
        "bounds": {"finish_late_s": FINISH_BOUND_S, "late_p99_ms": LATE_P99_BOUND_MS},
        "faults": rows,
    }
    path = common.results_write("faults", payload)
    print("\nFaults (lost / repeated: events clients missed or got twice; recover: fault end -> every client past it)")
    print(common.table(rows, COLUMNS))
    for row in rows:
        for problem in row["problems"]:
            print(f"FAILED ({row['fault']}): {problem}")
    print(f"\nJSON: {path.relative_to(common.ROOT)}")
    failed = [row for row in rows if not row["passed"]]
    if failed or args.keep:
        print(f"Process logs: {workdir}", file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
