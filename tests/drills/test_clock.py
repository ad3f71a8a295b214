"""The drill clock: pauses stop simulated time, speed bends it, and a driver can sleep until a moment."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drills.clock import MAX_SPEED, MIN_SPEED, NAIVE_DATETIME, SPEED_OUT_OF_RANGE, Clock, FakeClock


def test_it_stands_still_until_started():
    wall = FakeClock()
    clock = Clock()
    wall.advance(seconds=30)
    assert clock.sim_ms(wall.now()) == 0
    assert clock.wall_at(1000) is None


def test_it_counts_wall_time_at_speed_one():
    wall = FakeClock()
    clock = Clock().start(wall.now())
    wall.advance(seconds=90, ms=250)
    assert clock.sim_ms(wall.now()) == 90_250


def test_pause_stops_simulated_time():
    wall = FakeClock()
    clock = Clock().start(wall.now())
    wall.advance(seconds=10)
    clock = clock.pause(wall.now())
    wall.advance(seconds=3600)
    assert clock.sim_ms(wall.now()) == 10_000
    assert clock.wall_at(20_000) is None


def test_resume_continues_where_it_paused():
    wall = FakeClock()
    clock = Clock().start(wall.now())
    wall.advance(seconds=10)
    clock = clock.pause(wall.now())
    wall.advance(seconds=50)
    clock = clock.resume(wall.now())
    wall.advance(seconds=5)
    assert clock.sim_ms(wall.now()) == 15_000


def test_speed_bends_time_without_a_jump():
    wall = FakeClock()
    clock = Clock(speed=10).start(wall.now())
    wall.advance(seconds=6)  # 60 s simulated
    clock = clock.with_speed(wall.now(), 0.5)
    assert clock.sim_ms(wall.now()) == 60_000
    wall.advance(seconds=4)  # 2 s simulated
    assert clock.sim_ms(wall.now()) == 62_000


def test_a_speed_set_while_paused_applies_after_resume():
    wall = FakeClock()
    clock = Clock().start(wall.now())
    wall.advance(seconds=1)
    clock = clock.pause(wall.now()).with_speed(wall.now(), 4)
    wall.advance(seconds=100)
    assert clock.sim_ms(wall.now()) == 1_000
    clock = clock.resume(wall.now())
    wall.advance(seconds=1)
    assert clock.sim_ms(wall.now()) == 5_000


def test_pausing_twice_or_resuming_a_running_clock_changes_nothing():
    wall = FakeClock()
    clock = Clock().start(wall.now())
    wall.advance(seconds=2)
    assert clock.resume(wall.now()) == clock
    paused = clock.pause(wall.now())
    wall.advance(seconds=2)
    assert paused.pause(wall.now()) == paused


@pytest.mark.parametrize("speed", [0, 0.2, -1, 100.5, 1000])
def test_it_refuses_a_speed_out_of_range(speed):
    wall = FakeClock()
    with pytest.raises(ValueError, match=SPEED_OUT_OF_RANGE):
        Clock().start(wall.now()).with_speed(wall.now(), speed)


@pytest.mark.parametrize("speed", [MIN_SPEED, MAX_SPEED])
def test_it_accepts_the_speed_limits(speed):
    wall = FakeClock()
    clock = Clock().start(wall.now()).with_speed(wall.now(), speed)
    wall.advance(seconds=4)
    assert clock.sim_ms(wall.now()) == 4_000 * speed


def test_it_refuses_naive_datetimes():
    with pytest.raises(ValueError, match=NAIVE_DATETIME):
        Clock().start(datetime(2025, 1, 1, 9, 0))


def test_wall_at_is_the_moment_the_clock_reaches_it():
    wall = FakeClock()
    started_at = wall.now()
    clock = Clock(speed=2).start(started_at)
    assert clock.wall_at(10_000) == started_at + timedelta(seconds=5)


def test_wall_at_a_moment_already_past_is_the_anchor():
    wall = FakeClock()
    clock = Clock().start(wall.now())
    wall.advance(seconds=10)
    clock = clock.with_speed(wall.now(), 3)
    assert clock.wall_at(5_000) == wall.now()


def test_a_clock_behind_the_anchor_does_not_run_backwards():
    wall = FakeClock()
    clock = Clock(base_sim_ms=5_000).start(wall.now())
    assert clock.sim_ms(wall.now() - timedelta(seconds=1)) == 5_000


@given(
    speed=st.floats(min_value=MIN_SPEED, max_value=MAX_SPEED, allow_nan=False),
    base_sim_ms=st.floats(min_value=0, max_value=10_000_000, allow_nan=False),
    target_ms=st.integers(min_value=0, max_value=20_000_000),
)
def test_sleeping_until_wall_at_always_finds_the_moment_reached(speed, base_sim_ms, target_ms):
    # A driver sleeps until wall_at(next_due); if it woke one tick short, the engine would spin.
    wall = FakeClock()
    clock = Clock(speed=speed, base_sim_ms=base_sim_ms).start(wall.now())
    wake_at = clock.wall_at(target_ms)
    assert wake_at >= wall.now()
    assert clock.sim_ms(wake_at) >= target_ms
    if wake_at > wall.now():
        assert clock.sim_ms(wake_at - timedelta(microseconds=1)) < target_ms


def test_fake_clock_moves_only_when_told():
    wall = FakeClock()
    start = wall.now()
    assert start.tzinfo is not None
    assert wall.now() == start
    assert wall.advance(seconds=1, ms=500) == start + timedelta(milliseconds=1500)
