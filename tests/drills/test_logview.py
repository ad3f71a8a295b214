"""The engine's view of the log (drills/logview.py): folded in pieces it is the view of the whole log, and an engine
that keeps one view from step to step, as the service does, writes the same log as one given the whole log."""

from __future__ import annotations

import dataclasses
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from drills.engine import decide
from drills.logview import LogView
from tests.drills import test_engine
from tests.drills.test_engine import MINUTE, append, drive, make_scenario
from tests.drills.test_engine_reactions import GOOD, SCORING, TONE_DEAF, published_reply
from tests.drills.test_engine_reactions import scenario as reacting_scenario


class ViewKeeper:
    """`test_engine.step` as the service steps: one view per log, extended with what was appended since (by the
    engine or by anyone else, like a reply), never the whole log again."""

    def __init__(self) -> None:
        self.views: dict[int, tuple[int, LogView]] = {}

    def step(self, scenario, plan, log, now_ms):
        length, view = self.views.get(id(log), (0, LogView()))
        view = view.copy().folded(log[length:])
        before = view.copy()
        decision = decide(scenario=scenario, plan=plan, log=view, now_ms=now_ms)
        assert view == before, "decide never changes the view it is given"
        self.views[id(log)] = (len(log), view)
        append(log, decision.events, now_ms)
        return decision


def kept_views():
    return mock.patch.object(test_engine, "step", ViewKeeper().step)


@settings(max_examples=100, deadline=None)
@given(
    plan=test_engine.plans(),
    replies=test_engine.replies,
    heat=test_engine.heats,
    cut=st.integers(0, 400),
)
def test_a_log_folded_in_two_pieces_gives_the_view_of_the_whole_log(plan, replies, heat, cut):
    log = drive(make_scenario(duration_ms=25 * MINUTE, heat=heat), plan, replies=replies)

    assert LogView.of(log[:cut]).copy().folded(log[cut:]) == LogView.of(log)


@settings(max_examples=100, deadline=None)
@given(plan=test_engine.plans(), wakes=test_engine.wake_times, replies=test_engine.replies, heat=test_engine.heats)
def test_an_engine_keeping_its_view_between_steps_writes_the_same_log(plan, wakes, replies, heat):
    scenario = make_scenario(duration_ms=25 * MINUTE, heat=heat)
    whole = drive(scenario, plan, wakes=wakes, replies=replies)
    with kept_views():
        assert drive(scenario, plan, wakes=wakes, replies=replies) == whole


@settings(max_examples=30, deadline=None)
@given(tone_deaf=st.booleans(), reply_ms=st.integers(0, 20 * MINUTE), heat=test_engine.heats)
def test_reactions_played_from_a_kept_view_are_the_same(tone_deaf, reply_ms, heat):
    scenario = dataclasses.replace(reacting_scenario(heat), scoring=SCORING)
    log = test_engine.started()
    published_reply(log, reply_ms, 7, TONE_DEAF if tone_deaf else GOOD)
    whole = drive(scenario, test_engine.make_plan(), log=list(log))
    with kept_views():
        assert drive(scenario, test_engine.make_plan(), log=list(log)) == whole
