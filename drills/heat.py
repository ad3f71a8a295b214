"""The heat model of PROTOCOL 1.1, derived from the drill's event log alone.

Heat is piecewise linear in simulated time: events make it jump (a published inject heats, a first reply
cools) and deadlines change its slope (decay, overdue accrual). Arithmetic is exact, so that the moment
`next_crossing` predicts is the moment `shown_at` sees the change: the engine sleeps until then and must
find something to do when it wakes. It is also integer: heat is counted in units small enough that every
jump and every per-ms slope of the scenario is a whole number of them (the engine builds a curve on every
step, and fractions made that its largest cost).
"""

from __future__ import annotations

import bisect
import copy
import functools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from drills.log import INJECT_PUBLISHED, RESPONSE_PUBLISHED, LoggedEvent
from scenarios.spec import Heat

MAX_HEAT = 100
MS_PER_MIN = 60_000


@dataclass(frozen=True, slots=True)
class _Units:
    """One scenario's heat settings in whole units (`per_point` units make one heat point)."""

    per_point: int
    start: int
    per_severity: int  # jump per severity point of a published inject
    reply_cools: int  # drop per severity point at the first reply
    decay_per_ms: int
    overdue_per_ms: int  # slope per severity point of an overdue inject

    @classmethod
    @functools.cache
    def of(cls, heat: Heat) -> _Units:
        # Scenario numbers are written in decimal: 0.1 means a tenth, not the float nearest to it.
        values = [Fraction(str(value)) for value in (heat.start, heat.per_severity, heat.reply_cools)]
        slopes = [Fraction(str(value)) for value in (heat.decay_per_min, heat.overdue_per_min)]
        denominator = math.lcm(*(value.denominator for value in (*values, *slopes)))
        per_point = MS_PER_MIN * denominator
        start, per_severity, reply_cools = (int(value * per_point) for value in values)
        decay, overdue = (int(value * denominator) for value in slopes)
        return cls(per_point, start, per_severity, reply_cools, decay, overdue)


@dataclass(frozen=True, slots=True)
class _Change:
    at_ms: int
    jump: int = 0  # added to heat at at_ms
    rate: int = 0  # added to the slope (units per ms) from at_ms on


@dataclass(frozen=True, slots=True)
class _Segment:
    start_ms: int
    heat: int  # at start_ms, after the jumps of that moment
    rate: int  # units per ms until the next segment starts

    def at(self, t_ms: int, top: int) -> int:
        # Each segment is monotone, so clamping its end point equals clamping all along it.
        return min(max(self.heat + self.rate * (t_ms - self.start_ms), 0), top)


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
    """The heat curve of one log, built once for callers that ask it several questions (the engine), and extended
    by a newly published inject without being built again (`with_inject`)."""

    def __init__(self, heat: Heat, log: Sequence[LoggedEvent], jumps: Mapping[object, float] | None = None) -> None:
        """`jumps`: response id -> heat its reaction adds at the reply's publication (PROTOCOL section 1.4)."""
        self._units = _Units.of(heat)
        self._top = MAX_HEAT * self._units.per_point
        # sorted() is stable: jumps of one moment apply in log order, clamped one by one.
        self._changes = sorted(_changes(self._units, log, jumps or {}), key=_at_ms)
        self._segments = _segments(self._initial(), self._changes, self._top)
        self._crossings: dict[tuple, int | None] = {}
        self._extended: tuple[tuple, HeatCurve] | None = None

    def with_inject(self, inject: LoggedEvent) -> HeatCurve:
        """This curve with one more inject published after every event it was built from (the log's next one):
        the curve before its moment stays as it is, only what comes after is worked out again.

        The last answer is remembered: an engine step extends its drill's curve by what it publishes, and once
        that commits the log's view extends the same curve by the same injects (drills/logview.py)."""
        question = _inject_heat(inject)
        extended = self._extended
        if extended is not None and extended[0] == question:
            return extended[1]
        curve = self._extended_by(inject)
        self._extended = (question, curve)
        return curve

    def _extended_by(self, inject: LoggedEvent) -> HeatCurve:
        added = [
            _Change(inject.sim_ms, jump=_severity(inject) * self._units.per_severity),
            *_overdue(self._units, inject, None),
        ]
        changes = list(self._changes)
        for change in added:  # after the changes of the same moment, as the log puts it after their events
            changes.insert(bisect.bisect_right(changes, change.at_ms, key=_at_ms), change)
        from_ms = max(inject.sim_ms, 0)
        kept = self._segments[: bisect.bisect_left(self._segments, from_ms, key=_start_ms)]
        if kept:
            later = changes[bisect.bisect_left(changes, from_ms, key=_at_ms) :]
            segments = kept[:-1] + _segments(kept[-1], later, self._top)
        else:
            segments = _segments(self._initial(), changes, self._top)
        curve = copy.copy(self)
        curve._changes, curve._segments, curve._crossings, curve._extended = changes, segments, {}, None
        return curve

    def _initial(self) -> _Segment:
        return _Segment(0, min(self._units.start, self._top), -self._units.decay_per_ms)

    def at(self, t_ms: int) -> Fraction:
        return Fraction(self._units_at(t_ms), self._units.per_point)

    def shown(self, t_ms: int) -> int:
        # whole(units / per_point) without leaving integers.
        per_point = self._units.per_point
        return (2 * self._units_at(t_ms) + per_point) // (2 * per_point)

    def crossing(self, from_ms: int, level: float, upward: bool, *, inclusive: bool = False) -> int | None:
        """As `next_crossing`. Remembered: the engine asks the same question more than once per step."""
        question = (from_ms, level, upward, inclusive)
        if question not in self._crossings:
            self._crossings[question] = self._crossing(from_ms, level, upward, inclusive)
        return self._crossings[question]

    def _crossing(self, from_ms: int, level: float, upward: bool, inclusive: bool) -> int | None:
        target = Fraction(level) * self._units.per_point
        if target.denominator == 1:
            target = int(target)  # whole units (the usual case): integer arithmetic from here on
        segments = self._segments
        first = max(bisect.bisect_right(segments, from_ms, key=_start_ms) - 1, 0)
        for index in range(first, len(segments)):
            segment = segments[index]
            end_ms = segments[index + 1].start_ms - 1 if index + 1 < len(segments) else None
            start_ms = max(from_ms, segment.start_ms)
            t_ms = self._first_in_segment(segment, start_ms, end_ms, target, upward, inclusive)
            if t_ms is not None:
                return t_ms
        return None

    def _units_at(self, t_ms: int) -> int:
        index = max(bisect.bisect_right(self._segments, t_ms, key=_start_ms) - 1, 0)
        current = self._segments[index]
        return current.at(max(t_ms, current.start_ms), self._top)

    def _first_in_segment(
        self, segment: _Segment, start_ms: int, end_ms: int | None, level: int | Fraction, upward: bool, inclusive: bool
    ) -> int | None:
        def holds(t_ms: int) -> bool:
            value = segment.at(t_ms, self._top)
            if upward:
                return value > level or (inclusive and value == level)
            return value < level or (inclusive and value == level)

        if holds(start_ms):
            return start_ms
        rate = segment.rate
        if rate == 0 or (rate > 0) != upward:
            return None  # moving away from the level for the whole segment
        # Where the unclamped line meets the level; the first whole ms at (inclusive) or past (strict) it.
        rise = level - segment.heat
        t_ms = segment.start_ms + (-(-rise // rate) if inclusive else rise // rate + 1)
        t_ms = max(t_ms, start_ms)
        if end_ms is not None and t_ms > end_ms:
            return None
        # The clamp can keep heat from ever reaching the level (above 100, below 0).
        return t_ms if holds(t_ms) else None


def _at_ms(change: _Change) -> int:
    return change.at_ms


def _start_ms(segment: _Segment) -> int:
    return segment.start_ms


def _segments(first: _Segment, changes: Sequence[_Change], top: int) -> list[_Segment]:
    """The breakpoints of the heat curve from `first` on: every change (by time) after its start."""
    segments = [first]
    for change in changes:
        last = segments[-1]
        at_ms = max(change.at_ms, 0)
        heat = min(max(last.at(at_ms, top) + change.jump, 0), top)
        segment = _Segment(at_ms, heat, last.rate + change.rate)
        if at_ms == last.start_ms:
            segments[-1] = segment  # one more change at the same moment
        else:
            segments.append(segment)
    return segments


def _changes(units: _Units, log: Sequence[LoggedEvent], jumps: Mapping[object, float]) -> Iterator[_Change]:
    injects: list[LoggedEvent] = []
    by_id: dict[object, int] = {}  # inject id -> index in injects; injects not yet stored have no id
    replied_ms: dict[int, int] = {}  # index in injects -> its first reply
    for event in sorted(log, key=lambda event: event.sim_ms):
        if event.kind == INJECT_PUBLISHED:
            if event.data.get("id") is not None:
                by_id[event.data["id"]] = len(injects)
            injects.append(event)
            yield _Change(event.sim_ms, jump=_severity(event) * units.per_severity)
        elif event.kind == RESPONSE_PUBLISHED:
            if jumps.get(event.data.get("response")):
                yield _Change(event.sim_ms, jump=_jump_units(units.per_point, jumps[event.data["response"]]))
            for index in dict.fromkeys(by_id[i] for i in event.data.get("reply_to") or () if i in by_id):
                if index not in replied_ms:
                    replied_ms[index] = event.sim_ms
                    yield _Change(event.sim_ms, jump=-_severity(injects[index]) * units.reply_cools)
    for index, inject in enumerate(injects):
        yield from _overdue(units, inject, replied_ms.get(index))


@functools.cache
def _jump_units(per_point: int, jump: float) -> int:
    # Whole units: per_point holds 60,000 per point, exact for a jump written with up to 4 decimals.
    return round(Fraction(str(jump)) * per_point)


def _overdue(units: _Units, inject: LoggedEvent, replied_ms: int | None) -> Iterator[_Change]:
    """Accrual from the inject's deadline until its first reply (if that comes after the deadline)."""
    due_ms = inject.data.get("respond_by_ms")
    if not inject.data.get("requires_response") or due_ms is None:
        return
    if replied_ms is not None and replied_ms <= due_ms:
        return
    rate = _severity(inject) * units.overdue_per_ms
    yield _Change(due_ms, rate=rate)
    if replied_ms is not None:
        yield _Change(replied_ms, rate=-rate)


def _inject_heat(inject: LoggedEvent) -> tuple:
    """All of an inject that its heat depends on (`with_inject`)."""
    data = inject.data
    return inject.sim_ms, _severity(inject), data.get("requires_response"), data.get("respond_by_ms")


def _severity(inject: LoggedEvent) -> int:
    # Whole numbers 1..5 (the validator and the inject form see to it).
    return int(inject.data.get("severity") or 0)
