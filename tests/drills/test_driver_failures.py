"""A drill whose engine step always fails holds up no other drill, with either driver: it is logged, backed off
and retried alone, and the other drills go on at their moment."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from drills import driver, services, tasks
from drills.models import Drill, DrillEvent
from drills.services import steps
from drills.services.steps import Stepped, retry_delay_s
from tests.drills.test_inprocess_driver import FakeEngine, started, until
from tests.loops import in_own_loop

pytestmark = pytest.mark.django_db(transaction=True)
SECOND = timedelta(seconds=1)


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


# ---- Celery ---------------------------------------------------------------------------------------------


def test_a_celery_tick_steps_every_other_drill_when_one_step_fails(start, broken, wall, caplog):
    alone, own, failing, other = start(4)
    tries = broken(failing)
    wall.advance(seconds=90)
    services.drill_advance(drill_id=alone, now=wall.now())
    seq_before = Drill.objects.get(pk=failing).seq

    with caplog.at_level(logging.ERROR, logger="drills.services.steps"):
        _, stepped = services.drills_step_due(limit=5, now=wall.now())

    assert stepped.failed == {failing}
    assert set(stepped.next_due) == {own, other}
    # The others' logs are what a step alone at that moment writes: same events, same lateness.
    assert story(own) == story(other) == story(alone)
    assert Drill.objects.get(pk=failing).seq == seq_before  # nothing half-written
    assert tries and f"engine step of drill {failing} failed" in caplog.text


def test_a_failing_drill_waits_for_its_retry_out_of_everyone_elses_batch_and_sweep(start, broken, wall, monkeypatch):
    _other, failing = start(2)
    tries = broken(failing)
    wall.advance(seconds=90)
    services.drills_step_due(limit=5, now=wall.now())
    assert Drill.objects.get(pk=failing).next_due_at == wall.now() + timedelta(seconds=retry_delay_s(1))
    first_tries = len(tries)

    wall.advance(seconds=0.5)  # another tick before the failing drill's retry: it is not claimed
    services.drills_step_due(limit=5, now=wall.now())
    ticks = []
    monkeypatch.setattr(tasks.engine_tick, "apply_async", lambda *args, **options: ticks.append(args))
    late = timedelta(seconds=tasks.ARMED_LOST_S)
    tasks.sweep_running_drills(now=wall.now() + late)  # nor does the sweep send a tick for it

    assert len(tries) == first_tries
    assert ticks == []
    tasks.sweep_running_drills(now=wall.now() + late + timedelta(seconds=1))  # its retry is long overdue: it is
    assert len(ticks) == 1


@pytest.fixture
def ticks(monkeypatch):
    """The ticks a tick arms: (armed moment or None, countdown) each, instead of sending them."""
    from django.core.cache import cache

    cache.delete(tasks.ARMED_KEY)
    armed: list[tuple] = []
    monkeypatch.setattr(tasks.engine_tick, "apply_async", lambda args=(), countdown=0: armed.append((*args, countdown)))
    yield armed
    cache.delete(tasks.ARMED_KEY)


def test_a_failing_celery_drill_is_tried_later_each_time_up_to_the_cap(start, broken, ticks):
    from django.core.cache import cache

    (failing,) = start(1)
    broken(failing)
    cache.delete(tasks.FAILURES_KEY.format(failing))
    delays = []
    for _ in range(8):
        Drill.objects.filter(pk=failing).update(next_due_at=timezone.now())  # its retry has come
        before = timezone.now()
        tasks.engine_tick()
        after = timezone.now()
        # The delay runs from when the tick backed off, somewhere between the two (a busy machine makes it long).
        next_due_at = Drill.objects.get(pk=failing).next_due_at
        delays.append(
            next((d for d in (1, 2, 4, 8, 16, 30) if before + d * SECOND <= next_due_at <= after + d * SECOND), None)
        )

    assert delays == [1, 2, 4, 8, 16, 30, 30, 30]
    assert max(countdown for *_, countdown in ticks) <= driver.MAX_CELERY_SLEEP_S


def test_a_tick_arms_one_next_tick_for_the_first_due_drill(start, ticks):
    first, later = start(2)
    ticks.clear()  # the starts' own (with the Celery driver)
    Drill.objects.filter(pk=first).update(next_due_at=timezone.now() + timedelta(seconds=3))
    Drill.objects.filter(pk=later).update(next_due_at=timezone.now() + timedelta(seconds=9))

    tasks.arm_next_tick()
    tasks.arm_next_tick()  # another tick ending now: the armed one already comes by then

    ((armed_at, countdown),) = ticks
    assert armed_at == Drill.objects.get(pk=first).next_due_at.timestamp()
    assert 2 < countdown <= 3


def test_a_lost_armed_tick_is_armed_again(start, ticks):
    from django.core.cache import cache

    (drill,) = start(1)
    ticks.clear()  # the start's own (with the Celery driver)
    cache.set(tasks.ARMED_KEY, time.time() - tasks.ARMED_LOST_S - 1)  # its worker was killed before it ran
    Drill.objects.filter(pk=drill).update(next_due_at=timezone.now() + timedelta(seconds=3))

    tasks.arm_next_tick()

    assert len(ticks) == 1


# ---- in-process -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("outer", [contextlib.nullcontext, transaction.atomic], ids=["own transaction", "caller's"])
def test_an_inprocess_batch_with_a_failing_step_commits_the_others_and_reports_it(start, broken, wall, outer):
    alone, failing, other = start(3)
    broken(failing)
    wall.advance(seconds=90)
    services.drill_advance(drill_id=alone, now=wall.now())
    with outer():
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
