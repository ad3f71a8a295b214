"""The engine's decisions, played like the service plays them: decide, append, sleep until next_due.

Plans are built by hand; `drive` assigns seq and inject ids as the database would, and `reply` stands in for
a participant's published response.
"""

from __future__ import annotations

import heapq

from hypothesis import given, settings
from hypothesis import strategies as st

from drills.engine import Decision, NewEvent, decide
from drills.heat import next_crossing, shown_at
from drills.log import (
    DRILL_FINISHED,
    DRILL_STARTED,
    ENGAGEMENT,
    HEAT,
    INJECT_PUBLISHED,
    RESPONSE_PUBLISHED,
    LoggedEvent,
)
from scenarios.plan import ConditionalItem, Plan, PlannedItem, PlannedPersona
from scenarios.spec import Condition, Heat, Scenario, Step

SECOND = 1_000
MINUTE = 60_000
PERSONA = PlannedPersona(name="Dana Levi", handle="@dlevi_news", kind="journalist", followers=48_000)
STILL = Heat(decay_per_min=0, overdue_per_min=0)  # heat never moves on its own: no heat wake-ups
FIRST_ID = 101


def make_scenario(duration_ms=40 * MINUTE, heat=STILL) -> Scenario:
    return Scenario(
        title="Checkout outage",
        language="en",
        brand_name="ShopLine",
        brand_handle="@shopline",
        duration_ms=duration_ms,
        response_sla_ms=10 * MINUTE,
        chain=(Step("drafter", None),),
        personas=(),
        injects=(),
        heat=heat,
    )


def item(key, planned_ms=None, *, burst_index=None, severity=1, requires_response=False, within_ms=5 * MINUTE):
    return PlannedItem(
        key=key,
        burst_index=burst_index,
        planned_ms=planned_ms,
        platform="x",
        persona=PERSONA,
        text=f"Text of {key}",
        severity=severity,
        requires_response=requires_response,
        respond_within_ms=within_ms,
    )


def when(kind, key=None, wait_ms=0, threshold=None, **item_args) -> ConditionalItem:
    return ConditionalItem(Condition(kind, key, wait_ms, threshold), item(f"if-{kind}-{key or threshold}", **item_args))


def make_plan(*timed, conditional=()) -> Plan:
    return Plan(timed=tuple(sorted(timed, key=lambda i: i.planned_ms)), conditional=tuple(conditional))


def started() -> list[LoggedEvent]:
    return [LoggedEvent(1, DRILL_STARTED, 0, {})]


def append(log: list[LoggedEvent], events: tuple[NewEvent, ...], now_ms: int) -> None:
    """What the service does with a Decision: next seq, sim_ms = now, a database id on each inject."""
    for event in events:
        data = dict(event.data)
        if event.kind == INJECT_PUBLISHED:
            data["id"] = FIRST_ID + len(injects(log))
        log.append(LoggedEvent(len(log) + 1, event.kind, now_ms, data))


def step(scenario, plan, log, now_ms) -> Decision:
    decision = decide(scenario=scenario, plan=plan, log=tuple(log), now_ms=now_ms)
    append(log, decision.events, now_ms)
    return decision


def run(scenario, plan, wake_times, log=None) -> list[LoggedEvent]:
    """Calls decide at each wake time, in order, ignoring next_due (a driver that wakes late or early)."""
    log = started() if log is None else log
    for now_ms in wake_times:
        step(scenario, plan, log, now_ms)
    return log


def drive(scenario, plan, *, wakes=(), replies=(), punctual=True, log=None) -> list[LoggedEvent]:
    """Plays a drill like the service: a reply (at_ms, keys) wakes the engine, as do the extra `wakes`;
    `punctual` also wakes it at every next_due."""
    log = started() if log is None else log
    queue = [(at_ms, 0, order, keys) for order, (at_ms, keys) in enumerate(replies)]
    queue += [(at_ms, 1, order, None) for order, at_ms in enumerate(wakes)]
    if punctual:
        queue.append((0, 1, -1, None))
    heapq.heapify(queue)
    for order in range(10_000):  # a bound, so that a busy loop fails instead of hanging
        if not queue:
            return log
        now_ms, _, _, keys = heapq.heappop(queue)
        if keys is not None:
            reply(log, now_ms, *keys)
        decision = step(scenario, plan, log, now_ms)
        due = [ms for ms in (decision.next_due_ms, decision.counters_due_ms) if ms is not None]
        if punctual and due:
            assert min(due) > now_ms
            heapq.heappush(queue, (min(due), 1, order, None))
    raise AssertionError("the engine kept asking to wake")


def reply(log, at_ms, *keys) -> None:
    """A participant's reply to every inject of `keys` published so far."""
    reply_to = [e.data["id"] for e in injects(log) if e.data["key"] in keys]
    if reply_to:
        log.append(
            LoggedEvent(
                len(log) + 1,
                RESPONSE_PUBLISHED,
                at_ms,
                {"response": len(log) + 1, "reply_to": reply_to, "text": "Sorry"},
            )
        )


def injects(log) -> list[LoggedEvent]:
    return [event for event in log if event.kind == INJECT_PUBLISHED]


def published(log, key) -> list[LoggedEvent]:
    return [event for event in injects(log) if event.data["key"] == key]


def timeline(log) -> list[tuple[str, int | None, int, int]]:
    """(key, burst_index, sim_ms, planned_ms) of each inject, in seq order."""
    return [(e.data["key"], e.data["burst_index"], e.sim_ms, e.data["planned_ms"]) for e in injects(log)]


def kinds(log) -> list[str]:
    return [event.kind for event in log]


# Timed injects and bursts


def test_it_publishes_each_timed_inject_at_its_time_once():
    plan = make_plan(item("first-complaint", 30 * SECOND), item("reporter-call", 5 * MINUTE))
    log = drive(make_scenario(), plan)
    assert timeline(log) == [
        ("first-complaint", None, 30 * SECOND, 30 * SECOND),
        ("reporter-call", None, 5 * MINUTE, 5 * MINUTE),
    ]


def test_it_sleeps_until_the_next_inject():
    plan = make_plan(item("first-complaint", 30 * SECOND))
    log = started()
    assert step(make_scenario(), plan, log, 0).next_due_ms == 30 * SECOND
    assert step(make_scenario(), plan, log, 10 * SECOND) == Decision((), 30 * SECOND)


def test_a_published_inject_carries_what_the_feed_shows():
    plan = make_plan(item("first-complaint", 30 * SECOND, severity=3, requires_response=True, within_ms=MINUTE))
    log = started()
    step(make_scenario(), plan, log, 0)
    events = decide(scenario=make_scenario(), plan=plan, log=log, now_ms=30 * SECOND).events
    assert events[0] == NewEvent(
        INJECT_PUBLISHED,
        {
            "key": "first-complaint",
            "burst_index": None,
            "platform": "x",
            "persona": {
                "name": "Dana Levi",
                "handle": "@dlevi_news",
                "kind": "journalist",
                "followers": 48_000,
            },
            "text": "Text of first-complaint",
            "severity": 3,
            "requires_response": True,
            "respond_by_ms": 90 * SECOND,
            "planned_ms": 30 * SECOND,
            "sentiment": "negative",  # the default of a post that needs a reply
            "manual": False,
        },
    )


def test_an_inject_that_needs_no_reply_has_no_deadline():
    log = drive(make_scenario(), make_plan(item("fyi", SECOND)))
    assert published(log, "fyi")[0].data["respond_by_ms"] is None


def test_burst_items_appear_one_by_one():
    burst = [item("pile-on", 4 * MINUTE + i * 20 * SECOND, burst_index=i) for i in range(4)]
    log = drive(make_scenario(), make_plan(*burst))
    assert timeline(log) == [
        ("pile-on", i, 4 * MINUTE + i * 20 * SECOND, 4 * MINUTE + i * 20 * SECOND) for i in range(4)
    ]


def test_a_late_wake_up_publishes_the_overdue_injects_in_planned_order():
    plan = make_plan(item("a", 10 * SECOND), item("b", 20 * SECOND), item("c", 30 * SECOND), item("d", MINUTE))
    log = run(make_scenario(), plan, [0, 45 * SECOND])
    # Published now, so the scorecard sees the lateness (sim_ms - planned_ms).
    assert timeline(log) == [
        ("a", None, 45 * SECOND, 10 * SECOND),
        ("b", None, 45 * SECOND, 20 * SECOND),
        ("c", None, 45 * SECOND, 30 * SECOND),
    ]


def test_a_late_inject_gets_its_full_time_to_answer():
    plan = make_plan(item("a", 10 * SECOND, requires_response=True, within_ms=MINUTE))
    log = run(make_scenario(), plan, [0, 45 * SECOND])
    assert published(log, "a")[0].data["respond_by_ms"] == 105 * SECOND


def test_calling_twice_at_the_same_moment_publishes_nothing_the_second_time():
    scenario = make_scenario(heat=Heat())
    plan = make_plan(item("a", 10 * SECOND), item("b", 20 * SECOND), conditional=[when("unanswered", "a", 0)])
    log = run(scenario, plan, [0, 30 * SECOND])
    again = decide(scenario=scenario, plan=plan, log=log, now_ms=30 * SECOND)
    assert again.events == ()
    assert again.next_due_ms > 30 * SECOND


def test_an_inject_already_in_the_log_is_never_published_again():
    # After a crash the engine re-reads the log: what was published stays published once.
    plan = make_plan(item("a", 10 * SECOND), item("b", 20 * SECOND))
    log = run(make_scenario(), plan, [0, 10 * SECOND])
    log = run(make_scenario(), plan, [10 * SECOND, 20 * SECOND, 20 * SECOND, 25 * SECOND], log=log)
    assert [key for key, *_ in timeline(log)] == ["a", "b"]


def test_nothing_happens_before_the_drill_starts():
    plan = make_plan(item("a", 0))
    assert decide(scenario=make_scenario(), plan=plan, log=(), now_ms=MINUTE) == Decision((), None)


# Conditions


def test_unanswered_fires_when_nobody_replied_in_time():
    plan = make_plan(item("complaint", MINUTE), conditional=[when("unanswered", "complaint", 8 * MINUTE)])
    log = drive(make_scenario(), plan, replies=[(10 * MINUTE, ["complaint"])])
    assert timeline(log)[1] == ("if-unanswered-complaint", None, 9 * MINUTE, 9 * MINUTE)


def test_unanswered_does_not_fire_when_answered_in_time():
    plan = make_plan(item("complaint", MINUTE), conditional=[when("unanswered", "complaint", 8 * MINUTE)])
    log = drive(make_scenario(), plan, replies=[(9 * MINUTE, ["complaint"])])  # the last moment counts
    assert published(log, "if-unanswered-complaint") == []
    assert kinds(log)[-1] == DRILL_FINISHED


def test_unanswered_counts_from_when_the_inject_actually_appeared():
    plan = make_plan(item("complaint", MINUTE), conditional=[when("unanswered", "complaint", 8 * MINUTE)])
    log = run(make_scenario(), plan, [0, 3 * MINUTE, 10 * MINUTE, 11 * MINUTE])
    assert timeline(log)[1] == ("if-unanswered-complaint", None, 11 * MINUTE, 11 * MINUTE)


def test_answered_fires_after_its_delay():
    plan = make_plan(item("complaint", MINUTE), conditional=[when("answered", "complaint", 2 * MINUTE)])
    log = drive(make_scenario(), plan, replies=[(3 * MINUTE, ["complaint"]), (4 * MINUTE, ["complaint"])])
    assert timeline(log)[1] == ("if-answered-complaint", None, 5 * MINUTE, 5 * MINUTE)
    assert len(published(log, "if-answered-complaint")) == 1


def test_answered_never_fires_without_a_reply():
    plan = make_plan(item("complaint", MINUTE), conditional=[when("answered", "complaint", 2 * MINUTE)])
    assert published(drive(make_scenario(), plan), "if-answered-complaint") == []


def test_a_reply_to_one_burst_item_answers_the_burst():
    burst = [item("pile-on", MINUTE + i * SECOND, burst_index=i) for i in range(3)]
    plan = make_plan(*burst, conditional=[when("unanswered", "pile-on", 5 * MINUTE)])
    log = drive(make_scenario(), plan, replies=[(2 * MINUTE, ["pile-on"])])
    assert published(log, "if-unanswered-pile-on") == []


def test_heat_above_fires_once_when_heat_first_rises_above():
    # Heat 10, +15 for each severity-5 inject: 25 > 20 at 1 min, cooled to 0 by a reply, 15 at 3 min,
    # above 20 again at 4 min: the condition fires the first time only.
    plan = make_plan(
        *[item(f"wave-{n}", n * MINUTE, severity=5) for n in (1, 3, 4)],
        conditional=[when("heat_above", threshold=20)],
    )
    log = drive(make_scenario(), plan, replies=[(2 * MINUTE, ["wave-1"])])
    fired = published(log, "if-heat_above-20")
    assert [(e.sim_ms, e.data["planned_ms"]) for e in fired] == [(MINUTE, MINUTE)]


def test_heat_above_fires_when_an_overdue_inject_heats_the_room():
    # 10 + 9 = 19 at 0; the deadline passes at 1 min and heat then rises 6 a minute: above 25 after 2 min.
    scenario = make_scenario(heat=Heat(decay_per_min=0))
    plan = make_plan(
        item("complaint", 0, severity=3, requires_response=True, within_ms=MINUTE),
        conditional=[when("heat_above", threshold=25)],
    )
    log = drive(scenario, plan)
    fired = published(log, "if-heat_above-25")
    assert [(e.sim_ms, e.data["planned_ms"]) for e in fired] == [(2 * MINUTE + 1, 2 * MINUTE + 1)]


def test_heat_above_fires_at_once_when_the_room_starts_hot():
    plan = make_plan(conditional=[when("heat_above", threshold=5)])
    log = drive(make_scenario(), plan)
    assert timeline(log)[0][2:] == (0, 0)


def test_a_late_wake_up_publishes_in_the_order_things_became_due():
    # "echo" is due at 5 min (complaint unanswered); "b" at 10 min; the heat_above only once both added heat.
    plan = make_plan(
        item("complaint", 0),
        item("b", 10 * MINUTE),
        conditional=[
            when("heat_above", threshold=30),
            ConditionalItem(Condition("unanswered", "complaint", 5 * MINUTE), item("echo", severity=5)),
        ],
    )
    log = run(make_scenario(), plan, [0, 20 * MINUTE])
    assert timeline(log) == [
        ("complaint", None, 0, 0),
        ("echo", None, 20 * MINUTE, 5 * MINUTE),
        ("b", None, 20 * MINUTE, 10 * MINUTE),
        ("if-heat_above-30", None, 20 * MINUTE, 20 * MINUTE),
    ]


# Heat events


def test_the_first_call_sends_the_starting_heat():
    log = run(make_scenario(heat=Heat(start=12)), make_plan(), [0])
    assert log[-1] == LoggedEvent(2, HEAT, 0, {"heat": 12})


def test_heat_is_sent_after_the_injects_that_changed_it():
    plan = make_plan(item("a", MINUTE, severity=2), item("b", MINUTE, severity=2))
    log = drive(make_scenario(), plan)
    assert [(e.kind, e.data.get("heat")) for e in log if e.sim_ms == MINUTE] == [
        (INJECT_PUBLISHED, None),
        (INJECT_PUBLISHED, None),
        (HEAT, 22),
    ]


def test_the_engine_wakes_when_the_shown_heat_changes():
    # Decaying 1 a minute from 10: the room shows 9 once heat is below 9.5, just after 30 s.
    log = started()
    decision = step(make_scenario(heat=Heat()), make_plan(), log, 0)
    assert decision.next_due_ms == 30 * SECOND + 1
    assert step(make_scenario(heat=Heat()), make_plan(), log, 30 * SECOND + 1).events == (NewEvent(HEAT, {"heat": 9}),)


def test_the_meter_goes_up_the_moment_heat_reaches_the_half():
    # 10 + 3 = 13 at 0, overdue at once, then +1 a minute: exactly 13.5 at 30 s, shown as 14.
    scenario = make_scenario(heat=Heat(decay_per_min=0, overdue_per_min=1))
    plan = make_plan(item("a", 0, requires_response=True, within_ms=0))
    log = drive(scenario, plan)
    assert [(e.sim_ms, e.data["heat"]) for e in log if e.kind == HEAT][:2] == [(0, 13), (30 * SECOND, 14)]


def test_no_heat_event_while_the_shown_number_stays():
    log = run(make_scenario(heat=Heat()), make_plan(), [0, 10 * SECOND, 20 * SECOND, 30 * SECOND])
    assert [e.data["heat"] for e in log if e.kind == HEAT] == [10]


def test_the_meter_follows_decay_minute_by_minute():
    log = drive(make_scenario(duration_ms=5 * MINUTE, heat=Heat()), make_plan())
    shown = [(e.sim_ms, e.data["heat"]) for e in log if e.kind == HEAT]
    assert shown == [(0, 10)] + [(30 * SECOND + n * MINUTE + 1, 9 - n) for n in range(5)]


# The end


def test_it_finishes_at_the_duration_and_does_nothing_after():
    plan = make_plan(item("a", MINUTE), item("last-word", 10 * MINUTE))
    scenario = make_scenario(duration_ms=10 * MINUTE)
    log = drive(scenario, plan)
    ended = [(e.kind, e.data.get("key")) for e in log if e.sim_ms == 10 * MINUTE]
    assert [kind for kind in ended if kind[0] != ENGAGEMENT] == [
        (INJECT_PUBLISHED, "last-word"),
        (HEAT, None),
        (DRILL_FINISHED, None),
    ]
    assert decide(scenario=scenario, plan=plan, log=log, now_ms=20 * MINUTE) == Decision((), None)


def test_a_late_finish_publishes_what_was_due_by_the_end_first():
    plan = make_plan(
        item("a", MINUTE),
        item("b", 9 * MINUTE),
        conditional=[
            when("unanswered", "a", 2 * MINUTE),  # a appears at 2 min: due at 4, within the drill
            when("unanswered", "b", 2 * MINUTE),  # b appears at the end: due after it
        ],
    )
    log = run(make_scenario(duration_ms=10 * MINUTE, heat=Heat()), plan, [0, 2 * MINUTE, 15 * MINUTE])
    ended = [(e.kind, e.data.get("key")) for e in log if e.sim_ms == 15 * MINUTE]
    assert ended[-1] == (DRILL_FINISHED, None)  # the counters up to the end come before it
    assert [kind for kind in ended if kind[0] != ENGAGEMENT] == [
        (INJECT_PUBLISHED, "if-unanswered-a"),
        (INJECT_PUBLISHED, "b"),
        (HEAT, None),
        (DRILL_FINISHED, None),
    ]


def test_a_condition_due_after_the_end_never_fires_even_when_the_engine_wakes_late():
    plan = make_plan(item("a", MINUTE), conditional=[when("answered", "a", 2 * MINUTE)])
    scenario = make_scenario(duration_ms=10 * MINUTE)
    log = run(scenario, plan, [0, MINUTE])
    reply(log, 9 * MINUTE, "a")  # due at 11 min, after the end
    log = run(scenario, plan, [15 * MINUTE], log=log)
    assert published(log, "if-answered-a") == []
    assert kinds(log)[-1] == DRILL_FINISHED


# Invariants over any schedule

timed_items = st.lists(
    st.tuples(st.integers(0, 20 * MINUTE), st.integers(1, 5), st.booleans(), st.integers(0, 3)),
    max_size=8,
)


@st.composite
def plans(draw) -> Plan:
    items = []
    for position, (planned_ms, severity, needs_reply, burst_size) in enumerate(draw(timed_items)):
        key = f"inject-{position}"
        if burst_size:
            spread = draw(st.lists(st.integers(0, 3 * MINUTE), min_size=burst_size, max_size=burst_size))
            times = sorted(planned_ms + offset for offset in spread)
            items += [item(key, t, burst_index=i, severity=severity) for i, t in enumerate(times)]
        else:
            items.append(item(key, planned_ms, severity=severity, requires_response=needs_reply, within_ms=MINUTE))
    keys = sorted({i.key for i in items}) or ["inject-0"]
    conditional = [
        when("unanswered", draw(st.sampled_from(keys)), draw(st.integers(0, 10 * MINUTE)), severity=2),
        when("answered", draw(st.sampled_from(keys)), draw(st.integers(0, 5 * MINUTE)), severity=3),
        when("heat_above", threshold=draw(st.integers(5, 60)), severity=4),
    ]
    return make_plan(*items, conditional=conditional)


replies = st.lists(
    st.tuples(st.integers(0, 25 * MINUTE), st.sampled_from([f"inject-{n}" for n in range(8)]).map(lambda k: [k])),
    max_size=4,
)
wake_times = st.lists(st.integers(0, 30 * MINUTE), max_size=12).map(sorted)
heats = st.sampled_from([Heat(), STILL, Heat(start=40, decay_per_min=3), Heat(start=0, overdue_per_min=10)])


def slots(log, keys=None) -> set[tuple[str, int | None]]:
    return {(e.data["key"], e.data["burst_index"]) for e in injects(log) if keys is None or e.data["key"] in keys}


@settings(max_examples=150, deadline=None)
@given(plan=plans(), wakes=wake_times, heat=heats, jump_ms=st.integers(0, 10 * MINUTE))
def test_any_wake_up_schedule_publishes_every_timed_item_once_in_order(plan, wakes, heat, jump_ms):
    scenario = make_scenario(duration_ms=25 * MINUTE, heat=heat)
    log = run(scenario, plan, [*wakes, scenario.duration_ms + jump_ms, scenario.duration_ms + jump_ms])

    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert kinds(log).count(DRILL_FINISHED) == 1
    assert kinds(log)[-1] == DRILL_FINISHED
    timed = [(e.data["key"], e.data["burst_index"]) for e in injects(log) if e.data["key"].startswith("inject-")]
    assert timed == [(i.key, i.burst_index) for i in plan.timed]  # each once, in planned order
    assert all(e.sim_ms >= e.data["planned_ms"] for e in injects(log))  # never early
    punctual = drive(scenario, plan)
    assert slots(log, {i.key for i in plan.timed}) == slots(punctual, {i.key for i in plan.timed})
    assert len(injects(log)) == len(slots(log))  # conditionals at most once too


@settings(max_examples=150, deadline=None)
@given(plan=plans(), wakes=wake_times, replies=replies, heat=heats)
def test_extra_wake_ups_change_nothing(plan, wakes, replies, heat):
    # Participants' actions, pauses and speed changes wake the engine early: the log must not notice.
    scenario = make_scenario(duration_ms=25 * MINUTE, heat=heat)
    punctual = drive(scenario, plan, replies=replies)
    assert drive(scenario, plan, wakes=wakes, replies=replies) == punctual


@settings(max_examples=150, deadline=None)
@given(plan=plans(), heat=heats)
def test_every_wake_up_at_next_due_has_something_to_do(plan, heat):
    # Without replies nothing invalidates a prediction, so a wake-up with nothing to do would be a wasted
    # (or, repeated, a busy) loop.
    scenario = make_scenario(duration_ms=25 * MINUTE, heat=heat)
    log = started()
    now_ms = 0
    while now_ms is not None:
        decision = step(scenario, plan, log, now_ms)
        assert decision.events, f"nothing to do at {now_ms}"
        now_ms = decision.next_due_ms


@settings(max_examples=100, deadline=None)
@given(plan=plans(), replies=replies, heat=heats)
def test_conditions_fire_at_the_moment_they_are_met(plan, replies, heat):
    scenario = make_scenario(duration_ms=25 * MINUTE, heat=heat)
    log = drive(scenario, plan, replies=replies)
    for conditional in plan.conditional:
        fired = published(log, conditional.item.key)
        expected = expected_due_ms(scenario, log, conditional.when, fired)
        assert [e.sim_ms for e in fired] == ([] if expected is None else [expected])
        assert [e.data["planned_ms"] for e in fired] == [e.sim_ms for e in fired]


def expected_due_ms(scenario, log, condition, fired) -> int | None:
    """The due moment worked out from the final log, independently of the engine's bookkeeping."""
    before = [e for e in log if not fired or e.seq < fired[0].seq]
    watched = published(before, condition.key) if condition.key else []
    ids = {e.data["id"] for e in watched}
    reply_ms = [e.sim_ms for e in before if e.kind == RESPONSE_PUBLISHED and ids & set(e.data["reply_to"])]
    if condition.kind == "unanswered":
        if not watched:
            return None
        due_ms = watched[0].sim_ms + condition.wait_ms
        answered = any(t <= due_ms for t in reply_ms)
        return None if answered or due_ms > scenario.duration_ms else due_ms
    if condition.kind == "answered":
        due_ms = min(reply_ms) + condition.wait_ms if reply_ms else None
        return None if due_ms is None or due_ms > scenario.duration_ms else due_ms
    due_ms = next_crossing(scenario.heat, before, 0, condition.threshold, upward=True)
    return None if due_ms is None or due_ms > scenario.duration_ms else due_ms


def test_the_shown_heat_always_matches_the_log():
    scenario = make_scenario(heat=Heat())
    plan = make_plan(item("a", MINUTE, severity=4, requires_response=True, within_ms=MINUTE), item("b", 7 * MINUTE))
    log = drive(scenario, plan, replies=[(5 * MINUTE, ["a"])])
    for event in log:
        if event.kind == HEAT:
            assert event.data["heat"] == shown_at(scenario.heat, log, event.sim_ms)
