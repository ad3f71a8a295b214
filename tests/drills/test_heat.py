"""Heat (PROTOCOL 1.1) from hand-written logs, checked against values worked out by hand.

Defaults: start 10, +3 per severity on publication, +2 per severity per overdue minute, -8 per severity on
the first reply, -1 per minute of decay.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drills.heat import HeatCurve, heat_at, next_crossing, shown_at, whole
from drills.log import DRILL_STARTED, HEAT, INJECT_PUBLISHED, RESPONSE_PUBLISHED, LoggedEvent
from scenarios.spec import Heat

DEFAULT = Heat()
MINUTE = 60_000


def inject(sim_ms, inject_id, severity, respond_by_ms=None, manual=False):
    data = {
        "id": inject_id,
        "key": f"inject-{inject_id}",
        "severity": severity,
        "requires_response": respond_by_ms is not None,
        "respond_by_ms": respond_by_ms,
        "manual": manual,
    }
    return LoggedEvent(0, INJECT_PUBLISHED, sim_ms, data)


def reply(sim_ms, *inject_ids):
    return LoggedEvent(0, RESPONSE_PUBLISHED, sim_ms, {"reply_to": list(inject_ids)})


def numbered(*events):
    return [LoggedEvent(seq, e.kind, e.sim_ms, e.data) for seq, e in enumerate(events, start=1)]


STARTED = LoggedEvent(0, DRILL_STARTED, 0, {})
OVERDUE_AFTER_1M = inject(0, 1, severity=2, respond_by_ms=MINUTE)

CASES = [
    # (what the room sees, heat settings, log, t_ms, expected heat)
    ("start", DEFAULT, [STARTED], 0, 10),
    ("decay per minute", DEFAULT, [STARTED], MINUTE, 9),
    ("decay is linear", DEFAULT, [STARTED], 90_000, 8.5),
    ("decay stops at 0", DEFAULT, [STARTED], 15 * MINUTE, 0),
    ("an inject adds severity x 3", DEFAULT, [inject(30_000, 1, 3)], 30_000, 18.5),
    ("not before it is published", DEFAULT, [inject(30_000, 1, 3)], 29_400, 9.51),
    ("then decays", DEFAULT, [inject(30_000, 1, 3)], 90_000, 17.5),
    ("a manual inject adds too", DEFAULT, [inject(0, 1, 2, manual=True)], 0, 16),
    ("burst items add each", DEFAULT, [inject(0, 1, 1), inject(0, 2, 1), inject(0, 3, 1)], 0, 19),
    ("no accrual until the deadline", DEFAULT, [OVERDUE_AFTER_1M], MINUTE, 15),
    ("overdue accrues 2 x severity a minute", DEFAULT, [OVERDUE_AFTER_1M], 2 * MINUTE, 18),
    ("overdue keeps accruing", DEFAULT, [OVERDUE_AFTER_1M], 3 * MINUTE, 21),
    ("a late reply cools 8 x severity", DEFAULT, [OVERDUE_AFTER_1M, reply(2 * MINUTE, 1)], 2 * MINUTE, 2),
    ("and stops the accrual", DEFAULT, [OVERDUE_AFTER_1M, reply(2 * MINUTE, 1)], 3 * MINUTE, 1),
    ("a reply in time prevents accrual", DEFAULT, [OVERDUE_AFTER_1M, reply(30_000, 1)], 3 * MINUTE, 0),
    ("only the first reply cools", DEFAULT, [inject(0, 1, 1), reply(0, 1), reply(0, 1)], 0, 5),
    (
        "one reply cools each inject it answers",
        Heat(start=50),
        [inject(0, 1, 2), inject(0, 2, 3), reply(0, 1, 2)],
        0,
        25,
    ),
    ("a reply to an unknown inject does nothing", DEFAULT, [inject(0, 1, 1), reply(0, 99)], 0, 13),
    ("clamped at 100", Heat(start=95), [inject(0, 1, 5)], 0, 100),
    ("and falls from 100", Heat(start=95), [inject(0, 1, 5)], MINUTE, 99),
    ("jumps clamp one by one", Heat(start=95), [inject(0, 1, 5), reply(0, 1)], 0, 60),
    (
        "accrual stops at 100",
        Heat(start=99, decay_per_min=0),
        [inject(0, 1, 5, respond_by_ms=0)],
        MINUTE,
        100,
    ),
    ("a start above 100 is clamped", Heat(start=150, decay_per_min=0), [STARTED], 0, 100),
    ("heat events do not count", DEFAULT, [LoggedEvent(0, HEAT, 0, {"heat": 90})], 0, 10),
]


@pytest.mark.parametrize(("_", "heat", "log", "t_ms", "expected"), CASES, ids=[case[0] for case in CASES])
def test_heat_at(_, heat, log, t_ms, expected):
    assert heat_at(heat, numbered(*log), t_ms) == pytest.approx(expected)


@pytest.mark.parametrize(("h", "shown"), [(9.49, 9), (9.5, 10), (10.5, 11), (0, 0), (0.49, 0), (100, 100)])
def test_whole_rounds_halves_up(h, shown):
    assert whole(h) == shown


def test_the_room_shows_the_rounded_value():
    log = numbered(STARTED)
    assert shown_at(DEFAULT, log, 30_000) == 10  # exactly 9.5
    assert shown_at(DEFAULT, log, 30_001) == 9


CROSSINGS = [
    # (what the room sees, log, from_ms, level, upward, inclusive, expected t_ms)
    ("decay goes below 9.5 just after 30 s", [STARTED], 0, 9.5, False, False, 30_001),
    ("at 9.5 exactly when inclusive", [STARTED], 0, 9.5, False, True, 30_000),
    ("already below at from_ms", [STARTED], 40_000, 9.5, False, False, 40_000),
    ("a level heat never reaches", [STARTED], 0, 10.5, True, False, None),
    ("never below 0", [STARTED], 0, -0.5, False, False, None),
    ("accrual crosses above 20", [inject(0, 1, 3, respond_by_ms=MINUTE)], 0, 20, True, False, 84_001),
    ("the jump itself", [inject(MINUTE, 1, 5)], 0, 20, True, False, MINUTE),
    ("never above 100", [inject(0, 1, 5, respond_by_ms=0)], 0, 100, True, False, None),
    ("reaches 100 when inclusive", [inject(0, 1, 5, respond_by_ms=0)], 0, 100, True, True, 500_000),
    (
        "a reply in time stops it",
        [inject(0, 1, 3, respond_by_ms=MINUTE), reply(MINUTE, 1)],
        0,
        20,
        True,
        False,
        None,
    ),
]


@pytest.mark.parametrize(
    ("_", "log", "from_ms", "level", "upward", "inclusive", "expected"),
    CROSSINGS,
    ids=[case[0] for case in CROSSINGS],
)
def test_next_crossing(_, log, from_ms, level, upward, inclusive, expected):
    assert next_crossing(DEFAULT, numbered(*log), from_ms, level, upward, inclusive=inclusive) == expected


events = st.one_of(
    st.builds(
        inject,
        sim_ms=st.integers(0, 20 * MINUTE),
        inject_id=st.integers(1, 6),
        severity=st.integers(1, 5),
        respond_by_ms=st.none() | st.integers(0, 30 * MINUTE),
    ),
    st.builds(reply, st.integers(0, 20 * MINUTE), st.integers(1, 6)),
)


@settings(max_examples=200, deadline=None)
@given(
    log=st.lists(events, max_size=12),
    from_ms=st.integers(0, 40 * MINUTE),
    level=st.integers(0, 100).map(lambda n: n + 0.5) | st.integers(0, 100).map(float),
    upward=st.booleans(),
    inclusive=st.booleans(),
)
def test_the_predicted_crossing_is_the_first_moment_heat_is_past_the_level(log, from_ms, level, upward, inclusive):
    log = numbered(*sorted(log, key=lambda event: event.sim_ms))

    def past(t_ms):
        h = heat_at(DEFAULT, log, t_ms)
        if inclusive and h == level:
            return True
        return h > level if upward else h < level

    t_ms = next_crossing(DEFAULT, log, from_ms, level, upward, inclusive=inclusive)
    if t_ms is None:
        assert not past(from_ms)
        assert not past(40 * MINUTE + from_ms)
        return
    assert t_ms >= from_ms
    assert past(t_ms)
    if t_ms > from_ms:
        assert not past(t_ms - 1)
    assert 0 <= heat_at(DEFAULT, log, t_ms) <= 100


heats = st.sampled_from([DEFAULT, Heat(start=95, per_severity=7), Heat(start=0, decay_per_min=0.3, overdue_per_min=4)])


@settings(max_examples=200, deadline=None)
@given(
    heat=heats,
    log=st.lists(events, max_size=12),
    added=st.lists(st.builds(inject, st.integers(0, 25 * MINUTE), st.integers(7, 9), st.integers(1, 5)), max_size=4),
    deadline_ms=st.none() | st.integers(0, 10 * MINUTE),
    jump=st.sampled_from([0, 15, 2.5]),
)
def test_a_curve_extended_by_injects_is_the_curve_built_from_the_whole_log(heat, log, added, deadline_ms, jump):
    # The engine extends its curve by each inject it publishes, at that moment or later, never building it again.
    answer = LoggedEvent(
        0, RESPONSE_PUBLISHED, max((e.sim_ms for e in log), default=0), {"response": 50, "reply_to": [1]}
    )
    log = numbered(*sorted(log, key=lambda event: event.sim_ms), answer)
    jumps = {50: jump}  # the reply's reaction, if any
    curve = HeatCurve(heat, log, jumps)
    for event in sorted(added, key=lambda event: event.sim_ms):
        late = event.sim_ms + log[-1].sim_ms
        data = {**event.data, "requires_response": deadline_ms is not None}
        data["respond_by_ms"] = None if deadline_ms is None else late + deadline_ms
        log = [*log, LoggedEvent(len(log) + 1, INJECT_PUBLISHED, late, data)]
        curve = curve.with_inject(log[-1])

    built = HeatCurve(heat, log, jumps)
    for t_ms in range(0, 60 * MINUTE, 20_000):
        assert curve.at(t_ms) == built.at(t_ms)
    for level in (0.5, 10.5, 49.5, 99.5, 100.0):
        for upward in (True, False):
            assert curve.crossing(0, level, upward) == built.crossing(0, level, upward)


def test_a_curve_extended_again_by_the_same_inject_is_the_same_but_not_by_another():
    # An engine step extends its drill's curve by what it publishes (no id yet); once that commits, the log's view
    # extends the same curve by the stored event. Only what moves heat may make two injects the same.
    curve = HeatCurve(DEFAULT, numbered(STARTED, OVERDUE_AFTER_1M))
    published = numbered(STARTED, OVERDUE_AFTER_1M, inject(30_000, None, 4, respond_by_ms=2 * MINUTE))[-1]
    stored = LoggedEvent(published.seq, INJECT_PUBLISHED, published.sim_ms, {**published.data, "id": 7})
    assert curve.with_inject(stored) is curve.with_inject(published)
    others = [
        inject(30_000, 7, 5, respond_by_ms=2 * MINUTE),
        inject(30_000, 7, 4, respond_by_ms=3 * MINUTE),
        inject(30_000, 7, 4),
        inject(40_000, 7, 4, respond_by_ms=2 * MINUTE),
    ]
    for other in others:
        built = HeatCurve(DEFAULT, numbered(STARTED, OVERDUE_AFTER_1M, other))
        extended = curve.with_inject(numbered(STARTED, OVERDUE_AFTER_1M, other)[-1])
        assert [extended.at(t_ms) for t_ms in range(0, 6 * MINUTE, 5_000)] == [
            built.at(t_ms) for t_ms in range(0, 6 * MINUTE, 5_000)
        ]
