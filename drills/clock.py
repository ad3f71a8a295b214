"""The drill clock: simulated milliseconds from wall time, pauses and speed changes.

sim_ms = sum of (wall time running * speed). A `Clock` is an immutable value the drill stores; every
method takes the wall `now` from the caller, so tests drive it with a `FakeClock` and never sleep.
Arithmetic is exact (fractions): a driver that sleeps until `wall_at(t)` must find `sim_ms(now) >= t`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from drills.limits import MAX_SPEED, MIN_SPEED, MSG_SPEED_RANGE

SPEED_OUT_OF_RANGE = MSG_SPEED_RANGE
NAIVE_DATETIME = "The clock needs timezone-aware datetimes."

_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class Clock:
    speed: float = 1.0
    running: bool = False
    base_sim_ms: float = 0.0
    anchor: datetime | None = None  # wall moment at which base_sim_ms was true, while running

    def start(self, now: datetime) -> Clock:
        return self.resume(now)

    def pause(self, now: datetime) -> Clock:
        if not self.running:
            return self
        return replace(self, running=False, base_sim_ms=float(self._exact_ms(now)), anchor=None)

    def resume(self, now: datetime) -> Clock:
        if self.running:
            return self
        return replace(self, running=True, anchor=_aware(now))

    def with_speed(self, now: datetime, speed: float) -> Clock:
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ValueError(SPEED_OUT_OF_RANGE)
        if not self.running:
            return replace(self, speed=speed)
        # Re-anchor at now so the time already simulated keeps the old speed: no jump in sim_ms.
        return replace(self, speed=speed, base_sim_ms=float(self._exact_ms(now)), anchor=_aware(now))

    def sim_ms(self, now: datetime) -> int:
        return math.floor(self._exact_ms(now))

    def wall_at(self, sim_ms: int) -> datetime | None:
        """When the running clock reaches `sim_ms` (rounded up to the µs); None while paused."""
        if not self.running or self.anchor is None:
            return None
        remaining = Fraction(sim_ms) - Fraction(self.base_sim_ms)
        if remaining <= 0:
            return self.anchor
        return self.anchor + math.ceil(remaining * 1000 / Fraction(self.speed)) * _MICROSECOND

    def _exact_ms(self, now: datetime) -> Fraction:
        base = Fraction(self.base_sim_ms)
        if not self.running or self.anchor is None:
            return base
        # Processes' wall clocks may disagree a little: never let simulated time run backwards.
        elapsed_us = max((_aware(now) - self.anchor) // _MICROSECOND, 0)
        return base + Fraction(elapsed_us, 1000) * Fraction(self.speed)


class FakeClock:
    """A wall clock for tests: time moves only when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = _aware(start) if start else datetime(2025, 1, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float = 0, ms: float = 0) -> datetime:
        self._now += timedelta(seconds=seconds, milliseconds=ms)
        return self._now


def _aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(NAIVE_DATETIME)
    return now
