"""Creating, running and ending drills, manual injects, debrief notes, and the engine step."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_noop

from accounts.models import Role
from accounts.selectors import require_instructor
from config.errors import Conflict, Invalid, NotFound
from config.texts import said
from drills.clock import MAX_SPEED, MIN_SPEED
from drills.engine import decide
from drills.events import engine_log, events_append
from drills.log import (
    DRILL_FINISHED,
    DRILL_PAUSED,
    DRILL_RESUMED,
    DRILL_SPEED,
    DRILL_STARTED,
    INJECT_PUBLISHED,
    SEAT_JOINED,
    SEAT_LEFT,
)
from drills.models import DebriefNote, Drill, DrillStatus, PublishedInject, Seat
from drills.rows import claim_due_drills, deferred_writes, insert, lock_drill, lock_drills
from drills.services.chain import bots_act
from drills.services.common import append_now, now_or, scenario_of, wake_engine_on_commit
from drills.services.seating import bot_errors, seat_errors, team_seats, unique_seats
from drills.services.steps import Stepped, retry_delay_s
from scenarios.models import Scenario
from scenarios.selectors import latest_version, version_in_organization, version_scenario_and_plan

MSG_TRANSITION = gettext_noop("Cannot {action} a drill that is {status}.")
MSG_SPEED_RANGE = said(
    gettext_noop("Speed must be between {low} and {high}."), low=f"{MIN_SPEED:g}", high=f"{MAX_SPEED:g}"
)
MSG_NO_VERSION = gettext_noop("This scenario has no published version: publish it first.")
MSG_NEED_SCENARIO = gettext_noop("Give a scenario or a version.")
MSG_NOT_FINISHED = gettext_noop("Notes can be added once the drill is finished.")
MSG_NO_EVENT = gettext_noop("No event with this seq in the drill.")

log = logging.getLogger(__name__)


# ---- creation -------------------------------------------------------------------------------------------


@transaction.atomic
def drill_create(
    *,
    by,
    scenario=None,
    version=None,
    seats=(),
    bots=(),
    speed: float = 1.0,
    title: str = "",
    team: int | None = None,
    team_role: str | None = None,
) -> Drill:
    """A drill in the lobby. `team` seats every member of that team as `team_role` (default: the drafting role)."""
    organization = require_instructor(by).organization
    version = _version_to_run(organization, scenario, version)
    spec = version_scenario_and_plan(version)[0]
    seats = [*seats, *team_seats(organization, team, team_role or spec.roles[0], seats)]
    errors = _speed_errors(speed) + seat_errors(organization, spec.roles, seats) + bot_errors(spec.roles, seats, bots)
    if errors:
        raise Invalid(errors[0]["message"], errors=errors)
    drill = Drill.objects.create(
        organization=organization,
        version=version,
        title=title or version.title,
        speed=speed,
        bots=list(dict.fromkeys(bots)),
        created_by=by,
    )
    Seat.objects.bulk_create(
        [Seat(drill=drill, user_id=seat["user"], role=seat["role"]) for seat in unique_seats(seats)]
    )
    return drill


def _version_to_run(organization, scenario_id, version_id):
    if version_id is not None:
        return version_in_organization(organization=organization, version_id=version_id)
    if scenario_id is None:
        raise Invalid(MSG_NEED_SCENARIO, errors=[{"path": "scenario", "message": MSG_NEED_SCENARIO}])
    scenario = Scenario.objects.filter(organization=organization, pk=scenario_id).first()
    if scenario is None:
        raise NotFound()
    version = latest_version(scenario=scenario)
    if version is None:
        raise Invalid(MSG_NO_VERSION, errors=[{"path": "scenario", "message": MSG_NO_VERSION}])
    return version


def _speed_errors(speed) -> list[dict]:
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not MIN_SPEED <= speed <= MAX_SPEED:
        return [{"path": "speed", "message": MSG_SPEED_RANGE}]
    return []


# ---- lifecycle ------------------------------------------------------------------------------------------


def _controlled(by, drill: Drill, now, action: str, allowed: tuple[str, ...]):
    """An instructor's control of a drill: the locked drill (if `action` is legal now) and the moment."""
    require_instructor(by)
    now = now_or(now)
    drill = lock_drill(drill.pk)
    _transition(drill, action, allowed)
    return drill, now


def _transition(drill: Drill, action: str, allowed: tuple[str, ...]) -> None:
    if drill.status not in allowed:
        raise Conflict(said(MSG_TRANSITION, action=action, status=drill.status), extra={"status": drill.status})


@transaction.atomic
def drill_start(*, by, drill: Drill, now=None) -> Drill:
    drill, now = _controlled(by, drill, now, "start", (DrillStatus.LOBBY,))
    drill.status, drill.started_at, drill.clock = DrillStatus.RUNNING, now, drill.clock.start(now)
    drill.generation += 1
    drill.save()
    events_append(drill=drill, items=[(DRILL_STARTED, {})], sim_ms=0, now=now)
    _advance_locked(drill, now)
    wake_engine_on_commit(drill)
    return drill


@transaction.atomic
def drill_pause(*, by, drill: Drill, now=None) -> Drill:
    drill, now = _controlled(by, drill, now, "pause", (DrillStatus.RUNNING,))
    _advance_locked(drill, now)  # what was due before the pause lands before it
    if drill.status == DrillStatus.FINISHED:
        return drill
    sim_ms = drill.clock.sim_ms(now)
    drill.status, drill.clock = DrillStatus.PAUSED, drill.clock.pause(now)
    drill.generation += 1
    drill.next_due_at = None
    drill.save()
    events_append(drill=drill, items=[(DRILL_PAUSED, {})], sim_ms=sim_ms, now=now)
    return drill


@transaction.atomic
def drill_resume(*, by, drill: Drill, now=None) -> Drill:
    drill, now = _controlled(by, drill, now, "resume", (DrillStatus.PAUSED,))
    drill.status, drill.clock = DrillStatus.RUNNING, drill.clock.resume(now)
    drill.generation += 1
    drill.save()
    append_now(drill, [(DRILL_RESUMED, {})], now)
    _advance_locked(drill, now)
    wake_engine_on_commit(drill)
    return drill


@transaction.atomic
def drill_set_speed(*, by, drill: Drill, speed, now=None) -> Drill:
    require_instructor(by)
    errors = _speed_errors(speed)
    if errors:
        raise Invalid(MSG_SPEED_RANGE, errors=errors)
    allowed = (DrillStatus.LOBBY, DrillStatus.RUNNING, DrillStatus.PAUSED)
    drill, now = _controlled(by, drill, now, "change the speed of", allowed)
    drill.clock = drill.clock.with_speed(now, float(speed))
    drill.generation += 1
    drill.save()
    append_now(drill, [(DRILL_SPEED, {"speed": float(speed)})], now)
    wake_engine_on_commit(drill)
    return drill


@transaction.atomic
def drill_finish(*, by, drill: Drill, now=None) -> Drill:
    drill, now = _controlled(by, drill, now, "finish", (DrillStatus.RUNNING, DrillStatus.PAUSED))
    if drill.status == DrillStatus.RUNNING:
        _advance_locked(drill, now)
    if drill.status != DrillStatus.FINISHED:
        _close(drill, now, drill.clock.sim_ms(now), [(DRILL_FINISHED, {})])
    return drill


def _close(drill: Drill, now, sim_ms: int, items) -> None:
    drill.status, drill.finished_at, drill.clock = DrillStatus.FINISHED, now, drill.clock.pause(now)
    drill.generation += 1
    drill.next_due_at = None
    drill.save()
    events_append(drill=drill, items=items, sim_ms=sim_ms, now=now)


# ---- the engine step ------------------------------------------------------------------------------------


@transaction.atomic
def drill_advance(*, drill_id: int, now=None):
    """Appends every event due now and returns the wall moment the drill next needs the engine; None when the
    drill is not running. A failing step raises."""
    return _advance_running(lock_drills([drill_id]), now_or(now)).get(drill_id)


def drills_step(*, drill_ids: list[int], now=None) -> Stepped:
    """`drill_advance` of several drills in the caller's transaction, their rows locked in one statement and
    their writes sent together: the in-process driver's batches. A drill whose step fails holds up no other
    (`_stepped_apart`)."""
    drills = lock_drills(drill_ids)
    # Read the clock after the lock: time spent waiting for it is lateness, and the log must show it.
    return _stepped_apart(drills, now_or(now))


@transaction.atomic
def drills_advance_due(*, drill_id: int, generation: int, limit: int, failures: int = 0, now=None) -> Stepped | None:
    """A Celery wake-up: `drill_advance` of the drill it was armed for and, if it still owns that drill, of up
    to `limit` other drills already due whose rows no other worker holds, all in one transaction; None if it
    does not own the drill. `failures`: how many times in a row this drill's step has failed before.

    The others are stepped but not handed on: each keeps the wake-up armed for it, which steps it again (then
    usually finding nothing due) and arms its next one. So a worker that falls behind catches up with every due
    drill at its next task, and no task is ever made stale by another's work."""
    own = [drill for drill in lock_drills([drill_id]) if drill.generation == generation]
    if not own:
        return None
    now = now_or(now)
    others = claim_due_drills(now=now, limit=limit, exclude=drill_id)
    return _stepped_apart([*own, *others], now, handed_on=drill_id, failures=failures)


def _stepped_apart(drills: list[Drill], now, *, handed_on: int | None = None, failures: int = 0) -> Stepped:
    """The steps of `drills` (locked) in one savepoint, so a healthy batch keeps its single round of writes and
    its one commit. If a step raises, every drill is stepped again in a savepoint of its own, so a failing drill
    holds up no other: it is logged, and its next due moment moves to its retry (so no other wake-up claims it
    meanwhile and the sweep does not re-arm it); the driver retries it alone. `handed_on`: the drill whose
    wake-up this is (its generation moves on, even when its step fails)."""
    try:
        with transaction.atomic():
            return Stepped(_advance_running(_handed_on(drills, handed_on), now), set())
    except Exception:
        log.warning("engine batch %s failed: stepping each drill apart", [d.pk for d in drills], exc_info=True)
    stepped = Stepped({}, set())
    for drill in lock_drills([d.pk for d in drills]):  # re-read: the failed try changed the objects
        try:
            with transaction.atomic():
                stepped.next_due.update(_advance_running(_handed_on([drill], handed_on), now))
        except Exception:
            log.exception("engine step of drill %s failed", drill.pk)
            stepped.failed.add(drill.pk)
            _retry_later(drill.pk, now, failures + 1 if drill.pk == handed_on else 1, drill.pk == handed_on)
    return stepped


def _retry_later(drill_id: int, now, failures: int, handed_on: bool) -> None:
    changes = {"next_due_at": now + timedelta(seconds=retry_delay_s(failures))}
    if handed_on:
        changes["generation"] = F("generation") + 1
    Drill.objects.filter(pk=drill_id).update(**changes)


def _handed_on(drills: list[Drill], drill_id: int | None) -> list[Drill]:
    for drill in drills:
        if drill.pk == drill_id:
            drill.generation += 1  # saved with the step's appends
    return drills


def _advance_running(drills: list[Drill], now) -> dict[int, datetime | None]:
    """The engine step of each running drill among `drills` (locked): its next due moment, None once finished."""
    steps = [_decided(drill, now) for drill in drills if drill.status == DrillStatus.RUNNING]
    _with_inject_ids(steps)
    with deferred_writes():
        return {step.drill.pk: _applied(step, now) for step in steps}


def _advance_locked(drill: Drill, now):
    return _advance_running([drill], now)[drill.pk]


@dataclass
class _Step:
    drill: Drill
    scenario: Scenario
    now_ms: int
    next_due_ms: int | None
    items: list[tuple[str, dict]]


def _decided(drill: Drill, now) -> _Step:
    scenario, plan = version_scenario_and_plan(drill.version)
    now_ms = drill.clock.sim_ms(now)
    decision = decide(scenario=scenario, plan=plan, log=engine_log(drill=drill), now_ms=now_ms)
    items = [(event.kind, event.data) for event in decision.events]
    return _Step(drill, scenario, now_ms, decision.next_due_ms, items)


def _applied(step: _Step, now):
    drill, items, now_ms = step.drill, step.items, step.now_ms
    if items and items[-1][0] == DRILL_FINISHED:
        _close(drill, now, now_ms, items)
        return None
    if drill.bots_check_ms is not None and drill.bots_check_ms <= now_ms:
        events_append(drill=drill, items=items, sim_ms=now_ms, now=now)  # what was due lands before the bots act
        items = []
        drill.bots_check_ms = bots_act(drill=drill, scenario=step.scenario, now=now, now_ms=now_ms)
    due_ms = [ms for ms in (step.next_due_ms, drill.bots_check_ms) if ms is not None]
    drill.next_due_at = drill.clock.wall_at(max(min(due_ms), now_ms + 1)) if due_ms else None
    events_append(drill=drill, items=items, sim_ms=now_ms, now=now)  # saves next_due_at with them
    return drill.next_due_at


def _with_inject_ids(steps: list[_Step]) -> None:
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


# ---- manual injects, presence, notes --------------------------------------------------------------------

MANUAL_PERSONA = {"name": "Newsdesk", "handle": "@newsdesk", "kind": "manual", "followers": 0}


@transaction.atomic
def inject_manual(
    *,
    by,
    drill: Drill,
    platform: str,
    text: str,
    severity: int,
    requires_response: bool = False,
    persona: dict | str | None = None,
    respond_within_ms: int | None = None,
    now=None,
) -> PublishedInject:
    drill, now = _controlled(by, drill, now, "inject into", (DrillStatus.RUNNING, DrillStatus.PAUSED))
    scenario = scenario_of(drill)
    now_ms = drill.clock.sim_ms(now)
    within_ms = respond_within_ms if respond_within_ms is not None else scenario.response_sla_ms
    data = {
        "key": f"manual-{PublishedInject.objects.filter(drill=drill, manual=True).count() + 1}",
        "burst_index": None,
        "platform": platform,
        "persona": _manual_persona(drill, persona),
        "text": text,
        "severity": severity,
        "requires_response": requires_response,
        "respond_by_ms": now_ms + within_ms if requires_response else None,
        "planned_ms": now_ms,
        "manual": True,
    }
    step = _Step(drill, scenario, now_ms, None, [(INJECT_PUBLISHED, data)])
    _with_inject_ids([step])
    events_append(drill=drill, items=step.items, sim_ms=now_ms, now=now)
    wake_engine_on_commit(drill)
    return PublishedInject.objects.get(pk=step.items[0][1]["id"])


def _manual_persona(drill: Drill, persona: dict | str | None) -> dict:
    """A scenario persona by key (as the drill shows it), a display name, or a given persona."""
    if isinstance(persona, str):
        scenario, plan = version_scenario_and_plan(drill.version)
        keys = {inject.key for inject in scenario.injects if inject.persona == persona}
        items = [*plan.timed, *(c.item for c in plan.conditional)]
        shown = next((item.persona for item in items if item.key in keys), None)
        if shown is not None:
            return shown.as_dict()
        return {**MANUAL_PERSONA, "name": persona, "handle": ""}
    return {**MANUAL_PERSONA, **(persona or {})}


@transaction.atomic
def seat_presence(*, drill: Drill, user, roles: list[str], joined: bool, now=None) -> None:
    """seat.joined / seat.left, while the drill is not over (the finished log stays as it was scored)."""
    now = now_or(now)
    drill = lock_drill(drill.pk)
    if drill.status == DrillStatus.FINISHED:
        return
    data = {
        "user": user.pk,
        "username": user.username,
        "display_name": user.shown_name,
        "role": roles[0] if roles else Role.INSTRUCTOR.value,
        "roles": roles,
    }
    append_now(drill, [(SEAT_JOINED if joined else SEAT_LEFT, data)], now)


@transaction.atomic
def note_add(*, by, drill: Drill, event_seq: int, text: str) -> DebriefNote:
    require_instructor(by)
    if drill.status != DrillStatus.FINISHED:
        raise Conflict(MSG_NOT_FINISHED, extra={"status": drill.status})
    if not 1 <= event_seq <= drill.seq:
        raise Invalid(MSG_NO_EVENT, errors=[{"path": "event_seq", "message": MSG_NO_EVENT}])
    return DebriefNote.objects.create(drill=drill, event_seq=event_seq, text=text, author=by)
