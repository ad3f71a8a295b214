"""The engine step: what is due now for each running drill, appended in one round of writes; what a step tells
the drivers, and when a drill whose step failed is tried again."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import transaction

from drills.engagement import TICK_MS
from drills.engine import decide
from drills.events import engine_log, events_append, log_state_save
from drills.log import DRILL_FINISHED, INJECT_PUBLISHED
from drills.models import Drill, DrillStatus, PublishedInject
from drills.rows import claim_due_drills, deferred_writes, insert, lock_drills
from drills.services.chain import bots_act
from drills.services.common import now_or
from scenarios.models import Scenario
from scenarios.selectors import version_scenario_and_plan

log = logging.getLogger(__name__)


class Stepped(NamedTuple):
    """What a driver learns from a batch: each stepped drill's next due moment (None once it stopped running;
    drills not running are left out) and the drills whose step failed, to retry later (`retry_delay_s`)."""

    next_due: dict[int, datetime | None]
    failed: set[int]


# A failing step (a bug in one drill's data, a database error) is retried after 1, 2, 4 ... s, at most 30 s
# apart (a Celery countdown stays within MAX_CELERY_SLEEP_S): soon enough for a passing fault, rarely enough
# that a drill that always fails costs the others next to nothing.
RETRY_FIRST_S = 1.0
RETRY_MAX_S = 30.0
# Engagement counters are read at the 15 s boundaries of simulated time, but a drill played fast tells them at
# most once a wall second (every few boundaries): nobody reads likes faster, and at x100 an event per boundary
# would cost more steps than the whole script.
COUNTERS_WAKE_S = 1.0


def counters_every_ms(speed: float) -> int:
    """Simulated ms between two engagement events at `speed`: whole boundaries, at least a wall second apart."""
    return max(TICK_MS, math.ceil(COUNTERS_WAKE_S * 1000 * speed / TICK_MS) * TICK_MS)


def retry_delay_s(failures: int) -> float:
    """Seconds before the next try of a drill whose step has failed `failures` times in a row (at least 1)."""
    return min(RETRY_FIRST_S * 2 ** (max(failures, 1) - 1), RETRY_MAX_S)


def drill_close(drill: Drill, now, sim_ms: int, items) -> None:
    drill.status, drill.finished_at, drill.clock = DrillStatus.FINISHED, now, drill.clock.pause(now)
    drill.next_due_at = None
    events_append(drill=drill, items=items, sim_ms=sim_ms, now=now)
    drill.save()


@transaction.atomic
def drill_advance(*, drill_id: int, now=None):
    """Appends every event due now and returns the wall moment the drill next needs the engine; None when the
    drill is not running. A failing step raises."""
    return _advance_running(lock_drills([drill_id]), now_or(now)).get(drill_id)


def drills_step(*, drill_ids: list[int], now=None) -> Stepped:
    """`drill_advance` of several drills, their rows locked in one statement and their writes sent together: the
    in-process driver's batches, one transaction each (a savepoint within the caller's, if it has one). A drill
    whose step fails holds up no other (`_stepped_apart`)."""
    return _stepped_apart(lambda: lock_drills(drill_ids), now)


def drills_step_due(*, limit: int, now=None) -> tuple[int, Stepped]:
    """A Celery tick's batch: up to `limit` running drills already due whose rows no other worker holds, most
    overdue first, stepped in one transaction. Returns how many it claimed (as many as `limit`: more may be due)."""
    now = now_or(now)
    claimed = []

    def locked() -> list[Drill]:
        claimed.extend(claim_due_drills(now=now, limit=limit))
        return claimed

    stepped = _stepped_apart(locked, now)
    return len(claimed), stepped


def _stepped_apart(locked, now) -> Stepped:
    """The steps of the drills `locked()` locks, in one transaction: a healthy batch pays one round of writes and
    one commit, and no savepoint. If a step raises, the batch is rolled back and every drill it locked is stepped
    again in a transaction of its own, so a failing drill holds up no other: it is logged, and its next due moment
    moves to its first retry (so no other wake-up claims it meanwhile); the driver retries it alone, later each
    time. `now`: the moment of the steps; None reads the clock once the rows are locked (waiting for the lock is
    lateness, and the log must show it)."""
    drills: list[Drill] = []
    try:
        with transaction.atomic():
            drills = locked()
            return Stepped(_advance_running(drills, now_or(now)), set())
    except Exception:
        if not drills:
            raise  # the lock failed: nothing was stepped
        drill_ids = [drill.pk for drill in drills]
        log.warning("engine batch %s failed: stepping each drill apart", drill_ids, exc_info=True)
    stepped = Stepped({}, set())
    for drill_id in drill_ids:
        try:
            with transaction.atomic():
                stepped.next_due.update(_advance_running(lock_drills([drill_id]), now_or(now)))
        except Exception:
            log.exception("engine step of drill %s failed", drill_id)
            stepped.failed.add(drill_id)
            retry_at = now_or(now) + timedelta(seconds=retry_delay_s(1))
            Drill.objects.filter(pk=drill_id).update(next_due_at=retry_at)
    return stepped


def _advance_running(drills: list[Drill], now) -> dict[int, datetime | None]:
    """The engine step of each running drill among `drills` (locked): its next due moment, None once finished."""
    steps = [_decided(drill, now) for drill in drills if drill.status == DrillStatus.RUNNING]
    with_inject_ids(steps)
    with deferred_writes():
        return {step.drill.pk: _applied(step, now) for step in steps}


def advance_locked(drill: Drill, now):
    return _advance_running([drill], now)[drill.pk]


@dataclass
class Step:
    drill: Drill
    scenario: Scenario
    now_ms: int
    next_due_ms: int | None
    items: list[tuple[str, dict]]
    counters_due_ms: int | None = None


def _decided(drill: Drill, now) -> Step:
    scenario, plan = version_scenario_and_plan(drill.version)
    now_ms = drill.clock.sim_ms(now)
    every_ms = counters_every_ms(drill.clock.speed)
    decision = decide(
        scenario=scenario, plan=plan, log=engine_log(drill=drill), now_ms=now_ms, counters_every_ms=every_ms
    )
    items = [(event.kind, event.data) for event in decision.events]
    return Step(drill, scenario, now_ms, decision.next_due_ms, items, decision.counters_due_ms)


def _applied(step: Step, now):
    drill, items, now_ms = step.drill, step.items, step.now_ms
    if items and items[-1][0] == DRILL_FINISHED:
        drill_close(drill, now, now_ms, items)
        return None
    if drill.bots_check_ms is not None and drill.bots_check_ms <= now_ms:
        events_append(drill=drill, items=items, sim_ms=now_ms, now=now)  # what was due lands before the bots act
        items = []
        drill.bots_check_ms = bots_act(drill=drill, scenario=step.scenario, now=now, now_ms=now_ms)
    drill.next_due_at = wake_at(step)
    events_append(drill=drill, items=items, sim_ms=now_ms, now=now)
    log_state_save(drill)  # once per drill and step, after every append above (the bots' too)
    return drill.next_due_at


# Counters alone wake a drill up to this many wall seconds after they are due: any step within that time (of the
# script, the bots, an action) tells them anyway, as the engine tells whatever is due at every step. At x100 most
# engagement events thus ride on steps that run regardless (500 drills: 12 % fewer steps, 8 % less engine CPU); in
# real time the counters are at most a second late.
COUNTERS_LATE_S = 1.0


def wake_at(step: Step) -> datetime | None:
    """When the drill next needs the engine: for its script, its bots or its counters (`COUNTERS_LATE_S`)."""
    drill = step.drill
    counters_ms = None
    if step.counters_due_ms is not None:
        counters_ms = step.counters_due_ms + round(COUNTERS_LATE_S * 1000 * drill.clock.speed)
    due_ms = [ms for ms in (step.next_due_ms, drill.bots_check_ms, counters_ms) if ms is not None]
    return drill.clock.wall_at(max(min(due_ms), step.now_ms + 1)) if due_ms else None


def with_inject_ids(steps: list[Step]) -> None:
    """Each inject.published gains the id of its PublishedInject row, the rows of all steps created in one
    statement.

    The rows' unique (drill, key, slot) is the last guard against publishing anything twice."""
    places = [
        (step, offset) for step in steps for offset, (kind, _) in enumerate(step.items) if kind == INJECT_PUBLISHED
    ]
    inject_rows = [
        _inject_row(step.drill, step.items[offset][1], step.now_ms, event_seq=step.drill.seq + offset + 1)
        for step, offset in places
    ]
    for (step, offset), pk in zip(places, insert(PublishedInject, inject_rows, returning_id=True), strict=True):
        kind, data = step.items[offset]
        step.items[offset] = (kind, {"id": pk, **data})


def _inject_row(drill: Drill, data: dict, now_ms: int, *, event_seq: int) -> dict:
    return {
        "drill_id": drill.pk,
        "key": data["key"],
        "burst_index": data["burst_index"],
        "slot": -1 if data["burst_index"] is None else data["burst_index"],
        "platform": data["platform"],
        "persona": data["persona"],
        "text": data["text"],
        "severity": data["severity"],
        "requires_response": data["requires_response"],
        "planned_ms": data["planned_ms"],
        "published_ms": now_ms,
        "respond_by_ms": data["respond_by_ms"],
        "manual": data.get("manual", False),
        "event_seq": event_seq,
    }
