"""What bench/engine.py's child measures once the drills have run: the engine's log read back (events/s,
lateness, what a punctual engine would have appended), and the bare baseline on the same database."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import datetime

from bench import common
from bench.engine_drive import SPEED


def analyse(drill_ids: list[int], run: dict) -> dict:
    from drills.engagement import TICK_MS
    from drills.log import ENGAGEMENT
    from drills.models import Drill, DrillEvent, DrillStatus
    from scenarios.selectors import version_scenario_and_plan

    rows = DrillEvent.objects.filter(drill_id__in=drill_ids).values_list(
        "drill_id", "kind", "sim_ms", "wall_at", "data"
    )
    events, in_window, kinds, lateness, published, per_second = 0, 0, {}, [], set(), Counter()
    windows, reactions = Counter(), 0
    for drill_id, kind, sim_ms, wall_at, data in rows.iterator(chunk_size=5000):
        events += 1
        kinds[kind] = kinds.get(kind, 0) + 1
        per_second[int(wall_at.timestamp())] += 1  # rows written, whatever their kind
        if kind == ENGAGEMENT:  # how often they come is the wake policy's: counted apart from the script's events
            windows[(drill_id, sim_ms // TICK_MS)] += 1
            continue
        reactions += kind == "inject.published" and bool(data.get("reaction"))
        in_window += wall_at <= run["stopped_at"]
        if kind == "inject.published" and not data.get("manual"):
            lateness.append((sim_ms - data["planned_ms"]) / SPEED)
            published.add((drill_id, data["key"], data["burst_index"]))
    # Timed items due by the stop but never published: late by at least (stop - planned).
    overdue, drill_minutes = [], 0.0
    for drill in Drill.objects.filter(pk__in=drill_ids).select_related("version"):
        scenario, plan = version_scenario_and_plan(drill.version)
        stop_ms = min(drill.clock.sim_ms(run["stopped_at"]), scenario.duration_ms)
        drill_minutes += stop_ms / 60_000
        if drill.status != DrillStatus.RUNNING:
            continue
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
        # The living crowd (issue 15): what it added, and the protocol's bound of one engagement event per 15 s.
        "engagement_events": kinds.get(ENGAGEMENT, 0),
        "engagement_per_drill_min": kinds.get(ENGAGEMENT, 0) / drill_minutes if drill_minutes else None,
        "engagement_max_per_15s": max(windows.values(), default=0),
        "reaction_posts": reactions,
        "replies_published": kinds.get("response.published", 0),
        "team": run.get("team", {}),
        "window_s": window_s,
        "wall_s_with_drain": run["wall_s"],
        "starting_s": run["starting_s"],
        "late_start_s": run["late_start_s"],
        # Events stamped (wall_at) between the first start and the stop, over that window; engagement apart.
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
    """Events a punctual engine would have appended by `stopped_at` (pure engine, no participants acting, so no
    reaction either; engagement apart)."""
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
    from drills.log import DRILL_STARTED, ENGAGEMENT, LoggedEvent
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
    return [event.sim_ms for event in log if event.kind != ENGAGEMENT]


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
