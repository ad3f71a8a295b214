"""Appending only appends; every service saves the drill's log state (its seq, heat, next wake-up) itself, and an
engine step saves each drill once."""

import pytest
from django.db import transaction
from django.db.models import Max

from drills import rows, services
from drills.events import events_append
from drills.log import HEAT
from drills.models import Drill, DrillEvent, PublishedInject
from drills.rows import lock_drill

pytestmark = pytest.mark.django_db


def log_state(drill_id: int) -> dict:
    return Drill.objects.values(*Drill.LOG_STATE_FIELDS).get(pk=drill_id)


def assert_saved(drill_id: int) -> None:
    """The saved drill says where its log ends and which heat it last showed."""
    saved = log_state(drill_id)
    assert saved["seq"] == DrillEvent.objects.filter(drill_id=drill_id).aggregate(Max("seq"))["seq__max"]
    heats = DrillEvent.objects.filter(drill_id=drill_id, kind=HEAT).order_by("-seq")
    assert saved["heat"] == (heats[0].data["heat"] if heats else 0)


def test_an_append_writes_no_drill_column(running, wall):
    before = log_state(running.pk)
    with transaction.atomic():
        drill = lock_drill(running.pk)
        events_append(drill=drill, items=[(HEAT, {"heat": 99})], sim_ms=31_000, now=wall.now())
    assert DrillEvent.objects.filter(drill=running, seq=before["seq"] + 1, kind=HEAT).exists()
    assert log_state(running.pk) == before


def _first_inject(drill) -> int:
    return PublishedInject.objects.filter(drill=drill).order_by("id").first().pk


def _drafted(cast, drill, wall):
    return services.response_draft(
        by=cast.alice, drill=drill, reply_to=[_first_inject(drill)], text="We are on it.", now=wall.now()
    )


def _submitted(cast, drill, wall):
    response = _drafted(cast, drill, wall)
    services.response_submit(by=cast.alice, drill=drill, response_id=response.pk, now=wall.now())
    return response


def _approve(cast, drill, wall):
    response = _submitted(cast, drill, wall)
    services.step_approve(by=cast.bob, drill=drill, response_id=response.pk, step=1, now=wall.now())


def _reject(cast, drill, wall):
    response = _submitted(cast, drill, wall)
    services.step_reject(by=cast.bob, drill=drill, response_id=response.pk, step=1, comment="No.", now=wall.now())


def _edit(cast, drill, wall):
    response = _drafted(cast, drill, wall)
    services.response_edit(by=cast.alice, drill=drill, response_id=response.pk, text="Better.", now=wall.now())


def _publish(cast, drill, wall):
    response = _submitted(cast, drill, wall)
    for step, user in ((1, cast.bob), (2, cast.bob), (3, cast.instructor)):
        services.step_approve(by=user, drill=drill, response_id=response.pk, step=step, now=wall.now())


def _pause_resume_speed(cast, drill, wall):
    services.drill_pause(by=cast.instructor, drill=drill, now=wall.now())
    assert_saved(drill.pk)
    services.drill_resume(by=cast.instructor, drill=drill, now=wall.now())
    assert_saved(drill.pk)
    services.drill_set_speed(by=cast.instructor, drill=drill, speed=4, now=wall.now())


def _manual_inject(cast, drill, wall):
    services.inject_manual(
        by=cast.instructor, drill=drill, platform="x", text="Breaking", severity=5, requires_response=True
    )


def _presence(cast, drill, wall):
    services.seat_presence(drill=drill, user=cast.alice, roles=["drafter"], joined=True, now=wall.now())


def _advance(cast, drill, wall):
    wall.advance(seconds=600)
    services.drill_advance(drill_id=drill.pk, now=wall.now())


def _finish(cast, drill, wall):
    services.drill_finish(by=cast.instructor, drill=drill, now=wall.now())


@pytest.mark.parametrize(
    "action",
    [
        _drafted,
        _edit,
        _submitted,
        _approve,
        _reject,
        _publish,
        _pause_resume_speed,
        _manual_inject,
        _presence,
        _advance,
        _finish,
    ],
)
def test_each_service_saves_the_log_state_it_appended(cast, running, wall, action):
    action(cast, running, wall)
    assert_saved(running.pk)


def test_an_engine_step_where_bots_act_saves_the_drill_once(cast, outage, wall, monkeypatch):
    drill = services.drill_create(
        by=cast.instructor,
        scenario=outage.scenario_id,
        seats=[{"user": cast.alice.id, "role": "drafter"}],
        bots=["reviewer", "legal", "spokesperson"],
    )
    services.drill_start(by=cast.instructor, drill=drill, now=wall.now())
    wall.advance(seconds=31)
    services.drill_advance(drill_id=drill.pk, now=wall.now())
    _submitted(cast, drill, wall)
    updates = []
    update = rows.update
    monkeypatch.setattr(rows, "update", lambda obj, names: updates.append(obj.pk) or update(obj, names))
    wall.advance(seconds=150)  # past the reviewer bot's latest moment (125% of its 2 minutes' SLA)
    services.drill_advance(drill_id=drill.pk, now=wall.now())
    decided = ("approval.approved", "approval.rejected")
    assert DrillEvent.objects.filter(drill=drill, kind__in=decided, data__bot=True).exists()
    assert updates == [drill.pk]
    assert_saved(drill.pk)
