"""The engine's engagement events on the database (PROTOCOL 1.4): whatever the wake-ups, at most one per 15 s
boundary of simulated time, so the log stays bounded."""

import pytest

from drills import services
from drills.engagement import TICK_MS
from drills.log import ENGAGEMENT
from drills.models import DrillEvent

pytestmark = pytest.mark.django_db


def test_frequent_wake_ups_log_at_most_one_engagement_event_per_boundary(running, wall):
    for _ in range(20):
        wall.advance(seconds=7)
        services.drill_advance(drill_id=running.pk, now=wall.now())

    boundaries = [e.sim_ms // TICK_MS for e in DrillEvent.objects.filter(drill=running, kind=ENGAGEMENT)]
    assert len(boundaries) >= 5
    assert len(boundaries) == len(set(boundaries))
