"""The detection component and the flag fields of the scorecard, from hand-built logs (PROTOCOL section 4)."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from drills import log
from scenarios.spec import Inject, Scoring
from tests.scoring.test_scorecard import ALICE, BOB, CAROL, LogBuilder, make_scenario, score


def _inject(number, *, signal, within_s=None, severity=3):
    return Inject(
        key=f"inject-{number}",
        platform="x",
        severity=severity,
        respond_within_ms=None if within_s is None else within_s * 1000,
        at_ms=0,
        persona="dana",
        text="Card declined again",
        signal=signal,
    )


# inject-1: a signal due within 120 s; inject-2: a signal with the scenario's 600 s response_sla; inject-3: a signal
# due within 60 s; inject-4: noise.
INJECTS = (
    _inject(1, signal=True, within_s=120, severity=3),
    _inject(2, signal=True, severity=1),
    _inject(3, signal=True, within_s=60, severity=2),
    _inject(4, signal=False),
)


def _scenario(**scoring):
    return dataclasses.replace(make_scenario(scoring=Scoring(**scoring) if scoring else None), injects=INJECTS)


def _flag(builder, inject, at_s, by, note=None):
    return builder.add(log.INJECT_FLAGGED, at_s, **log.inject_flagged_data(inject_id=inject, by=by.user_id, note=note))


def _drill(*, finished=True):
    builder = LogBuilder()
    for number, at_s, severity in ((1, 10, 3), (2, 20, 1), (3, 30, 2), (4, 40, 3)):
        builder.inject(number, at_s, severity=severity, needs_reply=False)
    _flag(builder, 1, 70, ALICE, "Third complaint about the same card")  # 60 s: within 120 s
    _flag(builder, 1, 80, BOB)  # a second flag: the first one counts
    _flag(builder, 4, 90, ALICE)  # noise: a false alarm
    _flag(builder, 2, 920, CAROL)  # 900 s: 300 s past 600 s, 1 - 300/600 = 0.5
    # inject-3 is never flagged: 0
    return builder.finish(1000) if finished else builder


def test_detection_is_the_severity_weighted_promptness_of_the_flags():
    card = score(_drill(), _scenario())
    assert card["components"]["detection"] == 58.3  # (3 x 1 + 1 x 0.5 + 2 x 0) / 6 x 100


def test_each_inject_row_says_when_it_was_first_flagged_how_often_and_whether_it_was_a_signal():
    rows = {row["id"]: row for row in score(_drill(), _scenario())["injects"]}
    assert [(rows[n]["flag_s"], rows[n]["flags"], rows[n]["signal"]) for n in (1, 2, 3, 4)] == [
        (60.0, 2, True),
        (900.0, 1, True),
        (None, 0, True),
        (50.0, 1, False),
    ]


def test_each_participant_row_counts_flags_and_false_alarms():
    rows = score(_drill(), _scenario())["participants"]
    assert [(row["user"], row["flags"], row["false_flags"]) for row in rows] == [
        ("alice", 2, 1),
        ("bob", 1, 0),
        ("carol", 1, 0),
    ]


def test_signal_stays_unknown_until_the_drill_is_finished():
    card = score(_drill(finished=False), _scenario())
    assert [row["signal"] for row in card["injects"]] == [None, None, None, None]
    assert card["components"]["detection"] == 58.3  # the instructor's live view measures it already


def test_a_flag_past_twice_the_deadline_scores_zero():
    builder = LogBuilder().inject(3, 0, severity=2, needs_reply=False)
    card = score(_flag(builder, 3, 120, ALICE).finish(200), _scenario())  # 120 s for a 60 s deadline: 1 - 60/60
    assert card["components"]["detection"] == 0.0
    builder = LogBuilder().inject(3, 0, severity=2, needs_reply=False)
    card = score(_flag(builder, 3, 75, ALICE).finish(200), _scenario())  # 15 s late: 1 - 15/60 = 0.75
    assert card["components"]["detection"] == 75.0


def test_detection_is_null_without_a_published_signal_and_flags_after_the_end_do_not_count():
    builder = LogBuilder().inject(4, 0, needs_reply=False)
    card = score(_flag(builder, 4, 5, ALICE).finish(60), _scenario())
    assert card["components"]["detection"] is None
    assert card["participants"][0]["false_flags"] == 1
    late = _flag(LogBuilder().inject(1, 0, needs_reply=False).finish(60), 1, 61, ALICE)
    card = score(late, _scenario())
    assert card["components"]["detection"] == 0.0 and card["injects"][0]["flags"] == 0


def test_detection_counts_in_overall_only_when_the_scenario_weights_it():
    zero = {"timeliness": 0.0, "coverage": 0.0, "approval_flow": 0.0, "quality": 0.0}
    assert score(_drill(), _scenario())["overall"] is None  # nothing else measured, detection weighs 0
    assert score(_drill(), _scenario(weights={**zero, "detection": 10.0}))["overall"] == 58.3


@st.composite
def flagged_logs(draw):
    builder = LogBuilder()
    published = draw(st.lists(st.sampled_from([1, 2, 3, 4]), unique=True))
    for number in published:
        builder.inject(number, draw(st.integers(0, 3600)), severity=draw(st.integers(1, 5)), needs_reply=False)
    for _ in range(draw(st.integers(0, 8))):
        inject = draw(st.sampled_from(published or [1]))
        _flag(builder, inject, draw(st.integers(0, 7200)), draw(st.sampled_from([ALICE, BOB, CAROL])))
    if draw(st.booleans()):
        builder.finish(draw(st.integers(0, 7200)))
    return builder


@settings(max_examples=300, deadline=None)
@given(builder=flagged_logs())
def test_detection_stays_within_0_and_100(builder):
    card = score(builder, _scenario(weights={"detection": 1.0}))
    assert card["components"]["detection"] is None or 0 <= card["components"]["detection"] <= 100
    for row in card["participants"]:
        assert 0 <= row["false_flags"] <= row["flags"]
