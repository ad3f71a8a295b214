"""Scorecards computed from hand-written event logs, each checked against numbers worked out by hand."""

from __future__ import annotations

import dataclasses
import random
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drills import log
from drills.log import LoggedEvent
from scenarios.spec import DEFAULT_WEIGHTS, RubricItem, Scenario, Scoring, Step
from scoring.scorecard import Participant, compute_scorecard, percentile

ALICE = Participant(user_id=1, username="alice", roles=("drafter",))
BOB = Participant(user_id=2, username="bob", roles=("reviewer",))
CAROL = Participant(user_id=3, username="carol", roles=("legal", "drafter"))
CAST = (ALICE, BOB, CAROL)

TWO_STEPS = (Step("drafter", None), Step("reviewer", 60_000))
THREE_STEPS = (Step("drafter", None), Step("reviewer", 60_000), Step("legal", 120_000))
APOLOGY = RubricItem(label="apology", any=("sorry", "apolog"))
NEXT_STEP = RubricItem(label="next step", any=("update", "working on"))


def make_scenario(chain=TWO_STEPS, scoring: Scoring | None = None) -> Scenario:
    return Scenario(
        title="Checkout outage",
        language="en",
        brand_name="ShopLine",
        brand_handle="@shopline",
        duration_ms=3_600_000,
        response_sla_ms=600_000,
        chain=chain,
        personas=(),
        injects=(),
        scoring=scoring or Scoring(),
    )


class LogBuilder:
    """Appends events with consecutive seqs; times are given in simulated seconds for readability."""

    def __init__(self) -> None:
        self.events: list[LoggedEvent] = []

    def add(self, kind: str, at_s: float, **data) -> LogBuilder:
        self.events.append(LoggedEvent(seq=len(self.events) + 1, kind=kind, sim_ms=round(at_s * 1000), data=data))
        return self

    def inject(self, inject_id, at_s, *, severity=3, deadline_s=300, needs_reply=True, **extra) -> LogBuilder:
        data = {
            "id": inject_id,
            "key": f"inject-{inject_id}",
            "burst_index": None,
            "platform": "x",
            "persona": {"name": "Dana Levi", "handle": "@dlevi", "kind": "customer", "followers": 10},
            "text": "Card declined again",
            "severity": severity,
            "requires_response": needs_reply,
            "respond_by_ms": round((at_s + deadline_s) * 1000) if needs_reply else None,
            "planned_ms": round(at_s * 1000),
            "manual": False,
        }
        return self.add(log.INJECT_PUBLISHED, at_s, **{**data, **extra})

    def draft(self, response, at_s, *, reply_to, author=ALICE, text="Sorry, working on it") -> LogBuilder:
        return self.add(
            log.RESPONSE_DRAFTED,
            at_s,
            response=response,
            author=author.user_id,
            author_name=author.username,
            reply_to=list(reply_to),
            text=text,
        )

    def submit(self, response, at_s, *, step=1) -> LogBuilder:
        return self.add(log.RESPONSE_SUBMITTED, at_s, response=response, step=step)

    def approve(self, response, at_s, *, step, by=BOB) -> LogBuilder:
        return self._decide(log.APPROVAL_APPROVED, response, at_s, step, by, "")

    def reject(self, response, at_s, *, step, by=BOB, comment="missing: apology") -> LogBuilder:
        return self._decide(log.APPROVAL_REJECTED, response, at_s, step, by, comment)

    def _decide(self, kind, response, at_s, step, by, comment) -> LogBuilder:
        return self.add(
            kind,
            at_s,
            response=response,
            step=step,
            role="reviewer" if step == 1 else "legal",
            by=None if by is None else by.user_id,
            by_name="bot" if by is None else by.username,
            bot=by is None,
            comment=comment,
        )

    def publish(self, response, at_s, *, reply_to, text="Sorry, working on it", platform="x") -> LogBuilder:
        return self.add(
            log.RESPONSE_PUBLISHED,
            at_s,
            response=response,
            reply_to=list(reply_to),
            text=text,
            platform=platform,
        )

    def reply(self, response, *, reply_to, drafted_s, submitted_s, approved_s, **publish) -> LogBuilder:
        """A response through a two-step chain, published the moment it is approved."""
        self.draft(response, drafted_s, reply_to=reply_to)
        self.submit(response, submitted_s)
        self.approve(response, approved_s, step=1)
        return self.publish(response, approved_s, reply_to=reply_to, **publish)

    def finish(self, at_s) -> LogBuilder:
        return self.add(log.DRILL_FINISHED, at_s)


def score(builder: LogBuilder, scenario: Scenario | None = None, participants=CAST) -> dict:
    return compute_scorecard(scenario=scenario or make_scenario(), events=builder.events, participants=participants)


def test_it_scores_zero_when_nothing_is_answered():
    events = (
        LogBuilder()
        .add(log.DRILL_STARTED, 0)
        .inject(1, 30, severity=3, deadline_s=300)
        .inject(2, 60, severity=1, deadline_s=120)
        .inject(3, 90, needs_reply=False)
        .finish(600)
    )
    card = score(events)
    assert card["finished"] is True
    assert card["components"] == {
        "timeliness": 0.0,
        "coverage": 0.0,
        "approval_flow": None,
        "quality": None,
        "first_statement": 0.0,  # posts needed a reply, none was published
        "detection": None,  # no signal in the scenario
    }
    assert card["overall"] == 0.0  # (0 x 40 + 0 x 30) / 70
    assert card["injects"][0] == {
        "id": 1,
        "key": "inject-1",
        "burst_index": None,
        "severity": 3,
        "needs_reply": True,
        "published_s": 30.0,
        "first_draft_s": None,
        "reply_s": None,
        "deadline_s": 300.0,
        "on_time": False,
        "planned_s": 30.0,
        "late_s": 0.0,
        "flag_s": None,
        "flags": 0,
        "signal": False,
    }
    assert [row["on_time"] for row in card["injects"]] == [False, False, None]
    assert card["injects"][2]["deadline_s"] is None
    assert card["responses"] == []
    assert card["steps"] == [
        {
            "step": 1,
            "role": "reviewer",
            "decisions": 0,
            "rejections": 0,
            "median_wait_s": None,
            "p90_wait_s": None,
            "sla_s": 60.0,
            "within_sla": None,
        }
    ]


def test_it_gives_partial_timeliness_to_late_replies():
    scenario = make_scenario(scoring=Scoring(must_include=(APOLOGY,)))
    events = (
        LogBuilder()
        .inject(1, 10, severity=3, deadline_s=100)
        .inject(2, 20, severity=1, deadline_s=50)
        # 150 s after publication, 50 s past a 100 s deadline: 1 - 50/100 = 0.5
        .reply(10, reply_to=[1], drafted_s=90, submitted_s=100, approved_s=160, text="Sorry, on it")
        # 200 s after publication, 150 s past a 50 s deadline: max(0, 1 - 3) = 0
        .reply(11, reply_to=[2], drafted_s=140, submitted_s=150, approved_s=220, text="On it")
        .finish(600)
    )
    card = score(events, scenario)
    assert card["components"] == {
        "timeliness": 37.5,  # (3 x 0.5 + 1 x 0) / 4
        "coverage": 100.0,
        "approval_flow": 50.0,  # waited 60 s (= SLA, within) and 70 s (over)
        "quality": 50.0,  # one apology out of two
        "first_statement": 100.0,  # 150 s after the first post, within the 600 s response_sla
        "detection": None,
    }
    assert card["overall"] == 60.0  # (37.5 x 40 + 100 x 30 + 50 x 15 + 50 x 15) / 100
    assert [(r["reply_s"], r["deadline_s"], r["on_time"]) for r in card["injects"]] == [
        (150.0, 100.0, False),
        (200.0, 50.0, False),
    ]
    assert [r["first_draft_s"] for r in card["injects"]] == [80.0, 120.0]


def test_it_measures_each_wait_from_the_arrival_at_the_step_through_a_rejection_loop():
    events = (
        LogBuilder()
        .inject(1, 0, severity=2, deadline_s=600)
        .draft(7, 10, reply_to=[1], author=ALICE)
        .submit(7, 20)
        .reject(7, 50, step=1, by=BOB)  # waited 30 s at step 1
        .add(log.RESPONSE_EDITED, 70, response=7, author=1, author_name="alice", reply_to=[1], text="Sorry!")
        .submit(7, 80)
        .approve(7, 180, step=1, by=BOB)  # waited 100 s since the resubmission, over the 60 s SLA
        .approve(7, 200, step=2, by=CAROL)  # waited 20 s since step 1's approval
        .publish(7, 200, reply_to=[1], text="Sorry!")
        .finish(600)
    )
    card = score(events, make_scenario(THREE_STEPS))
    assert card["steps"] == [
        {
            "step": 1,
            "role": "reviewer",
            "decisions": 2,
            "rejections": 1,
            "median_wait_s": 65.0,
            "p90_wait_s": 93.0,  # 30 + 0.9 x (100 - 30)
            "sla_s": 60.0,
            "within_sla": 0.5,
        },
        {
            "step": 2,
            "role": "legal",
            "decisions": 1,
            "rejections": 0,
            "median_wait_s": 20.0,
            "p90_wait_s": 20.0,
            "sla_s": 120.0,
            "within_sla": 1.0,
        },
    ]
    assert card["components"]["approval_flow"] == 66.7  # 2 of 3 decisions within SLA
    assert card["overall"] == 95.0  # (100 x 40 + 100 x 30 + 66.67 x 15 + 100 x 15) / 100
    assert card["participants"] == [
        {
            "user": "alice",
            "roles": ["drafter"],
            "drafts": 1,
            "approvals": 0,
            "rejections": 0,
            "messages": 0,
            "flags": 0,
            "false_flags": 0,
        },
        {
            "user": "bob",
            "roles": ["reviewer"],
            "drafts": 0,
            "approvals": 1,
            "rejections": 1,
            "messages": 0,
            "flags": 0,
            "false_flags": 0,
        },
        {
            "user": "carol",
            "roles": ["legal", "drafter"],
            "drafts": 0,
            "approvals": 1,
            "rejections": 0,
            "messages": 0,
            "flags": 0,
            "false_flags": 0,
        },
    ]


def test_one_reply_can_answer_two_injects():
    events = (
        LogBuilder()
        .inject(1, 0, severity=3, deadline_s=120)
        .inject(2, 60, severity=1, deadline_s=30)
        .reply(5, reply_to=[1, 2], drafted_s=70, submitted_s=80, approved_s=100)
        .finish(600)
    )
    card = score(events)
    assert [(r["first_draft_s"], r["reply_s"], r["on_time"]) for r in card["injects"]] == [
        (70.0, 100.0, True),
        (10.0, 40.0, False),
    ]
    # inject 2 is 10 s past its 30 s deadline: 1 - 10/30 = 2/3; (3 x 1 + 1 x 2/3) / 4
    assert card["components"]["timeliness"] == 91.7
    assert card["components"]["coverage"] == 100.0
    assert [(r["response"], r["reply_to"], r["published_s"]) for r in card["responses"]] == [(5, [1, 2], 100.0)]


def test_it_counts_a_self_approval_like_any_other_decision():
    events = (
        LogBuilder()
        .inject(1, 0)
        .draft(3, 10, reply_to=[1], author=CAROL)
        .submit(3, 20)
        .approve(3, 50, step=1, by=CAROL)
        .publish(3, 50, reply_to=[1])
        .finish(100)
    )
    card = score(events)
    assert card["participants"][2] == {
        "user": "carol",
        "roles": ["legal", "drafter"],
        "drafts": 1,
        "approvals": 1,
        "rejections": 0,
        "messages": 0,
        "flags": 0,
        "false_flags": 0,
    }
    assert card["components"]["approval_flow"] == 100.0


def test_it_counts_each_participants_team_messages_until_the_drill_finished():
    def say(builder, at_s, by):
        return builder.add(log.TEAM_MESSAGE, at_s, id=at_s, by=by, by_name="x", text="@bob on it")

    builder = LogBuilder().inject(1, 0)
    for at_s, by in [(5, ALICE.user_id), (6, CAROL.user_id), (7, ALICE.user_id), (8, 99)]:  # 99: an instructor
        say(builder, at_s, by)
    say(builder.finish(100), 101, BOB.user_id)  # after the end: not counted
    card = score(builder)
    assert [(row["user"], row["messages"]) for row in card["participants"]] == [("alice", 2), ("bob", 0), ("carol", 1)]


def test_it_does_not_count_bot_decisions_for_any_participant():
    events = (
        LogBuilder()
        .inject(1, 0)
        .draft(3, 1, reply_to=[1])
        .submit(3, 2)
        .approve(3, 3, step=1, by=None)
        .publish(3, 3, reply_to=[1])
    )
    card = score(events)
    assert [row["approvals"] for row in card["participants"]] == [0, 0, 0]
    assert card["steps"][0]["decisions"] == 1


def test_it_ignores_everything_after_the_drill_finished():
    events = (
        LogBuilder()
        .inject(1, 0, severity=2, deadline_s=60)
        .add(log.HEAT, 0, heat=16)
        .finish(100)
        .inject(2, 120)
        .reply(4, reply_to=[1], drafted_s=121, submitted_s=125, approved_s=130)
        .add(log.HEAT, 140, heat=30)
        .finish(150)
    )
    card = score(events)
    assert card["finished"] is True
    assert [r["id"] for r in card["injects"]] == [1]
    assert card["injects"][0]["reply_s"] is None
    assert card["components"] == {
        "timeliness": 0.0,
        "coverage": 0.0,
        "approval_flow": None,
        "quality": None,
        "first_statement": 0.0,  # posts needed a reply, none was published
        "detection": None,  # no signal in the scenario
    }
    assert card["heat"] == [[0.0, 16]]
    assert card["participants"][0]["drafts"] == 0


def test_it_says_when_the_drill_has_not_finished():
    card = score(LogBuilder().add(log.DRILL_STARTED, 0).inject(1, 5))
    assert card["finished"] is False


def test_it_leaves_out_burst_items_that_need_no_reply():
    events = (
        LogBuilder()
        .inject(1, 10, needs_reply=False, key="pile-on", burst_index=0)
        .inject(2, 11, needs_reply=False, key="pile-on", burst_index=1)
        .inject(3, 12, needs_reply=True, key="pile-on", burst_index=2)
        .inject(4, 13, needs_reply=False, key="rumour")
        .finish(60)
    )
    card = score(events)
    assert [(r["key"], r["burst_index"]) for r in card["injects"]] == [("pile-on", 2), ("rumour", None)]


def test_it_reports_publication_lateness_against_the_plan():
    events = LogBuilder().inject(1, 30, planned_ms=25_000).inject(2, 40, planned_ms=40_500).finish(60)
    assert [r["late_s"] for r in score(events)["injects"]] == [5.0, -0.5]


def test_quality_is_the_mean_rubric_score_of_published_replies():
    scoring = Scoring(must_include=(APOLOGY, NEXT_STEP), must_avoid=("no comment",), max_length={"x": 40})
    long_text = "We apologise. An update follows within the hour."  # both items, but 48 > 40 characters
    events = (
        LogBuilder()
        .inject(1, 0, needs_reply=False)
        .publish(1, 10, reply_to=[1], text="Sorry. No comment.")  # forbidden: 0
        .publish(2, 20, reply_to=[1], text=long_text)  # too long for x: 0
        .publish(3, 30, reply_to=[1], text="Sorry for the trouble.")  # 1 of 2 items: 0.5
        .publish(4, 40, reply_to=[1], text=long_text, platform="facebook")  # no limit there: 1
        .finish(60)
    )
    card = score(events, make_scenario(scoring=scoring))
    assert card["components"]["quality"] == 37.5
    assert [r["rubric"]["score"] for r in card["responses"]] == [0.0, 0.0, 0.5, 1.0]
    assert card["responses"][0]["rubric"]["forbidden"] == ["no comment"]
    assert card["responses"][1]["rubric"] == {
        "score": 0.0,
        "present": ["apology", "next step"],
        "missing": [],
        "forbidden": [],
        "length": 48,
        "max_length": 40,
        "too_long": True,
        "platform": "x",
    }


def test_overall_drops_the_weights_of_unmeasured_components():
    events = (
        LogBuilder()
        .inject(1, 0, needs_reply=False)
        .reply(2, reply_to=[1], drafted_s=1, submitted_s=2, approved_s=30, text="We are on it")
        .finish(60)
    )
    card = score(events, make_scenario(scoring=Scoring(must_include=(APOLOGY, NEXT_STEP))))
    assert card["components"] == {
        "timeliness": None,
        "coverage": None,
        "approval_flow": 100.0,
        "quality": 0.0,
        "first_statement": None,  # no post needed a reply
        "detection": None,
    }
    assert card["overall"] == 50.0  # (100 x 15 + 0 x 15) / 30


@pytest.mark.parametrize(
    "weights",
    [
        {"timeliness": 40, "coverage": 30, "approval_flow": 0, "quality": 0},
        {"timeliness": 40, "coverage": 30},
    ],
)
def test_overall_is_none_when_no_measured_component_has_weight(weights):
    events = (
        LogBuilder().inject(1, 0, needs_reply=False).reply(2, reply_to=[1], drafted_s=1, submitted_s=2, approved_s=3)
    )
    card = score(events, make_scenario(scoring=Scoring(weights=weights)))
    assert card["overall"] is None


def test_overall_is_none_when_nothing_was_measured():
    card = score(LogBuilder().add(log.DRILL_STARTED, 0).finish(10))
    assert card["components"] == dict.fromkeys(DEFAULT_WEIGHTS)
    assert card["overall"] is None


def test_it_lists_heat_in_order_and_ignores_kinds_it_does_not_score():
    events = (
        LogBuilder()
        .add(log.DRILL_STARTED, 0)
        .add(log.SEAT_JOINED, 0, user=1, role="drafter")
        .add(log.HEAT, 0, heat=10)
        .add(log.DRILL_SPEED, 1, speed=10)
        .add(log.HEAT, 30.5, heat=19)
        .add(log.DRILL_PAUSED, 31)
        .add(log.DRILL_RESUMED, 40)
        .add(log.SEAT_LEFT, 41, user=1, role="drafter")
        .add("something.new", 42, anything=True)
        .finish(50)
    )
    assert score(events)["heat"] == [[0.0, 10], [30.5, 19]]


def test_step_waits_interpolate_the_90th_percentile_between_closest_ranks():
    builder = LogBuilder().inject(1, 0)
    for response, wait_s in enumerate([10, 100, 30, 20], start=1):
        builder.draft(response, 0, reply_to=[1]).submit(response, 0).approve(response, wait_s, step=1)
    step = score(builder)["steps"][0]
    assert (step["median_wait_s"], step["p90_wait_s"], step["within_sla"]) == (25.0, 79.0, 0.75)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([5], 5), ([1, 2], 1.9), ([10, 20, 30, 100], 79.0), (list(range(11)), 9.0)],
)
def test_percentile_matches_numpy_linear(values, expected):
    assert percentile(values, 0.9) == pytest.approx(expected)


# --- invariants over generated drills -------------------------------------------------------------

TEXTS = ("Sorry, working on it", "No comment", "We are on it", "x" * 300, "Update soon, apologies")
HYPO_SCORING = Scoring(must_include=(APOLOGY, NEXT_STEP), must_avoid=("no comment",), max_length={"x": 280})


@st.composite
def drills(draw):
    """A causally valid drill on a coarse clock (whole seconds 0..8) so many events share a sim_ms.

    Returns (chain, events) where each event carries a chain id: the events of one chain (one response,
    the heat series, the finish) must keep their order; everything else may interleave.
    """
    deciding = [Step(f"role{i}", draw(st.integers(0, 3)) * 1000) for i in range(1, draw(st.integers(2, 4)))]
    chain = (Step("drafter", None), *deciding)
    events = []  # (sim_ms, chain_id, kind, data)
    injects = []
    for inject_id in range(1, draw(st.integers(0, 5)) + 1):
        at_ms = draw(st.integers(0, 8)) * 1000
        injects.append((inject_id, at_ms))
        needs_reply = draw(st.booleans())
        data = {
            "id": inject_id,
            "key": f"k{inject_id}",
            "burst_index": draw(st.none() | st.integers(0, 3)),
            "platform": "x",
            "persona": {},
            "text": "",
            "severity": draw(st.integers(1, 5)),
            "requires_response": needs_reply,
            "respond_by_ms": at_ms + draw(st.integers(0, 4)) * 1000 if needs_reply else None,
            "planned_ms": at_ms - draw(st.integers(-1, 1)) * 500,
            "manual": False,
        }
        events.append((at_ms, ("inject", inject_id), log.INJECT_PUBLISHED, data))
    for response in range(1, draw(st.integers(0, 6)) + 1):
        events.extend(draw(response_events(response, injects, len(chain))))
    for _ in range(draw(st.integers(0, 3))):
        events.append((draw(st.integers(0, 8)) * 1000, ("heat",), log.HEAT, {"heat": draw(st.integers(0, 100))}))
    if draw(st.booleans()):
        # Anywhere: what comes later is cut off; at its own sim_ms it stays last (see _merge_chains).
        events.append((draw(st.integers(0, 8)) * 1000, ("finish",), log.DRILL_FINISHED, {}))
    return chain, events


@st.composite
def response_events(draw, response, injects, chain_length):
    """One response's life: drafted, then submitted, decided (rejections loop back), maybe published."""
    at_ms = draw(st.integers(0, 8)) * 1000
    earlier = [inject_id for inject_id, published_ms in injects if published_ms < at_ms]
    if not earlier:
        return []
    reply_to = draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=3, unique=True))
    author = draw(st.sampled_from(CAST)).user_id
    chain_id = ("response", response)
    events = [
        (
            at_ms,
            chain_id,
            log.RESPONSE_DRAFTED,
            {"response": response, "author": author, "reply_to": reply_to},
        )
    ]

    def later(kind, **data):
        nonlocal at_ms
        at_ms += draw(st.integers(0, 2)) * 1000
        events.append((at_ms, chain_id, kind, {"response": response, **data}))

    step = 0
    for _ in range(draw(st.integers(0, 8))):
        if step == 0:
            later(log.RESPONSE_SUBMITTED, step=1)
            step = 1
            continue
        by = draw(st.sampled_from([None, 1, 2, 3]))
        if draw(st.sampled_from(["approve", "approve", "reject"])) == "reject":
            later(log.APPROVAL_REJECTED, step=step, by=by)
            later(log.RESPONSE_EDITED, text="edited")
            step = 0
            continue
        later(log.APPROVAL_APPROVED, step=step, by=by)
        step += 1
        if step == chain_length:
            text, platform = draw(st.sampled_from(TEXTS)), draw(st.sampled_from(["x", "email"]))
            later(log.RESPONSE_PUBLISHED, reply_to=reply_to, text=text, platform=platform)
            break
    return events


def interleave(events, rng: random.Random) -> list[LoggedEvent]:
    """Shuffle events sharing a sim_ms, keeping each chain's own order, then number them."""
    by_ms = defaultdict(list)
    for event in events:
        by_ms[event[0]].append(event)
    shuffled = []
    for sim_ms in sorted(by_ms):
        shuffled.extend(_merge_chains(by_ms[sim_ms], rng))
    return [
        LoggedEvent(seq=seq, kind=kind, sim_ms=sim_ms, data=data)
        for seq, (sim_ms, _chain, kind, data) in enumerate(shuffled, start=1)
    ]


def _merge_chains(group, rng: random.Random) -> list:
    finish = [event for event in group if event[1] == ("finish",)]  # the drill's end stays its last event
    queues = defaultdict(list)
    for event in group:
        if event not in finish:
            queues[event[1]].append(event)
    merged = []
    while queues:
        chain_id = rng.choice(sorted(queues))
        merged.append(queues[chain_id].pop(0))
        if not queues[chain_id]:
            del queues[chain_id]
    return merged + finish


@settings(max_examples=300, deadline=None)
@given(drill=drills(), seed=st.integers(0, 2**32 - 1))
def test_scorecard_does_not_depend_on_the_order_of_simultaneous_events(drill, seed):
    chain, events = drill
    scenario = make_scenario(chain, HYPO_SCORING)
    in_order = compute_scorecard(scenario=scenario, events=interleave(events, random.Random(0)), participants=CAST)
    shuffled = compute_scorecard(scenario=scenario, events=interleave(events, random.Random(seed)), participants=CAST)
    assert shuffled == in_order


@settings(max_examples=300, deadline=None)
@given(drill=drills(), weights=st.fixed_dictionaries(dict.fromkeys(DEFAULT_WEIGHTS, st.integers(0, 100))))
def test_every_score_stays_within_0_and_100(drill, weights):
    chain, events = drill
    scenario = make_scenario(chain, dataclasses.replace(HYPO_SCORING, weights=weights))
    card = compute_scorecard(scenario=scenario, events=interleave(events, random.Random(0)), participants=CAST)
    for value in [card["overall"], *card["components"].values()]:
        assert value is None or 0 <= value <= 100
    for step in card["steps"]:
        assert step["within_sla"] is None or 0 <= step["within_sla"] <= 1
    for row in card["injects"]:
        assert row["reply_s"] is None or row["reply_s"] >= 0
