"""What the engine reads of a drill's log, folded one event at a time.

The engine asks the same questions of the log on every step: what is published, when each post was first answered,
the heat curve's inputs, which posts grow counters, when counters were last told. Walking the whole log for them
on every step was most of a step's cost once the crowd reacted (issue 15). A `LogView` keeps the answers and folds
in only what was appended since: the service remembers one per drill (drills/events.py), and `LogView.of(log)`
folds a whole log, so the pure engine and its tests need nothing else. Folding a log in pieces gives the same view
as folding it whole (tests/drills/test_logview.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from drills.engagement import PostFold, tick_of
from drills.heat import HeatCurve
from drills.log import (
    DRILL_FINISHED,
    DRILL_STARTED,
    ENGAGEMENT,
    HEAT,
    INJECT_PUBLISHED,
    RESPONSE_PUBLISHED,
    LoggedEvent,
)
from scenarios.spec import Heat

Slot = tuple[str | None, int | None]  # (key, burst index) of a published inject


@dataclass(slots=True)
class LogView:
    seq: int = 0  # the last event folded
    started: bool = False
    finished: bool = False
    last_heat: int | None = None  # the last `heat` event's number
    told_ms: int | None = None  # the boundary the last `engagement` event told
    published: set[Slot] = field(default_factory=set)
    first_published_ms: dict[str, int] = field(default_factory=dict)  # inject key -> its first publication
    inject_ids: dict[str, tuple[int, ...]] = field(default_factory=dict)  # inject key -> ids of its publications
    first_reply_ms: dict[int, int] = field(default_factory=dict)  # inject id -> its first reply's publication
    replies: list[LoggedEvent] = field(default_factory=list)  # response.published
    curve_events: list[LoggedEvent] = field(default_factory=list)  # what moves heat: injects and replies
    posts: PostFold = field(default_factory=PostFold)
    # Heat curves of curve_events, by (heat settings, reactions' jumps): shared with the copies made before the next
    # inject or reply (then a new dict, never changed in place), extended by each inject, so a curve built once
    # serves the drill's steps until the next reply.
    curves: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, log: Iterable[LoggedEvent]) -> LogView:
        return cls().folded(log)

    def copy(self) -> LogView:
        """A view to fold more into without changing this one (which other threads may be reading)."""
        return LogView(
            self.seq,
            self.started,
            self.finished,
            self.last_heat,
            self.told_ms,
            set(self.published),
            dict(self.first_published_ms),
            dict(self.inject_ids),
            dict(self.first_reply_ms),
            list(self.replies),
            list(self.curve_events),
            self.posts.copy(),
            self.curves,
        )

    def folded(self, events: Iterable[LoggedEvent]) -> LogView:
        for event in events:
            self.fold(event)
        return self

    def fold(self, event: LoggedEvent) -> None:
        self.seq = max(self.seq, event.seq)
        kind = event.kind
        if kind == INJECT_PUBLISHED:
            self._inject(event)
        elif kind == RESPONSE_PUBLISHED:
            self._reply(event)
        elif kind == HEAT:
            self.last_heat = event.data.get("heat")
        elif kind == ENGAGEMENT:
            self.told_ms = tick_of(event.sim_ms)
        elif kind == DRILL_STARTED:
            self.started = True
        elif kind == DRILL_FINISHED:
            self.finished = True
        self.posts.fold(event)

    def _inject(self, event: LoggedEvent) -> None:
        key, inject_id = event.data.get("key"), event.data.get("id")
        self.published.add((key, event.data.get("burst_index")))
        self.first_published_ms.setdefault(key, event.sim_ms)
        if inject_id is not None:  # none yet for what the running call publishes: nothing can answer it yet
            self.inject_ids[key] = (*self.inject_ids.get(key, ()), inject_id)
        self.curve_events.append(event)
        # An inject only adds to the curves (a new dict: copies made before keep theirs).
        self.curves = {memo: curve.with_inject(event) for memo, curve in self.curves.items()}

    def _reply(self, event: LoggedEvent) -> None:
        for inject_id in event.data.get("reply_to") or ():
            self.first_reply_ms[inject_id] = min(self.first_reply_ms.get(inject_id, event.sim_ms), event.sim_ms)
        self.replies.append(event)
        self.curve_events.append(event)
        self.curves = {}  # a reply cools, ends overdue accrual, sets off a reaction: built again when asked

    def reply_ms(self, key: str) -> int | None:
        """When the first reply to any publication of inject `key` was published; None while unanswered."""
        answered = [self.first_reply_ms[i] for i in self.inject_ids.get(key, ()) if i in self.first_reply_ms]
        return min(answered, default=None)

    def heat_curve(self, heat: Heat, jumps: dict[int, float]) -> HeatCurve:
        memo = (heat, tuple(sorted(jumps.items())))
        curve = self.curves.get(memo)
        if curve is None:
            curve = self.curves[memo] = HeatCurve(heat, self.curve_events, jumps)
        return curve
