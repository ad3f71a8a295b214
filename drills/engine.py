"""The drill engine's decisions: which events are due at a simulated moment, and when to wake next.

`decide` is pure: it reads the drill's log and plan, never the database or a clock. The service appends
what it returns (with sim_ms = now_ms, and an `id` on each inject) in one transaction and sleeps until
`next_due_ms`. Everything it knows comes from the log, so calling it twice, or after a crash, or late,
publishes each item once.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

from drills.engagement import TICK_MS, before_first_post_ms, growths_due, tick_of
from drills.heat import HeatCurve
from drills.log import (
    DRILL_FINISHED,
    ENGAGEMENT,
    HEAT,
    INJECT_PUBLISHED,
    LoggedEvent,
    inject_published_data,
)
from drills.logview import LogView
from scenarios.plan import ConditionalItem, Plan, PlannedItem
from scenarios.reactions import (
    ReactionItem,
    plan_reaction,
    reaction_fields,
    reaction_key,
    reaction_kind,
    reaction_of,
)
from scenarios.spec import BACKLASH, Condition, Heat, Scenario

UNKNOWN_CONDITION = "Unknown condition kind: {kind!r}."


@dataclass(frozen=True)
class NewEvent:
    kind: str
    data: dict


@dataclass(frozen=True)
class Decision:
    events: tuple[NewEvent, ...]
    next_due_ms: int | None  # what the script needs next
    counters_due_ms: int | None = None  # when counters are next told, once any post is out


def decide(
    *,
    scenario: Scenario,
    plan: Plan,
    log: Sequence[LoggedEvent] | LogView,
    now_ms: int,
    counters_every_ms: int = TICK_MS,
) -> Decision:
    """`log`: the drill's log, or the view of it the service keeps from step to step (drills/logview.py).
    `counters_every_ms`: the simulated time between two engagement events, a multiple of the 15 s boundaries
    (more than one boundary for a drill played fast: see drills/services/steps.py)."""
    view = log if isinstance(log, LogView) else LogView.of(log)
    if view.finished or not view.started:
        return Decision((), None)
    drill = _Drill(view, scenario)
    # At the end, items due by the duration still appear (late), then the drill finishes.
    limit_ms = min(now_ms, scenario.duration_ms)
    events, later = _publish_due(scenario.heat, plan, drill, now_ms, limit_ms)
    shown = drill.heat_curve(scenario.heat).shown(now_ms)
    if shown != view.last_heat:
        events.append(NewEvent(HEAT, {"heat": shown}))
    told = view.told_ms
    if told is None or tick_of(limit_ms) >= told + counters_every_ms:
        engagement = _engagement(scenario.seed, view, limit_ms)
        events += engagement
        told = tick_of(limit_ms) if engagement else told
    if now_ms >= scenario.duration_ms:
        events.append(NewEvent(DRILL_FINISHED, {}))
        return Decision(tuple(events), None)
    counters_ms = None
    if drill.view.published:  # counters grow from the first post on (this call's too)
        counters_ms = max(tick_of(now_ms) + TICK_MS, (told if told is not None else 0) + counters_every_ms)
    return Decision(tuple(events), _next_due_ms(scenario, plan, drill, later, now_ms, shown), counters_ms)


def _engagement(seed: int, view: LogView, now_ms: int) -> list[NewEvent]:
    # Of the log as given: what this call publishes has no counters yet.
    done_ms = before_first_post_ms(view.posts.posts()) if view.told_ms is None else view.told_ms
    data = growths_due(view.posts.growths(seed), done_ms, now_ms)
    return [] if data is None else [NewEvent(ENGAGEMENT, data)]


class _Drill:
    """The log so far plus what this call publishes, as the caller will append it (at now_ms)."""

    def __init__(self, view: LogView, scenario: Scenario) -> None:
        self.view = view.copy()  # the caller's view stays as the log is
        self.reactions = _Reactions(scenario, self.view)

    def heat_curve(self, heat: Heat) -> HeatCurve:
        return self.view.heat_curve(heat, self.reactions.jumps)

    def has(self, item: PlannedItem) -> bool:
        return (item.key, item.burst_index) in self.view.published

    def add(self, event: NewEvent, now_ms: int) -> None:
        # No id yet: the database gives it. Nothing in the log can reply to it before then.
        self.view.fold(LoggedEvent(self.view.seq + 1, event.kind, now_ms, {**event.data, "id": None}))

    def first_published_ms(self, key: str) -> int | None:
        return self.view.first_published_ms.get(key)

    def first_reply_ms(self, key: str) -> int | None:
        return self.view.reply_ms(key)


class _Reactions:
    """What the log's published replies set off (PROTOCOL section 1.4): each reply's kind of reaction, its heat jump
    and the comments still to publish. Derived from the log alone, so a late or repeated wake-up plans the same
    comments and publishes only those missing."""

    def __init__(self, scenario: Scenario, view: LogView) -> None:
        self.jumps: dict[int, float] = {}  # response id -> heat added at its publication
        self.pending: list[ReactionItem] = []  # unpublished comments, by planned_ms
        self.first_backlash_ms: int | None = None
        if scenario.reactions is None:
            return
        for event in view.replies:
            self._add(scenario, event, view.published)
        self.pending.sort(key=lambda item: item.planned_ms)

    def _add(self, scenario: Scenario, event: LoggedEvent, published: set) -> None:
        data = event.data
        kind = reaction_kind(scenario, data.get("text") or "", data.get("platform") or "")
        reaction = reaction_of(scenario, kind)
        response = data.get("response")
        self.jumps[response] = reaction.heat
        if kind == BACKLASH and self.first_backlash_ms is None:
            self.first_backlash_ms = event.sim_ms
        comments = sum((reaction_key(response), index) in published for index in range(reaction.count))
        if comments == reaction.count:
            return  # played in full: not planned again (the engine stays fast)
        items = plan_reaction(
            scenario,
            kind=kind,
            response_id=response,
            text=data.get("text") or "",
            platform=data.get("platform") or "",
            published_ms=event.sim_ms,
        )
        self.pending += [item for item in items if (item.key, item.burst_index) not in published]


def _publish_due(
    heat: Heat, plan: Plan, drill: _Drill, now_ms: int, limit_ms: int
) -> tuple[list[NewEvent], list[PlannedItem]]:
    """Everything due by limit_ms, in the order it became due (timed items first at equal times); and the timed
    items and reaction comments still to come, by planned_ms."""
    # Reaction comments take their place among the timed items (after them at equal times).
    planned = [item for item in plan.timed if not drill.has(item)]
    timed = list(heapq.merge(planned, drill.reactions.pending, key=lambda item: item.planned_ms))
    events: list[NewEvent] = []
    while True:
        condition = _earliest_condition(heat, plan, drill)
        # What this call publishes lands at now_ms, so it can only make a condition due at now_ms or
        # later: the timed items due before the earliest condition are safe to publish in one batch.
        until_ms = limit_ms if condition is None else min(limit_ms, condition[0])
        batch = _due_prefix(timed, until_ms)
        if batch:
            timed = timed[len(batch) :]
            events += [_publish(drill, item, item.planned_ms, now_ms) for item in batch]
            continue
        if condition is None or condition[0] > limit_ms:
            return events, timed
        due_ms, _, conditional = condition
        events.append(_publish(drill, conditional.item, due_ms, now_ms))


def _due_prefix(timed: list[PlannedItem], until_ms: int) -> list[PlannedItem]:
    # plan.timed is sorted by planned_ms, so the due items are a prefix.
    count = next((index for index, item in enumerate(timed) if item.planned_ms > until_ms), len(timed))
    return timed[:count]


def _publish(drill: _Drill, item: PlannedItem, planned_ms: int, now_ms: int) -> NewEvent:
    data = inject_published_data(item, planned_ms=planned_ms, now_ms=now_ms, manual=False)
    if isinstance(item, ReactionItem):
        data |= reaction_fields(item)
    event = NewEvent(INJECT_PUBLISHED, data)
    drill.add(event, now_ms)
    return event


def _earliest_condition(heat: Heat, plan: Plan, drill: _Drill) -> tuple[int, int, ConditionalItem] | None:
    """(due_ms, position, item) of the unpublished conditional due first, if any is computable yet."""
    dues = [
        (due_ms, position, conditional)
        for position, conditional in enumerate(plan.conditional)
        if not drill.has(conditional.item) and (due_ms := _condition_due_ms(heat, conditional.when, drill)) is not None
    ]
    return min(dues, key=lambda due: due[:2], default=None)


def _condition_due_ms(heat: Heat, when: Condition, drill: _Drill) -> int | None:
    """When `when` is (or, if nothing else happens, will be) met; None if never or not yet known."""
    if when.kind == "unanswered":
        published_ms = drill.first_published_ms(when.key)
        if published_ms is None:
            return None
        due_ms = published_ms + when.wait_ms
        reply_ms = drill.first_reply_ms(when.key)
        return None if reply_ms is not None and reply_ms <= due_ms else due_ms
    if when.kind == "answered":
        reply_ms = drill.first_reply_ms(when.key)
        return None if reply_ms is None else reply_ms + when.wait_ms
    if when.kind == BACKLASH:
        first_ms = drill.reactions.first_backlash_ms
        return None if first_ms is None else first_ms + when.wait_ms
    if when.kind == "heat_above":
        # From the start: a rise the engine slept through (a late wake-up) still fires, at its moment.
        return drill.heat_curve(heat).crossing(0, when.threshold, upward=True)
    raise ValueError(UNKNOWN_CONDITION.format(kind=when.kind))


def _next_due_ms(
    scenario: Scenario, plan: Plan, drill: _Drill, later: list[PlannedItem], now_ms: int, shown: int
) -> int | None:
    """`later`: the timed items and reaction comments still to come, by planned_ms."""
    candidates = [scenario.duration_ms]
    candidates.append(
        next((item.planned_ms for item in later if item.planned_ms > now_ms and not drill.has(item)), None)
    )
    candidates += [
        _condition_due_ms(scenario.heat, conditional.when, drill)
        for conditional in plan.conditional
        if not drill.has(conditional.item)
    ]
    # The shown number goes up at heat >= shown + 0.5 and down below shown - 0.5: wake then to send it.
    curve = drill.heat_curve(scenario.heat)
    candidates.append(curve.crossing(now_ms + 1, shown + 0.5, upward=True, inclusive=True))
    candidates.append(curve.crossing(now_ms + 1, shown - 0.5, upward=False))
    # Only the future: whatever is due by now_ms was handled above, and waking for it again would spin.
    return min((t for t in candidates if t is not None and t > now_ms), default=None)
