"""Section 4's `reactions`: the published replies that set off a backlash and those that got support."""

import dataclasses

from drills import log
from scenarios.spec import Reactions, RubricItem, Scoring
from scoring.scorecard import compute_scorecard
from tests.scoring.test_scorecard import CAST, LogBuilder, make_scenario

SCORING = Scoring(must_include=(RubricItem("apology", ("sorry",)),), must_avoid=("not our fault",))


def replies(*texts):
    builder = LogBuilder().add(log.DRILL_STARTED, 0)
    for index, text in enumerate(texts):
        builder.add(log.RESPONSE_PUBLISHED, 60 + index, response=index + 1, reply_to=[], text=text, platform="x")
    return builder.add(log.DRILL_FINISHED, 600).events


def test_it_counts_replies_by_the_reaction_they_set_off():
    scenario = dataclasses.replace(make_scenario(scoring=SCORING), reactions=Reactions())
    events = replies("Not our fault, sorry.", "We are on it.", "Sorry, we are on it.")

    card = compute_scorecard(scenario=scenario, events=events, participants=CAST)

    assert card["reactions"] == {"backlash": 2, "support": 1}


def test_without_reactions_no_reply_sets_anything_off():
    card = compute_scorecard(
        scenario=make_scenario(scoring=SCORING), events=replies("We are on it."), participants=CAST
    )

    assert card["reactions"] == {"backlash": 0, "support": 0}
