"""The engine's `engagement` events (PROTOCOL sections 1.4 and 3): at most one per 15 simulated seconds, only the
counters that changed, counters that never fall, and the same counters however the engine wakes."""

from itertools import pairwise

from drills.engagement import TICK_MS
from drills.engine import decide
from drills.log import ENGAGEMENT, INJECT_PUBLISHED
from tests.drills.test_engine import MINUTE, SECOND, append, drive, item, make_plan, make_scenario, run

SCENARIO = make_scenario(duration_ms=10 * MINUTE)
PLAN = make_plan(item("a", 0, severity=3, requires_response=True), item("b", 0), item("c", 4 * MINUTE))


def engagement(log) -> list[dict]:
    return [event.data for event in log if event.kind == ENGAGEMENT]


def test_a_punctual_engine_sends_one_event_per_boundary_with_counters_that_only_grow():
    log = drive(SCENARIO, PLAN)

    stamps = [event.sim_ms for event in log if event.kind == ENGAGEMENT]
    assert stamps and all(ms % TICK_MS == 0 for ms in stamps) and len(set(stamps)) == len(stamps)
    ids = {event.data["id"] for event in log if event.kind == INJECT_PUBLISHED}
    last: dict[int, dict] = {}
    for data in engagement(log):
        assert data["replies"] == []
        for entry in data["posts"]:
            assert entry["inject"] in ids
            before = last.get(entry["inject"], {"likes": 0, "shares": 0, "views": 0})
            assert entry != {"inject": entry["inject"], **before}, "an unchanged post is not sent"
            assert all(entry[name] >= before[name] for name in ("likes", "shares", "views"))
            last[entry["inject"]] = {name: entry[name] for name in ("likes", "shares", "views")}
    assert len(last) == 3


def latest(log) -> dict[int, dict]:
    return {entry["inject"]: entry for data in engagement(log) for entry in data["posts"]}


def test_a_late_or_sparse_engine_tells_the_same_counters_in_fewer_events():
    every_tick = run(SCENARIO, PLAN, range(0, 10 * MINUTE + 1, TICK_MS))
    sparse = run(SCENARIO, PLAN, [0, 37 * SECOND, 4 * MINUTE, 7 * MINUTE + 3 * SECOND, 10 * MINUTE])

    assert len(engagement(sparse)) == 4 < len(engagement(every_tick))
    assert latest(sparse) == latest(every_tick)


def test_a_published_reply_gets_its_own_counters():
    log = drive(SCENARIO, PLAN, replies=[(2 * MINUTE, ["a"])])

    response = next(event.data["response"] for event in log if event.kind == "response.published")
    replied = [entry for data in engagement(log) for entry in data["replies"]]
    assert replied and {entry["response"] for entry in replied} == {response}
    assert replied[-1]["views"] > 0


def test_a_drill_played_fast_tells_its_counters_every_few_boundaries_with_the_same_numbers():
    every_tick = run(SCENARIO, PLAN, range(0, 10 * MINUTE + 1, TICK_MS))
    log, now_ms = run(SCENARIO, PLAN, [0]), 0
    while now_ms < 10 * MINUTE:  # woken punctually for whatever it asks, counters every 7 boundaries
        decision = decide(scenario=SCENARIO, plan=PLAN, log=tuple(log), now_ms=now_ms, counters_every_ms=7 * TICK_MS)
        append(log, decision.events, now_ms)
        due = [ms for ms in (decision.next_due_ms, decision.counters_due_ms) if ms is not None]
        now_ms = min(due, default=10 * MINUTE)

    stamps = [event.sim_ms for event in log if event.kind == ENGAGEMENT]
    assert len(stamps) >= 4 and all(b - a >= 7 * TICK_MS for a, b in pairwise(stamps))
    for event in log:  # each event tells what the every-boundary engine had told by then
        if event.kind == ENGAGEMENT:
            told = latest([e for e in every_tick if e.sim_ms <= event.sim_ms])
            assert all(entry == told[entry["inject"]] for entry in event.data["posts"])
