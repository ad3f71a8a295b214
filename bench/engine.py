"""Engine benchmark (issue 5): N drills of the shared scenarios at speed 100, driven by the real driver.

Measured, per database profile and driver:
- appended events/s: DrillEvent rows appended by the engine / wall seconds of the run;
- engine lateness of every scripted inject, sim_ms - planned_ms (as logged), in wall ms (/ speed); timed
  items still unpublished when the run stops count with their lateness so far (a lower bound), so a
  driver that falls behind cannot look punctual by publishing less;
- commit lateness (in-process driver only): the same, but up to the moment the transaction committed
  and the broadcast left, which adds the wait for a thread, the row lock and the commit itself;
- CPU seconds per 1,000 events: of the measuring process (plus the Celery workers), and of the whole
  machine (PostgreSQL and Redis included, and anything else running here).
Baseline, timed in the same run and on the same database: the same events written bare, one transaction
per event holding one UPDATE of a counter row and one INSERT under a unique (drill, seq).
Targets on a 2-core machine: in-process p99 < 50 ms wall with 200 drills (SQLite and PostgreSQL), Celery
p99 < 250 ms, appended events/s >= half the bare baseline.

    .venv/bin/python -m bench.engine                       # both profiles, in-process driver
    .venv/bin/python -m bench.engine --profile services --driver celery
    .venv/bin/python -m bench.engine --drills 20 --seconds 5 --profile embedded   # a quick check
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import common

TARGET_P99_MS = {"inprocess": 50.0, "celery": 250.0}
TARGET_RATIO = 0.5
SPEED = 100.0
START_MARGIN_S = 1.0
# Generous for one drill_start here (Celery's are slower: the workers already run the first steps); a
# shortfall is reported, not hidden.
START_S_PER_DRILL = {"inprocess": 0.04, "celery": 0.1}
COLUMNS = [
    ("profile", "profile"),
    ("driver", "driver"),
    ("drills", "drills"),
    ("events", "events"),
    ("events_per_s", "events/s"),
    ("offered_per_s", "offered/s"),
    ("baseline_events_per_s", "bare events/s"),
    ("peak_per_s", "peak ev/s"),
    ("ratio", "ratio"),
    ("late_p50_ms", "late p50 ms"),
    ("late_p99_ms", "late p99 ms"),
    ("late_max_ms", "late max ms"),
    ("overdue_at_stop", "overdue"),
    ("commit_p99_ms", "commit p99 ms"),
    ("cpu_s_per_1k", "CPU s/1k ev"),
    ("machine_cpu_s_per_1k", "machine CPU s/1k"),
    ("target_met", "target met"),
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.engine",
        description=__doc__.split("\n\n")[0],
        epilog="Writes bench/results/engine-<UTC time>.json. Needs `make services-up` for the services profile.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--profile", choices=[*common.PROFILES, "all"], default="all", help="database profile")
    parser.add_argument(
        "--driver",
        choices=["inprocess", "celery", "all"],
        default="inprocess",
        help="engine driver; celery runs on the services profile only (default: inprocess)",
    )
    parser.add_argument("--drills", type=int, default=200, help="concurrent drills (default 200)")
    parser.add_argument("--seconds", type=float, default=45.0, help="wall seconds the drills run (default 45)")
    parser.add_argument(
        "--start-spread",
        type=float,
        default=20.0,
        help="the drills' clocks start evenly spread over this many wall seconds (default 20: from about 15 s"
        " on all N drills run at once, each at its own point of its script; 2 lines up every drill's burst"
        " in the same two seconds, a peak of about 3,000 engine steps/s for 200 drills)",
    )
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (default 2)")
    parser.add_argument(
        "--baseline-max-seconds",
        type=float,
        default=30.0,
        help="stop the bare baseline after this long and rate what it wrote (default 30)",
    )
    parser.add_argument(
        "--cprofile", action="store_true", help="profile every engine step (in-process) into a text report"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (SQLite file, logs)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.drills < 1 or args.seconds <= 0 or args.workers < 1:
        parser.error("--drills, --seconds and --workers must be positive")
    if args.seconds > 600:
        parser.error("--seconds is at most 600")
    return args


# ---- the parent: one child per profile and driver, then the table ---------------------------------------


def combinations(args) -> list[tuple[str, str]]:
    profiles = common.PROFILES if args.profile == "all" else (args.profile,)
    drivers = ("inprocess", "celery") if args.driver == "all" else (args.driver,)
    runs = [(p, d) for p in profiles for d in drivers if not (p == "embedded" and d == "celery")]
    if not runs:
        raise SystemExit("the Celery driver needs the services profile: add --profile services")
    return runs


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child(args)
    rows, skipped, machine = [], [], common.machine_facts()
    for profile, driver in combinations(args):
        if profile == "services" and (problem := common.services_problem()):
            print(f"!! services profile skipped: {problem}", file=sys.stderr)
            skipped.append({"profile": profile, "driver": driver, "reason": problem})
            continue
        row = run_one(args, profile, driver)
        if row is not None:
            rows.append(row)
            print(common.table([row], COLUMNS), file=sys.stderr)
    payload = {
        "benchmark": "engine",
        "machine": {**machine, "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "settings": {
            "drills": args.drills,
            "seconds": args.seconds,
            "speed": SPEED,
            "workers": args.workers,
            "start_spread_s": args.start_spread,
        },
        "targets": {"p99_ms": TARGET_P99_MS, "ratio_to_bare": TARGET_RATIO},
        "runs": rows,
        "skipped": skipped,
    }
    path = common.results_write("engine", payload)
    print()
    print(f"Engine: {args.drills} drills at speed {SPEED:g} for {args.seconds:g} s wall (lateness in wall ms)")
    print(common.table(rows, COLUMNS))
    for row in rows:
        for miss in row["misses"]:
            print(f"TARGET MISSED ({row['profile']}, {row['driver']}): {miss}")
    print(f"\nJSON: {path.relative_to(common.ROOT)}")
    return 0 if rows and all(row["target_met"] for row in rows) and not skipped else 1


def run_one(args, profile: str, driver: str) -> dict | None:
    workdir = Path(tempfile.mkdtemp(prefix=f"crisisdrill-bench-engine-{profile}-"))
    env = common.profile_env(profile, workdir, driver=driver)
    if driver == "celery":
        env["CELERY_QUEUE"] = f"bench-engine-{uuid.uuid4().hex[:8]}"
    out = workdir / "result.json"
    cmd = [sys.executable, "-m", "bench.engine", "--child", "--profile", profile, "--driver", driver]
    cmd += ["--drills", str(args.drills), "--seconds", str(args.seconds), "--workers", str(args.workers)]
    cmd += ["--start-spread", str(args.start_spread)]
    cmd += ["--baseline-max-seconds", str(args.baseline_max_seconds), "--out", str(out), "--workdir", str(workdir)]
    cmd += ["--cprofile"] if args.cprofile else []
    print(
        f"== {profile} / {driver}: {args.drills} drills, {args.seconds:g} s (work files in {workdir})", file=sys.stderr
    )
    code = common.run_child(cmd, env, timeout_s=args.seconds + args.baseline_max_seconds + 300)
    try:
        if code != 0 or not out.exists():
            print(f"!! {profile} / {driver} failed (exit {code}); logs in {workdir}", file=sys.stderr)
            args.keep = True
            return None
        return judged(json.loads(out.read_text()))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def judged(row: dict) -> dict:
    misses = []
    target = TARGET_P99_MS[row["driver"]]
    if row["late_p99_ms"] is None or row["late_p99_ms"] >= target:
        misses.append(f"lateness p99 {common.fmt(row['late_p99_ms'])} ms, target under {target:g} ms")
    if row["ratio"] is None or row["ratio"] < TARGET_RATIO:
        misses.append(
            f"peak events/s is {common.fmt(row['ratio'], 2)} of the bare baseline, target at least {TARGET_RATIO}"
        )
        kept_up = row["events_per_s"] >= 0.9 * row["offered_per_s"]
        if kept_up and row["peak_per_s"] < TARGET_RATIO * (row["baseline_events_per_s"] or 0):
            misses.append(
                "(the engine kept up with what the drills offered: the busiest second only shows its throughput"
                " when the scripts offer more, e.g. with --start-spread 0.5, every drill's burst at once)"
            )
    return {**row, "misses": misses, "target_met": not misses}


# ---- the child: one profile, one driver -----------------------------------------------------------------


def say(message: str) -> None:
    print(f"   {message}", file=sys.stderr, flush=True)


def child(args) -> int:
    common.django_setup()
    from django.db import connection

    started = time.monotonic()
    common.database_prepare()
    instructor, participants, versions = common.demo_cast()
    drill_ids = drills_create(args.drills, instructor, participants, versions)
    say(f"setup {time.monotonic() - started:.1f} s ({connection.vendor}, {len(drill_ids)} drills in the lobby)")
    if args.driver == "inprocess":
        run = run_inprocess(drill_ids, instructor, args, Path(args.workdir))
    else:
        run = run_celery(drill_ids, instructor, args, Path(args.workdir))
    say(f"drills ran {args.seconds:g} s after {run['starting_s']:.1f} s of starting them; analysing the log")
    result = analyse(drill_ids, run)
    drills_stop(drill_ids)
    say(f"{result['events']} events appended; timing the bare baseline")
    baseline = baseline_run(drill_ids, args.baseline_max_seconds)
    result.update(
        profile=args.profile,
        driver=args.driver,
        database=connection.vendor,
        drills=len(drill_ids),
        baseline=baseline,
        baseline_events_per_s=baseline["events_per_s"],
        ratio=result["peak_per_s"] / baseline["events_per_s"] if baseline["events_per_s"] else None,
    )
    Path(args.out).write_text(json.dumps(result, default=str))
    return 0


def drills_create(count: int, instructor, participants, versions) -> list[int]:
    from drills.services import drill_create

    ids = []
    for index in range(count):
        version = versions[index % len(versions)]
        seats, bots = common.drill_seats(version, participants)
        drill = drill_create(by=instructor, version=version.pk, seats=seats, bots=bots, speed=SPEED)
        ids.append(drill.pk)
    return ids


def drills_stop(drill_ids: list[int]) -> None:
    """Nothing may pick these drills up later (a server started on the same database resumes running ones)."""
    from drills.models import Drill, DrillStatus

    Drill.objects.filter(pk__in=drill_ids, status=DrillStatus.RUNNING).update(status=DrillStatus.FINISHED)


class CommitRecorder:
    """Wraps `drills.events.broadcast` (called on commit) to note when each batch of frames was committed."""

    def __init__(self) -> None:
        self.batches: list[tuple[float, list[dict]]] = []

    def install(self) -> None:
        from drills import events

        original = events.broadcast

        def recording(drill_id, frames):
            self.batches.append((time.time(), list(frames)))  # list.append is atomic across threads
            return original(drill_id, frames)

        events.broadcast = recording


class StepProfiler:
    """cProfile of every engine step, one profiler per thread (cProfile sees only the thread it runs in)."""

    def __init__(self) -> None:
        import threading

        self.local = threading.local()
        self.profilers = []

    def install(self) -> None:
        from drills import services

        for name in ("drill_advance", "drills_step"):  # a step alone, and a batch of them
            setattr(services, name, self._profiled(getattr(services, name)))  # the driver looks them up per run

    def _profiled(self, original):
        def profiled(**kwargs):
            profiler = getattr(self.local, "profiler", None)
            if profiler is None:
                profiler = self.local.profiler = cProfile.Profile()
                self.profilers.append(profiler)
            return profiler.runcall(original, **kwargs)

        return profiled

    def report(self, path: Path) -> None:
        import io
        import pstats

        if not self.profilers:
            return
        stream = io.StringIO()
        stats = pstats.Stats(self.profilers[0], stream=stream)
        for profiler in self.profilers[1:]:
            stats.add(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        path.write_text(stream.getvalue())
        say(f"engine step profile: {path}")


def drills_start(drill_ids: list[int], instructor, spread_s: float, driver: str, seconds: float) -> dict:
    """Starts every drill with its clock anchored a little in the future, spread over `spread_s`.

    The starts themselves take a while (each is a transaction and a first engine step); anchoring them
    after the last one keeps that setup out of the lateness, so the run measures drills that all began
    within `spread_s` of each other. Before its anchor a drill's clock stays at 0 (drills/clock.py).
    Returns the first anchor, the moment `seconds` after it, how long the starts took and how far they overran
    the first anchor.
    """
    from django.utils import timezone

    from drills.models import Drill
    from drills.services import drill_start

    began = time.monotonic()
    first = timezone.now() + timedelta(seconds=START_MARGIN_S + START_S_PER_DRILL[driver] * len(drill_ids))
    for index, pk in enumerate(drill_ids):
        at = first + timedelta(seconds=spread_s * index / len(drill_ids))
        drill_start(by=instructor, drill=Drill.objects.get(pk=pk), now=at)
    starting_s = time.monotonic() - began
    late_start_s = max((timezone.now() - first).total_seconds(), 0)
    if late_start_s:
        say(f"!! starting took {starting_s:.1f} s, past the first anchor: early drills begin late")
    stopped_at = first + timedelta(seconds=seconds)
    return {"started_at": first, "stopped_at": stopped_at, "starting_s": starting_s, "late_start_s": late_start_s}


class Window:
    """What a run cost from its creation to `close`: wall seconds, CPU seconds of this process plus `more_cpu()`
    (the Celery workers'), and the machine's busy CPU seconds (everybody's)."""

    def __init__(self, more_cpu=lambda: 0.0) -> None:
        self.more_cpu = more_cpu
        self.opened = (time.monotonic(), time.process_time() + more_cpu(), common.machine_cpu()[0])

    def close(self) -> dict:
        wall0, cpu0, machine0 = self.opened
        return {
            "wall_s": time.monotonic() - wall0,
            "cpu_s": time.process_time() + self.more_cpu() - cpu0,
            "machine_cpu_s": common.machine_cpu()[0] - machine0,
        }


def sleep_until(moment: datetime) -> float:
    return max((moment - datetime.now(UTC)).total_seconds(), 0)


def run_inprocess(drill_ids: list[int], instructor, args, workdir: Path) -> dict:
    """The in-process driver in an event loop of its own, as in the ASGI server, for `--seconds` of drills."""
    from drills.driver import inprocess, serve_in_this_loop

    recorder = CommitRecorder()
    recorder.install()
    profiler = StepProfiler() if args.cprofile else None
    if profiler:
        profiler.install()
    start = drills_start(drill_ids, instructor, args.start_spread, args.driver, args.seconds)

    async def drive() -> None:
        await serve_in_this_loop()  # as the ASGI server does; wakes every running drill, as after a restart
        for pk in drill_ids:
            inprocess.wake(pk)
        await asyncio.sleep(sleep_until(start["stopped_at"]))
        await inprocess.stop()

    window = Window()
    asyncio.run(drive())  # returns once the engine steps still under way have finished
    cost = window.close()
    say(f"drivers stopped; {(datetime.now(UTC) - start['stopped_at']).total_seconds():.1f} s to finish the steps")
    if profiler:
        profiler.report(common.RESULTS_DIR / f"engine-profile-{common.stamp()}.txt")
    return {**start, **cost, "commits": recorder.batches}


def run_celery(drill_ids: list[int], instructor, args, workdir: Path) -> dict:
    """Celery workers on a queue of their own; each drill start schedules its first task."""
    queue = os.environ["CELERY_QUEUE"]
    workers = common.celery_workers_start(dict(os.environ), workdir, count=args.workers, queue=queue)
    try:
        start = drills_start(drill_ids, instructor, args.start_spread, args.driver, args.seconds)
        window = Window(more_cpu=lambda: sum(common.proc_cpu_s(worker.pid) for worker in workers))
        time.sleep(sleep_until(start["stopped_at"]))
        cost = window.close()
    finally:
        for worker in workers:
            common.stop(worker)
        common.celery_queue_drop(queue)
    return {**start, **cost, "commits": []}


def analyse(drill_ids: list[int], run: dict) -> dict:
    from drills.models import Drill, DrillEvent, DrillStatus
    from scenarios.selectors import version_scenario_and_plan

    rows = DrillEvent.objects.filter(drill_id__in=drill_ids).values_list(
        "drill_id", "kind", "sim_ms", "wall_at", "data"
    )
    events, in_window, kinds, lateness, published, per_second = 0, 0, {}, [], set(), Counter()
    for drill_id, kind, sim_ms, wall_at, data in rows.iterator(chunk_size=5000):
        events += 1
        in_window += wall_at <= run["stopped_at"]
        per_second[int(wall_at.timestamp())] += 1
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "inject.published" and not data.get("manual"):
            lateness.append((sim_ms - data["planned_ms"]) / SPEED)
            published.add((drill_id, data["key"], data["burst_index"]))
    # Timed items due by the stop but never published: late by at least (stop - planned).
    overdue = []
    for drill in Drill.objects.filter(pk__in=drill_ids).select_related("version"):
        if drill.status != DrillStatus.RUNNING:
            continue
        scenario, plan = version_scenario_and_plan(drill.version)
        stop_ms = min(drill.clock.sim_ms(run["stopped_at"]), scenario.duration_ms)
        overdue += [
            (stop_ms - item.planned_ms) / SPEED
            for item in plan.timed
            if item.planned_ms <= stop_ms and (drill.pk, item.key, item.burst_index) not in published
        ]
    offered = offered_events(drill_ids, run["stopped_at"])
    commit_lateness = [
        (committed_at - _epoch(frame["at"])) * 1000 + (frame["sim_ms"] - frame["data"]["planned_ms"]) / SPEED
        for committed_at, frames in run["commits"]
        for frame in frames
        if frame["kind"] == "inject.published" and not frame["data"].get("manual")
    ]
    window_s = (run["stopped_at"] - run["started_at"]).total_seconds()
    late = common.summary(lateness + overdue)
    commit = common.summary(commit_lateness + overdue) if run["commits"] else common.summary([])
    return {
        "events": events,
        "kinds": kinds,
        "events_in_window": in_window,
        "window_s": window_s,
        "wall_s_with_drain": run["wall_s"],
        "starting_s": run["starting_s"],
        "late_start_s": run["late_start_s"],
        # Events stamped (wall_at) between the first start and the stop, over that window.
        "events_per_s": in_window / window_s,
        # The busiest wall second: what the engine appends when the scripts offer more than it can take.
        "peak_per_s": max(per_second.values(), default=0),
        # What the scripts would have appended by the stop had every step been on time.
        "offered_events": offered,
        "offered_per_s": offered / window_s,
        "injects_published": len(lateness),
        "overdue_at_stop": len(overdue),
        "lateness_ms": late,
        "lateness_published_only_ms": common.summary(lateness),
        "commit_lateness_ms": commit,
        "late_p50_ms": late["p50"],
        "late_p99_ms": late["p99"],
        "late_max_ms": late["max"],
        "commit_p99_ms": commit["p99"],
        "cpu_s": run["cpu_s"],
        "machine_cpu_s": run["machine_cpu_s"],
        "cpu_s_per_1k": run["cpu_s"] / events * 1000 if events else None,
        "machine_cpu_s_per_1k": run["machine_cpu_s"] / events * 1000 if events else None,
    }


def offered_events(drill_ids: list[int], stopped_at) -> int:
    """Events a punctual engine would have appended by `stopped_at` (pure engine, no participants acting)."""
    from bisect import bisect_right

    from drills.models import Drill

    timelines, total = {}, 0
    for drill in Drill.objects.filter(pk__in=drill_ids, started_at__isnull=False).select_related("version"):
        if drill.version_id not in timelines:
            timelines[drill.version_id] = punctual_timeline(drill.version)
        total += bisect_right(timelines[drill.version_id], drill.clock.sim_ms(stopped_at))
    return total


def punctual_timeline(version) -> list[int]:
    """The sim_ms of every event of a drill whose engine always wakes exactly when it asked to."""
    from drills.engine import decide
    from drills.log import DRILL_STARTED, LoggedEvent
    from scenarios.selectors import version_scenario_and_plan

    scenario, plan = version_scenario_and_plan(version)
    log, now_ms = [LoggedEvent(1, DRILL_STARTED, 0, {})], 0
    for _ in range(100_000):
        decision = decide(scenario=scenario, plan=plan, log=log, now_ms=now_ms)
        for event in decision.events:
            log.append(LoggedEvent(len(log) + 1, event.kind, now_ms, {**event.data, "id": len(log) + 1}))
        if decision.next_due_ms is None:
            break
        now_ms = decision.next_due_ms
    return [event.sim_ms for event in log]


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


# ---- the bare baseline ----------------------------------------------------------------------------------

BASELINE_DDL = {
    "sqlite": [
        "CREATE TABLE bench_counter (drill_id integer PRIMARY KEY, seq integer NOT NULL)",
        "CREATE TABLE bench_event (id integer PRIMARY KEY AUTOINCREMENT, drill_id integer NOT NULL,"
        " seq integer NOT NULL, kind varchar(40) NOT NULL, sim_ms bigint NOT NULL, wall_at datetime NOT NULL,"
        " data text NOT NULL, UNIQUE (drill_id, seq))",
    ],
    "postgresql": [
        "CREATE TABLE bench_counter (drill_id integer PRIMARY KEY, seq integer NOT NULL)",
        "CREATE TABLE bench_event (id bigserial PRIMARY KEY, drill_id integer NOT NULL, seq integer NOT NULL,"
        " kind varchar(40) NOT NULL, sim_ms bigint NOT NULL, wall_at timestamptz NOT NULL, data jsonb NOT NULL,"
        " UNIQUE (drill_id, seq))",
    ],
}


def baseline_run(drill_ids: list[int], max_s: float) -> dict:
    """The engine's events written again, bare: one transaction per event, UPDATE counter + INSERT."""
    from django.db import connection, transaction

    from drills.models import DrillEvent

    events = list(
        DrillEvent.objects.filter(drill_id__in=drill_ids)
        .order_by("wall_at", "drill_id", "seq")
        .values_list("drill_id", "seq", "kind", "sim_ms", "wall_at", "data")
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_event")
        cursor.execute("DROP TABLE IF EXISTS bench_counter")
        for statement in BASELINE_DDL[connection.vendor]:
            cursor.execute(statement)
        cursor.executemany("INSERT INTO bench_counter (drill_id, seq) VALUES (%s, 0)", [[pk] for pk in drill_ids])
    written, truncated = 0, False
    cpu0, t0 = time.process_time(), time.perf_counter()
    for drill_id, seq, kind, sim_ms, wall_at, data in events:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE bench_counter SET seq = seq + 1 WHERE drill_id = %s", [drill_id])
            cursor.execute(
                "INSERT INTO bench_event (drill_id, seq, kind, sim_ms, wall_at, data) VALUES (%s, %s, %s, %s, %s, %s)",
                [drill_id, seq, kind, sim_ms, wall_at, json.dumps(data)],
            )
        written += 1
        if written % 200 == 0 and time.perf_counter() - t0 > max_s:
            truncated = True
            break
    elapsed_s = time.perf_counter() - t0
    cpu_s = time.process_time() - cpu0
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_event")
        cursor.execute("DROP TABLE bench_counter")
    return {
        "events": written,
        "of": len(events),
        "truncated_at_max_seconds": truncated,
        "wall_s": elapsed_s,
        "events_per_s": written / elapsed_s if elapsed_s else None,
        "cpu_s_per_1k": cpu_s / written * 1000 if written else None,
    }


if __name__ == "__main__":
    sys.exit(main())
