"""The heat model of PROTOCOL 1.1, derived from the drill's event log alone.

Heat is piecewise linear in simulated time: events make it jump (a published inject heats, a first reply
cools) and deadlines change its slope (decay, overdue accrual). Arithmetic is exact (fractions), so that
the moment `next_crossing` predicts is the moment `shown_at` sees the change: the engine sleeps until then
and must find something to do when it wakes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from drills.log import INJECT_PUBLISHED, RESPONSE_PUBLISHED, LoggedEvent
from scenarios.spec import Heat

MIN_HEAT = Fraction(0)
MAX_HEAT = Fraction(100)
MS_PER_MIN = 60_000


@dataclass(frozen=True)
class _Change:
    at_ms: int
    jump: Fraction = Fraction(0)  # added to heat at at_ms
    rate: Fraction = Fraction(0)  # added to the slope (heat per ms) from at_ms on


@dataclass(frozen=True)
class _Segment:
    start_ms: int
    heat: Fraction  # at start_ms, after the jumps of that moment
    rate: Fraction  # heat per ms until the next segment starts

    def at(self, t_ms: int) -> Fraction:
        # Each segment is monotone, so clamping its end point equals clamping all along it.
        return _clamp(self.heat + self.rate * (t_ms - self.start_ms))


def heat_at(heat: Heat, log: Sequence[LoggedEvent], t_ms: int) -> float:
    """Heat at simulated `t_ms`, events at exactly `t_ms` included."""
    return float(HeatCurve(heat, log).at(t_ms))


def shown_at(heat: Heat, log: Sequence[LoggedEvent], t_ms: int) -> int:
    """The whole number the room shows at `t_ms`, computed exactly so it agrees with `next_crossing`."""
    return HeatCurve(heat, log).shown(t_ms)


def next_crossing(
    heat: Heat,
    log: Sequence[LoggedEvent],
    from_ms: int,
    level: float,
    upward: bool,
    *,
    inclusive: bool = False,
) -> int | None:
    """The first whole ms t >= from_ms at which heat is above `level` (below it when not `upward`).

    Assumes no events after those in `log`; None if it never happens. `inclusive` also accepts heat equal
    to `level`: the shown number goes up at k + 0.5 exactly, while `heat_above N` needs heat > N.
    """
    return HeatCurve(heat, log).crossing(from_ms, level, upward, inclusive=inclusive)


def whole(h: float | Fraction) -> int:
    """The displayed heat: halves round up (floor(h + 0.5)), not to even as round() would."""
    return math.floor(h + Fraction(1, 2))


class HeatCurve:
    """The heat curve of one log, built once for callers that ask it several questions (the engine)."""

    def __init__(self, heat: Heat, log: Sequence[LoggedEvent]) -> None:
        self._segments = _segments(heat, log)

    def at(self, t_ms: int) -> Fraction:
        current = self._segments[0]
        for segment in self._segments:
            if segment.start_ms > t_ms:
                break
            current = segment
        return current.at(max(t_ms, current.start_ms))

    def shown(self, t_ms: int) -> int:
        return whole(self.at(t_ms))

    def crossing(self, from_ms: int, level: float, upward: bool, *, inclusive: bool = False) -> int | None:
        """As `next_crossing`."""
        target = Fraction(level)
        segments = self._segments
        for index, segment in enumerate(segments):
            end_ms = segments[index + 1].start_ms - 1 if index + 1 < len(segments) else None
            if end_ms is not None and end_ms < from_ms:
                continue
            start_ms = max(from_ms, segment.start_ms)
            t_ms = _first_in_segment(segment, start_ms, end_ms, target, upward, inclusive)
            if t_ms is not None:
                return t_ms
        return None


def _first_in_segment(
    segment: _Segment, start_ms: int, end_ms: int | None, level: Fraction, upward: bool, inclusive: bool
) -> int | None:
    def holds(t_ms: int) -> bool:
        value = segment.at(t_ms)
        if upward:
            return value > level or (inclusive and value == level)
        return value < level or (inclusive and value == level)

    if holds(start_ms):
        return start_ms
    rate = segment.rate
    if rate == 0 or (rate > 0) != upward:
        return None  # moving away from the level for the whole segment
    # Where the unclamped line meets the level; the first whole ms at (inclusive) or past (strict) it.
    meet = segment.start_ms + (level - segment.heat) / rate
    t_ms = math.ceil(meet) if inclusive else math.floor(meet) + 1
    t_ms = max(t_ms, start_ms)
    if end_ms is not None and t_ms > end_ms:
        return None
    # The clamp can keep heat from ever reaching the level (above 100, below 0).
    return t_ms if holds(t_ms) else None


def _segments(heat: Heat, log: Sequence[LoggedEvent]) -> list[_Segment]:
    """The breakpoints of the heat curve: time 0, every event and every deadline that changes it."""
    segments = [_Segment(0, _clamp(Fraction(heat.start)), -Fraction(heat.decay_per_min) / MS_PER_MIN)]
    # sorted() is stable: jumps of one moment apply in log order, clamped one by one.
    for change in sorted(_changes(heat, log), key=lambda change: change.at_ms):
        last = segments[-1]
        at_ms = max(change.at_ms, 0)
        segment = _Segment(at_ms, _clamp(last.at(at_ms) + change.jump), last.rate + change.rate)
        if at_ms == last.start_ms:
            segments[-1] = segment  # one more change at the same moment
        else:
            segments.append(segment)
    return segments


def _changes(heat: Heat, log: Sequence[LoggedEvent]) -> Iterator[_Change]:
    injects: list[LoggedEvent] = []
    by_id: dict[object, int] = {}  # inject id -> index in injects; injects not yet stored have no id
    replied_ms: dict[int, int] = {}  # index in injects -> its first reply
    for event in sorted(log, key=lambda event: event.sim_ms):
        if event.kind == INJECT_PUBLISHED:
            if event.data.get("id") is not None:
                by_id[event.data["id"]] = len(injects)
            injects.append(event)
            yield _Change(event.sim_ms, jump=_severity(event) * Fraction(heat.per_severity))
        elif event.kind == RESPONSE_PUBLISHED:
            for index in dict.fromkeys(by_id[i] for i in event.data.get("reply_to") or () if i in by_id):
                if index not in replied_ms:
                    replied_ms[index] = event.sim_ms
                    yield _Change(event.sim_ms, jump=-_severity(injects[index]) * Fraction(heat.reply_cools))
    for index, inject in enumerate(injects):
        yield from _overdue(heat, inject, replied_ms.get(index))


def _overdue(heat: Heat, inject: LoggedEvent, replied_ms: int | None) -> Iterator[_Change]:
    """Accrual from the inject's deadline until its first reply (if that comes after the deadline)."""
    due_ms = inject.data.get("respond_by_ms")
    if not inject.data.get("requires_response") or due_ms is None:
        return
    if replied_ms is not None and replied_ms <= due_ms:
        return
    rate = _severity(inject) * Fraction(heat.overdue_per_min) / MS_PER_MIN
    yield _Change(due_ms, rate=rate)
    if replied_ms is not None:
        yield _Change(replied_ms, rate=-rate)


def _severity(inject: LoggedEvent) -> Fraction:
    return Fraction(inject.data.get("severity") or 0)


def _clamp(h: Fraction) -> Fraction:
    return min(max(h, MIN_HEAT), MAX_HEAT)
