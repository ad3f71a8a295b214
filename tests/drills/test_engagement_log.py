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
from drills.services.steps import Step, wake_at

pytestmark = pytest.mark.django_db


def test_frequent_wake_ups_log_at_most_one_engagement_event_per_boundary(running, wall):
    for _ in range(20):
        wall.advance(seconds=7)
        services.drill_advance(drill_id=running.pk, now=wall.now())

    boundaries = [e.sim_ms // TICK_MS for e in DrillEvent.objects.filter(drill=running, kind=ENGAGEMENT)]
    assert len(boundaries) >= 5
    assert len(boundaries) == len(set(boundaries))


@pytest.mark.parametrize(
    ("speed", "counters_in_s", "wake_in_s"),
    [
        (1, 14, 14),  # played in real time: at the boundary itself
        (10, 1.4, 1.4),
        (100, 0.14, 1.0),  # played fast: at most once a wall second (the next step tells every boundary passed)
    ],
)
def test_a_drill_wakes_for_its_counters_at_the_next_boundary_at_most_once_a_second(speed, counters_in_s, wake_in_s):
    now = datetime(2026, 12, 1, tzinfo=UTC)
    drill = Drill(clock=Clock(speed=speed).start(now - timedelta(seconds=31 / speed)), bots_check_ms=None)
    step = Step(drill, None, 31_000, None, [], counters_due_ms=45_000)

    assert drill.clock.wall_at(45_000) == now + timedelta(seconds=counters_in_s)
    assert wake_at(step, now) == now + timedelta(seconds=wake_in_s)
    assert wake_at(replace(step, next_due_ms=40_000), now) == drill.clock.wall_at(40_000)
