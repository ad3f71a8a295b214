"""The Celery driver's tick on a fake clock: the armed tick steps again itself while drills fall due within
LINGER_S (no task through the broker for each due moment), and hands on to an armed task otherwise."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from drills import services, tasks
from drills.services.steps import Stepped

NOW = 1_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def tick(monkeypatch):
    """`tick(due_in, armed=...)` runs one engine_tick whose drills fall due `due_in` seconds after each step (one a
    step, then none once the list is spent); returns (moments it stepped at, tasks armed as (moment, countdown))."""
    clock = Clock()
    monkeypatch.setattr(tasks, "time", SimpleNamespace(time=clock.time, monotonic=clock.time, sleep=clock.sleep))
    cache.delete(tasks.ARMED_KEY)

    def run(due_in: list[float], *, armed: bool = True):
        stepped_at, sent, gaps = [], [], iter(due_in)
        moments = {"next": None}

        def step_due(limit):
            stepped_at.append(round(clock.now - NOW, 3))
            gap = next(gaps, None)
            moments["next"] = None if gap is None else clock.now + gap
            return 1, Stepped({}, set())

        monkeypatch.setattr(services, "drills_step_due", step_due)
        monkeypatch.setattr(tasks, "_next_due_at", lambda: moments["next"])
        monkeypatch.setattr(
            tasks.engine_tick, "apply_async", lambda args=(), countdown=0: sent.append((*args, countdown))
        )
        tasks.engine_tick(NOW if armed else None)
        return stepped_at, [(round(at - NOW, 3), round(countdown, 3)) for at, countdown in sent]

    yield run
    cache.delete(tasks.ARMED_KEY)


def test_the_armed_tick_steps_the_drills_due_soon_itself_then_arms_a_task_for_a_later_one(tick):
    stepped_at, sent = tick([0.01, 0.02, 5.0])

    assert stepped_at == [0, 0.01, 0.03]
    assert sent == [(5.03, 5.0)]  # one task, for the drill due in 5 s


def test_a_tick_sent_by_a_wake_up_steps_once_and_leaves_the_lingering_to_the_armed_one(tick):
    stepped_at, sent = tick([0.01, 0.02], armed=False)

    assert stepped_at == [0]
    assert sent == [(0.01, 0.01)]


def test_a_lingering_tick_hands_on_to_a_new_task_once_its_budget_is_spent(tick):
    stepped_at, sent = tick([0.04] * 100)

    assert stepped_at == [round(0.04 * n, 3) for n in range(25)]  # the 26th, at 1.0 s, is past its 1 s budget
    assert sent == [(1.0, 0.04)]  # armed for the drill due next


def test_while_it_lingers_ticks_ending_elsewhere_arm_no_other_task(tick, monkeypatch):
    armed_seen = []
    sleep = tasks.time.sleep

    def sleep_while_another_tick_ends(seconds):
        tasks.arm_next_tick()  # sent by another worker's tick: it sees this one armed for the same drill
        armed_seen.append(round(cache.get(tasks.ARMED_KEY) - NOW, 3))
        sleep(seconds)

    monkeypatch.setattr(tasks.time, "sleep", sleep_while_another_tick_ends)
    _, sent = tick([0.01, 5.0])

    assert armed_seen == [0.01]
    assert sent == [(5.01, 5.0)]  # only this tick's own, at its end


def test_a_due_drill_it_cannot_claim_does_not_make_it_spin(tick, monkeypatch):
    """Another worker holds the drill's row: each step claims nothing, the drill stays due."""
    claims = []

    def step_nothing(limit):
        claims.append(tasks.time.time())
        return 0, Stepped({}, set())

    tick([])  # installs the fake clock
    monkeypatch.setattr(tasks, "_next_due_at", lambda: NOW)  # overdue, and staying so
    monkeypatch.setattr(services, "drills_step_due", step_nothing)
    tasks.engine_tick(NOW)

    assert len(claims) <= tasks.TICK_BUDGET_S / tasks.IDLE_S + 1
