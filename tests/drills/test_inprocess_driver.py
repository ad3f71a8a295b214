"""The in-process driver's scheduling, with a fake engine step: when drills run, in which batches, and that a
wake-up is never lost nor runs a drill twice at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from drills.driver import InProcessDriver
from drills.services.steps import Stepped
from tests.loops import in_own_loop


class FakeEngine:
    """Records each batch; a drill's step returns `plan[drill]` seconds from now (None: the drill stops)."""

    def __init__(self, plan: dict[int, float | None], step_s: float = 0.0) -> None:
        self.plan, self.step_s = plan, step_s
        self.batches: list[list[int]] = []
        self.running: set[int] = set()
        self.overlaps = 0
        self.first_batch = asyncio.Event()

    async def advance_many(self, drill_ids: list[int]) -> Stepped:
        self.overlaps += bool(self.running & set(drill_ids))
        self.running |= set(drill_ids)
        self.batches.append(list(drill_ids))
        self.first_batch.set()
        await asyncio.sleep(self.step_s)
        self.running -= set(drill_ids)
        now = datetime.now(UTC)
        return Stepped(
            {i: None if self.plan.get(i) is None else now + timedelta(seconds=self.plan[i]) for i in drill_ids}, set()
        )

    def runs_of(self, drill_id: int) -> int:
        return sum(drill_id in batch for batch in self.batches)


async def started(engine: FakeEngine, running=(), workers: int = 1) -> InProcessDriver:
    async def running_ids():
        return list(running)

    driver = InProcessDriver(advance_many=engine.advance_many, running_drill_ids=running_ids, workers=workers)
    await driver.start()
    return driver


async def until(condition, timeout_s: float = 5.0) -> None:
    async with asyncio.timeout(timeout_s):
        while not condition():
            await asyncio.sleep(0.005)


@in_own_loop
async def test_start_resumes_every_running_drill_in_batches_of_at_most_max_batch():
    engine = FakeEngine(dict.fromkeys(range(70)))
    driver = await started(engine, running=range(70))
    await until(lambda: sum(map(len, engine.batches)) == 70)
    await driver.stop()
    assert sorted(i for batch in engine.batches for i in batch) == list(range(70))
    assert max(map(len, engine.batches)) <= InProcessDriver.MAX_BATCH
    assert len(engine.batches) < 70  # handed over together, not one by one


@in_own_loop
async def test_a_drill_runs_again_at_the_moment_its_step_asked_for_and_stops_when_it_returns_none():
    engine = FakeEngine({1: 0.05, 2: None})
    driver = await started(engine, running=[1, 2])
    await until(lambda: engine.runs_of(1) >= 3)
    await driver.stop()
    assert engine.runs_of(2) == 1
    assert engine.overlaps == 0


@in_own_loop
async def test_drills_due_at_the_same_time_share_a_batch():
    engine = FakeEngine({1: 0.05, 2: 0.05, 3: 0.05})
    driver = await started(engine, running=[1, 2, 3])
    await until(lambda: len(engine.batches) >= 2)
    await driver.stop()
    assert sorted(engine.batches[1]) == [1, 2, 3]


@in_own_loop
async def test_a_wake_during_the_drills_step_runs_it_once_more_after_and_never_at_the_same_time():
    engine = FakeEngine({1: None}, step_s=0.05)
    driver = await started(engine, running=[1])
    await engine.first_batch.wait()
    driver.wake(1)  # e.g. an action committed while the engine was deciding
    driver.wake(1)
    await until(lambda: engine.runs_of(1) == 2)
    await asyncio.sleep(0.1)
    await driver.stop()
    assert engine.runs_of(1) == 2
    assert engine.overlaps == 0


@in_own_loop
async def test_a_wake_from_another_thread_reaches_the_loop():
    engine = FakeEngine({7: None})
    driver = await started(engine)
    await asyncio.to_thread(driver.wake, 7)
    await until(lambda: engine.runs_of(7) == 1)
    await driver.stop()


@in_own_loop
async def test_several_workers_run_batches_side_by_side_but_a_drill_in_one_batch_only():
    engine = FakeEngine(dict.fromkeys(range(100), 0.02), step_s=0.02)
    driver = await started(engine, running=range(100), workers=3)
    await until(lambda: len(engine.batches) >= 12)
    await driver.stop()
    assert engine.overlaps == 0
    assert all(engine.runs_of(i) >= 1 for i in range(100))


def test_waking_a_driver_that_never_started_does_nothing():
    InProcessDriver().wake(1)  # management commands and tests have no server loop
