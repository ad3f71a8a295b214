"""The engine plays the crowd's reactions to published replies (PROTOCOL section 1.4) from the log alone."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from drills.heat import shown_at
from drills.log import HEAT, RESPONSE_PUBLISHED, LoggedEvent
from scenarios.spec import BACKLASH, SUPPORT, Heat, Reaction, Reactions, RubricItem, Scoring
from tests.drills.test_engine import (
    MINUTE,
    SECOND,
    STILL,
    drive,
    injects,
    item,
    make_plan,
    make_scenario,
    published,
    run,
    started,
    when,
)

SCORING = Scoring(must_include=(RubricItem("apology", ("sorry",)),), must_avoid=("not our fault",))
TONE_DEAF = "This is not our fault."
GOOD = "Sorry, we are working on it."
BACKLASH_REACTION = Reaction(count=12, over_ms=2 * MINUTE, severity=2, heat=15)


def scenario(heat: Heat = STILL):
    return dataclasses.replace(
        make_scenario(heat=heat), scoring=SCORING, reactions=Reactions(backlash=BACKLASH_REACTION)
    )


def published_reply(log: list[LoggedEvent], at_ms: int, response: int, text: str) -> None:
    data = {"response": response, "reply_to": [], "text": text, "platform": "x"}
    log.append(LoggedEvent(len(log) + 1, RESPONSE_PUBLISHED, at_ms, data))


def with_reply(response: int, text: str, at_ms: int = MINUTE) -> list[LoggedEvent]:
    log = started()
    published_reply(log, at_ms, response, text)
    return log


def comments(log, response):
    return published(log, f"reaction-{response}")


def test_a_tone_deaf_reply_sets_off_the_backlash_threaded_under_it():
    log = drive(scenario(), make_plan(), log=with_reply(5, TONE_DEAF))

    backlash = comments(log, 5)
    assert [event.data["burst_index"] for event in backlash] == list(range(12))
    assert {(e.data["reaction"], e.data["in_reply_to"], e.data["sentiment"]) for e in backlash} == {
        (BACKLASH, 5, "negative")
    }
    assert all(not event.data["requires_response"] for event in backlash)
    # Punctual: each comment appears at its planned moment, all within `over` of the reply.
    assert all(e.sim_ms == e.data["planned_ms"] and MINUTE <= e.sim_ms < 3 * MINUTE for e in backlash)


def test_a_good_reply_gets_support():
    log = drive(scenario(), make_plan(), log=with_reply(6, GOOD))

    assert [(e.data["reaction"], e.data["sentiment"]) for e in comments(log, 6)] == [(SUPPORT, "positive")] * 3


def test_the_backlash_plays_once_when_the_engine_wakes_late_or_twice():
    late = run(scenario(), make_plan(), [10 * MINUTE, 10 * MINUTE, 11 * MINUTE], log=with_reply(5, TONE_DEAF))
    punctual = drive(scenario(), make_plan(), log=with_reply(5, TONE_DEAF))

    assert [e.data["burst_index"] for e in comments(late, 5)] == list(range(12))
    assert {e.sim_ms for e in comments(late, 5)} == {10 * MINUTE}
    # The same comments, whenever the engine woke: they come from the log, not from the moment.
    same = ("burst_index", "text", "persona", "planned_ms")
    assert [[e.data[k] for k in same] for e in comments(late, 5)] == [
        [e.data[k] for k in same] for e in comments(punctual, 5)
    ]


def test_the_heat_jumps_at_once_when_the_backlash_starts():
    log = drive(scenario(), make_plan(), log=with_reply(5, TONE_DEAF), wakes=[MINUTE])

    first_heat = next(event for event in log if event.kind == HEAT and event.sim_ms == MINUTE)
    assert first_heat.data["heat"] == 10 + 15  # start + the backlash's jump, before any comment
    assert shown_at(STILL, [e for e in log if e.kind != RESPONSE_PUBLISHED], 3 * MINUTE) == 10 + 12 * 2 * 3


def test_the_backlash_condition_fires_once_after_the_first_backlash():
    plan = make_plan(conditional=[when(BACKLASH, wait_ms=3 * MINUTE)])
    log = with_reply(5, TONE_DEAF)
    published_reply(log, 2 * MINUTE, 6, TONE_DEAF)  # a second backlash does not fire it again

    log = drive(scenario(), plan, log=log, wakes=[MINUTE, 2 * MINUTE])

    assert [(e.sim_ms, e.data["planned_ms"]) for e in published(log, "if-backlash-None")] == [(4 * MINUTE, 4 * MINUTE)]


def test_no_backlash_no_condition_and_no_reactions_without_the_section():
    plan = make_plan(item("post", 10 * SECOND), conditional=[when(BACKLASH, wait_ms=MINUTE)])

    assert published(drive(scenario(), plan, log=with_reply(6, GOOD)), "if-backlash-None") == []
    plain = dataclasses.replace(scenario(), reactions=None)
    assert [e.data["key"] for e in injects(drive(plain, plan, log=with_reply(5, TONE_DEAF)))] == ["post"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(MINUTE, 5 * MINUTE), max_size=6))
def test_the_comments_are_the_same_whenever_the_engine_wakes(wakes):
    punctual = drive(scenario(), make_plan(), log=with_reply(5, TONE_DEAF))
    woken = run(scenario(), make_plan(), [*sorted(wakes), 6 * MINUTE], log=with_reply(5, TONE_DEAF))

    same = ("burst_index", "text", "persona", "planned_ms", "reaction", "in_reply_to")
    assert [[e.data[k] for k in same] for e in comments(woken, 5)] == [
        [e.data[k] for k in same] for e in comments(punctual, 5)
    ]
