"""The engine's engagement events on the database (PROTOCOL 1.4): whatever the wake-ups, at most one per 15 s
boundary of simulated time, so the log stays bounded."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from drills import services
from drills.clock import Clock
from drills.engagement import TICK_MS
from drills.log import ENGAGEMENT
from drills.models import Drill, DrillEvent
from drills.services.steps import Step, counters_every_ms, wake_at

pytestmark = pytest.mark.django_db


def test_frequent_wake_ups_log_at_most_one_engagement_event_per_boundary(running, wall):
    for _ in range(20):
        wall.advance(seconds=7)
        services.drill_advance(drill_id=running.pk, now=wall.now())

    boundaries = [e.sim_ms // TICK_MS for e in DrillEvent.objects.filter(drill=running, kind=ENGAGEMENT)]
    assert len(boundaries) >= 5
    assert len(boundaries) == len(set(boundaries))


@pytest.mark.parametrize(
    ("speed", "every_s"),
    [
        (1, 15),  # played in real time: every boundary
        (10, 15),  # 1.5 wall seconds apart
        (20, 30),  # every second boundary: 1.5 wall seconds
        (100, 105),  # every seventh: 1.05 wall seconds
    ],
)
def test_a_drill_played_fast_tells_its_counters_at_most_once_a_wall_second(speed, every_s):
    assert counters_every_ms(speed) == every_s * 1000
    assert every_s * 1000 % TICK_MS == 0 and every_s / speed >= min(1.0, 15 / speed)


def test_a_drill_wakes_for_its_script_its_bots_or_its_counters_whichever_comes_first():
    """Counters alone wake it a wall second after they are due: a step of its script before then tells them."""
    now = datetime(2026, 12, 1, tzinfo=UTC)
    drill = Drill(clock=Clock(speed=100).start(now - timedelta(seconds=0.31)), bots_check_ms=None)
    step = Step(drill, None, 31_000, 600_000, [], counters_due_ms=45_000)

    assert wake_at(step) == drill.clock.wall_at(145_000)  # 100 simulated seconds at x100
    assert wake_at(replace(step, next_due_ms=120_000)) == drill.clock.wall_at(120_000)
    drill.bots_check_ms = 90_000
    assert wake_at(step) == drill.clock.wall_at(90_000)
    drill.bots_check_ms = None
    assert wake_at(replace(step, counters_due_ms=None)) == drill.clock.wall_at(600_000)
    assert wake_at(replace(step, next_due_ms=None, counters_due_ms=None)) is None


def test_in_real_time_counters_are_at_most_a_second_late():
    now = datetime(2026, 12, 1, tzinfo=UTC)
    drill = Drill(clock=Clock(speed=1).start(now - timedelta(seconds=31)), bots_check_ms=None)
    step = Step(drill, None, 31_000, 600_000, [], counters_due_ms=45_000)

    assert wake_at(step) == drill.clock.wall_at(46_000)
