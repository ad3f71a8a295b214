"""Creating, running and ending drills, manual injects, presence and debrief notes (the engine step: steps.py)."""

from __future__ import annotations

import logging
from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext_noop

from accounts.models import Role
from accounts.selectors import require_instructor
from config.errors import Conflict, Invalid, NotFound
from config.texts import said
from drills.events import events_append, log_state_save
from drills.limits import MAX_SPEED, MIN_SPEED, MSG_SPEED_RANGE
from drills.log import (
    DRILL_FINISHED,
    DRILL_PAUSED,
    DRILL_RESUMED,
    DRILL_SPEED,
    DRILL_STARTED,
    INJECT_PUBLISHED,
    SEAT_JOINED,
    SEAT_LEFT,
    inject_published_data,
)
from drills.models import DebriefNote, Drill, DrillStatus, PublishedInject, Seat
from drills.rows import lock_drill
from drills.services.common import append_now, now_or, scenario_of, wake_engine_on_commit
from drills.services.seating import bot_errors, seat_errors, team_seats, unique_seats
from drills.services.steps import Step, advance_locked, drill_close, with_inject_ids
from scenarios.models import Scenario
from scenarios.plan import PlannedItem, PlannedPersona
from scenarios.selectors import latest_version, version_in_organization, version_scenario_and_plan

MSG_TRANSITION = gettext_noop("Cannot {action} a drill that is {status}.")
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
    events_append(drill=drill, items=[(DRILL_STARTED, {})], sim_ms=0, now=now)
    drill.save()
    advance_locked(drill, now)
    wake_engine_on_commit(drill)
    return drill


@transaction.atomic
def drill_pause(*, by, drill: Drill, now=None) -> Drill:
    drill, now = _controlled(by, drill, now, "pause", (DrillStatus.RUNNING,))
    advance_locked(drill, now)  # what was due before the pause lands before it
    if drill.status == DrillStatus.FINISHED:
        return drill
    sim_ms = drill.clock.sim_ms(now)
    drill.status, drill.clock = DrillStatus.PAUSED, drill.clock.pause(now)
    drill.next_due_at = None
    events_append(drill=drill, items=[(DRILL_PAUSED, {})], sim_ms=sim_ms, now=now)
    drill.save()
    return drill


@transaction.atomic
def drill_resume(*, by, drill: Drill, now=None) -> Drill:
    drill, now = _controlled(by, drill, now, "resume", (DrillStatus.PAUSED,))
    drill.status, drill.clock = DrillStatus.RUNNING, drill.clock.resume(now)
    append_now(drill, [(DRILL_RESUMED, {})], now)
    drill.save()
    advance_locked(drill, now)
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
    append_now(drill, [(DRILL_SPEED, {"speed": float(speed)})], now)
    drill.save()
    wake_engine_on_commit(drill)
    return drill


@transaction.atomic
def drill_finish(*, by, drill: Drill, now=None) -> Drill:
    drill, now = _controlled(by, drill, now, "finish", (DrillStatus.RUNNING, DrillStatus.PAUSED))
    if drill.status == DrillStatus.RUNNING:
        advance_locked(drill, now)
    if drill.status != DrillStatus.FINISHED:
        drill_close(drill, now, drill.clock.sim_ms(now), [(DRILL_FINISHED, {})])
    return drill


# ---- manual injects, presence, notes --------------------------------------------------------------------

MANUAL_PERSONA = PlannedPersona(name="Newsdesk", handle="@newsdesk", kind="manual", followers=0)


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
    subject: str | None = None,
    now=None,
) -> PublishedInject:
    drill, now = _controlled(by, drill, now, "inject into", (DrillStatus.RUNNING, DrillStatus.PAUSED))
    scenario = scenario_of(drill)
    now_ms = drill.clock.sim_ms(now)
    item = PlannedItem(
        key=f"manual-{PublishedInject.objects.filter(drill=drill, manual=True).count() + 1}",
        burst_index=None,
        planned_ms=now_ms,
        platform=platform,
        persona=_manual_persona(drill, persona),
        text=text,
        severity=severity,
        requires_response=requires_response,
        respond_within_ms=respond_within_ms if respond_within_ms is not None else scenario.response_sla_ms,
        subject=subject,
    )
    data = inject_published_data(item, planned_ms=now_ms, now_ms=now_ms, manual=True)
    step = Step(drill, scenario, now_ms, None, [(INJECT_PUBLISHED, data)])
    with_inject_ids([step])
    events_append(drill=drill, items=step.items, sim_ms=now_ms, now=now)
    log_state_save(drill)
    wake_engine_on_commit(drill)
    return PublishedInject.objects.get(pk=step.items[0][1]["id"])


def _manual_persona(drill: Drill, persona: dict | str | None) -> PlannedPersona:
    """A scenario persona by key (as the drill shows it), a display name, or a given persona."""
    if isinstance(persona, str):
        scenario, plan = version_scenario_and_plan(drill.version)
        keys = {inject.key for inject in scenario.injects if inject.persona == persona}
        items = [*plan.timed, *(c.item for c in plan.conditional)]
        shown = next((item.persona for item in items if item.key in keys), None)
        return shown if shown is not None else replace(MANUAL_PERSONA, name=persona, handle="")
    return replace(MANUAL_PERSONA, **(persona or {}))


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
    log_state_save(drill)


@transaction.atomic
def note_add(*, by, drill: Drill, event_seq: int, text: str) -> DebriefNote:
    require_instructor(by)
    if drill.status != DrillStatus.FINISHED:
        raise Conflict(MSG_NOT_FINISHED, extra={"status": drill.status})
    if not 1 <= event_seq <= drill.seq:
        raise Invalid(MSG_NO_EVENT, errors=[{"path": "event_seq", "message": MSG_NO_EVENT}])
    return DebriefNote.objects.create(drill=drill, event_seq=event_seq, text=text, author=by)
