"""A drill whose engine step always fails holds up no other drill, with either driver: it is logged, backed off
and retried alone, and the other drills go on at their moment."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from django.db import transaction

from drills import driver, services, tasks
from drills.models import Drill, DrillEvent
from drills.services import steps
from drills.services.steps import Stepped, retry_delay_s
from tests.drills.test_inprocess_driver import FakeEngine, started, until
from tests.loops import in_own_loop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broken(monkeypatch):
    """`broken(pk)` makes that drill's engine decision raise; returns the list of its tries."""
    tries: list[int] = []

    def break_drill(drill_id: int) -> list[int]:
        decided = steps._decided

        def decided_unless_broken(drill, now):
            if drill.pk == drill_id:
                tries.append(drill.pk)
                raise RuntimeError("this drill's step is broken")
            return decided(drill, now)

        monkeypatch.setattr(steps, "_decided", decided_unless_broken)
        return tries

    return break_drill


def story(drill_id: int) -> list[tuple]:
    events = DrillEvent.objects.filter(drill_id=drill_id).order_by("seq")
    return [(e.seq, e.kind, e.sim_ms, e.wall_at, {k: v for k, v in e.data.items() if k != "id"}) for e in events]


def generation(drill_id: int) -> int:
    return Drill.objects.get(pk=drill_id).generation


# ---- Celery ---------------------------------------------------------------------------------------------


def test_a_celery_wake_up_steps_every_other_drill_when_one_step_fails(start, broken, wall, caplog):
    alone, own, failing, other = start(4)
    tries = broken(failing)
    wall.advance(seconds=90)
    services.drill_advance(drill_id=alone, now=wall.now())
    seq_before = Drill.objects.get(pk=failing).seq

    with caplog.at_level(logging.ERROR, logger="drills.services.steps"):
        stepped = services.drills_advance_due(drill_id=own, generation=generation(own), limit=5, now=wall.now())

    assert stepped.failed == {failing}
    assert set(stepped.next_due) == {own, other}
    # The others' logs are what a step alone at that moment writes: same events, same lateness.
    assert story(own) == story(other) == story(alone)
    assert Drill.objects.get(pk=failing).seq == seq_before  # nothing half-written
    assert tries and f"engine step of drill {failing} failed" in caplog.text


def test_a_failing_drill_waits_for_its_retry_out_of_everyone_elses_batch_and_sweep(start, broken, wall, monkeypatch):
    own, failing = start(2)
    tries = broken(failing)
    wall.advance(seconds=90)
    services.drills_advance_due(drill_id=own, generation=generation(own), limit=5, now=wall.now())
    assert Drill.objects.get(pk=failing).next_due_at == wall.now() + timedelta(seconds=retry_delay_s(1))
    first_tries = len(tries)

    wall.advance(seconds=0.5)  # another wake-up before the failing drill's retry: it is not claimed
    services.drills_advance_due(drill_id=own, generation=generation(own), limit=5, now=wall.now())
    armed = []
    monkeypatch.setattr(tasks, "schedule_advance", armed.append)
    tasks.sweep_running_drills(now=wall.now() + timedelta(seconds=5))  # nor re-armed by the sweep

    assert len(tries) == first_tries
    assert failing not in armed


def test_a_failing_celery_drill_re_arms_itself_alone_later_each_time_up_to_the_cap(start, broken, monkeypatch):
    (failing,) = start(1)
    broken(failing)
    armed = []
    monkeypatch.setattr(tasks.advance_drill, "apply_async", lambda args, countdown: armed.append((args, countdown)))

    failures = 0
    for _ in range(8):
        tasks.advance_drill(failing, generation(failing), failures)
        (drill_id, next_generation, failures), _ = armed[-1]
        assert (drill_id, next_generation) == (failing, generation(failing))  # the next task owns the drill

    assert [countdown for _, countdown in armed] == [1, 2, 4, 8, 16, 30, 30, 30]
    assert max(countdown for _, countdown in armed) <= driver.MAX_CELERY_SLEEP_S


def test_a_celery_drill_that_steps_again_forgets_its_failures(cast, outage, monkeypatch):
    drill = services.drill_create(by=cast.instructor, scenario=outage.scenario_id)
    pk = services.drill_start(by=cast.instructor, drill=drill).pk  # now: the task steps it at the real time
    armed = []
    monkeypatch.setattr(tasks.advance_drill, "apply_async", lambda args, countdown: armed.append(args))
    tasks.advance_drill(pk, generation(pk), 3)
    assert armed == [(pk, generation(pk), 0)]


# ---- in-process -----------------------------------------------------------------------------------------


def test_an_inprocess_batch_with_a_failing_step_commits_the_others_and_reports_it(start, broken, wall):
    alone, failing, other = start(3)
    broken(failing)
    wall.advance(seconds=90)
    services.drill_advance(drill_id=alone, now=wall.now())
    with transaction.atomic():
        stepped = services.drills_step(drill_ids=[failing, other], now=wall.now())
    assert stepped == Stepped({other: Drill.objects.get(pk=other).next_due_at}, {failing})
    assert story(other) == story(alone)


class FailingEngine(FakeEngine):
    """FakeEngine whose steps of `failing` fail `times` times (every time if None); `whole_batch`: the batch
    raises as a whole (e.g. "database is locked"), else the drill is reported in `failed`."""

    def __init__(self, plan, failing: int, times: int | None, whole_batch: bool = False) -> None:
        super().__init__(plan)
        self.failing, self.times, self.whole_batch = failing, times, whole_batch
        self.tried_at: list[float] = []

    async def advance_many(self, drill_ids):
        stepped = await super().advance_many(drill_ids)
        if self.failing not in drill_ids or (self.times is not None and len(self.tried_at) >= self.times):
            return stepped
        self.tried_at.append(asyncio.get_running_loop().time())
        if self.whole_batch:
            raise RuntimeError("database is locked")
        del stepped.next_due[self.failing]
        return Stepped(stepped.next_due, {self.failing})


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(steps, "RETRY_FIRST_S", 0.02)
    monkeypatch.setattr(steps, "RETRY_MAX_S", 0.08)


@pytest.mark.parametrize("whole_batch", [False, True], ids=["step fails", "batch raises"])
def test_an_inprocess_drill_whose_step_fails_is_retried_not_dropped(quick_retries, whole_batch):
    @in_own_loop
    async def scenario():
        engine = FailingEngine({1: None, 2: None}, failing=1, times=2, whole_batch=whole_batch)
        driver_ = await started(engine, running=[1, 2])
        await until(lambda: engine.runs_of(1) == 3)  # two failures, then the step that succeeds
        await asyncio.sleep(0.1)
        await driver_.stop()
        assert engine.runs_of(1) == 3  # once it succeeded (and asked for nothing more), no more retries
        assert engine.overlaps == 0

    scenario()


def test_an_inprocess_failing_drill_is_retried_later_each_time_while_the_others_keep_their_moments(quick_retries):
    @in_own_loop
    async def scenario():
        engine = FailingEngine({1: 0.0, 2: 0.01}, failing=1, times=None)
        driver_ = await started(engine, running=[1, 2])
        await until(lambda: len(engine.tried_at) >= 6)
        runs_of_other = engine.runs_of(2)
        await driver_.stop()
        gaps = [later - earlier for earlier, later in zip(engine.tried_at, engine.tried_at[1:], strict=False)]
        assert all(round(gap, 2) >= delay for gap, delay in zip(gaps, [0.02, 0.04, 0.08, 0.08, 0.08], strict=True))
        assert runs_of_other > len(engine.tried_at)  # every 10 ms, not held up by the failing drill

    scenario()
