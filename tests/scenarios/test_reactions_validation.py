"""The `reactions` section and the `backlash` condition (PROTOCOL section 1.4): what an author sees."""

import pytest

from scenarios.spec import REACTION_DEFAULTS, Condition, Reaction, Reactions
from scenarios.validation import MSG_INT_RANGE, MSG_NUMBER_RANGE, MSG_UNKNOWN_KEY, MSG_UNKNOWN_PLACEHOLDER, validate
from scenarios.validation.reactions import (
    MSG_BACKLASH_TRUE,
    MSG_BACKLASH_WITHOUT_REACTIONS,
    MSG_NO_REACTION_TEXTS,
)
from tests.scenarios.test_validation import change, issues

BACKLASH_WHEN = {"backlash": True, "delay": "3m"}

BROKEN = [
    ("reactions.backlash.count", 0, "reactions.backlash.count", MSG_INT_RANGE.format(low=1, high=200)),
    ("reactions.support.count", 201, "reactions.support.count", MSG_INT_RANGE.format(low=1, high=200)),
    ("reactions.backlash.heat", 101, "reactions.backlash.heat", MSG_NUMBER_RANGE.format(low=0, high=100)),
    ("reactions.backlash.heat", -1, "reactions.backlash.heat", MSG_NUMBER_RANGE.format(low=0, high=100)),
    ("reactions.backlash.severity", 6, "reactions.backlash.severity", MSG_INT_RANGE.format(low=1, high=5)),
    ("reactions.backlash.loud", True, "reactions.backlash.loud", MSG_UNKNOWN_KEY),
    ("reactions.praise", {}, "reactions.praise", MSG_UNKNOWN_KEY),
    ("reactions.backlash.texts", [], "reactions.backlash.texts", MSG_NO_REACTION_TEXTS),
    (
        "reactions.backlash.texts",
        ["{reply.text}"],
        "reactions.backlash.texts[0]",
        MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{reply.text}"),
    ),
]


@pytest.mark.parametrize(("where", "value", "path", "message"), BROKEN, ids=lambda v: v if isinstance(v, str) else "")
def test_it_reports_each_reaction_mistake_where_it_is(doc, where, value, path, message):
    doc["reactions"] = {"backlash": {}, "support": {}}

    result = validate(change(doc, where, value))

    assert result.scenario is None
    assert (path, message) in issues(result.errors), result.errors


def test_a_backlash_condition_needs_reactions(doc):
    doc["injects"][2]["when"] = BACKLASH_WHEN

    result = validate(doc)

    assert issues(result.errors) == {("injects[2].when", MSG_BACKLASH_WITHOUT_REACTIONS)}


def test_a_backlash_condition_must_say_true(doc):
    doc["reactions"] = {}
    doc["injects"][2]["when"] = {"backlash": "yes", "delay": "3m"}

    result = validate(doc)

    assert ("injects[2].when.backlash", MSG_BACKLASH_TRUE) in issues(result.errors)


def test_the_defaults_of_protocol_1_4(doc):
    doc["reactions"] = {"backlash": {"count": 5}}
    doc["injects"][2]["when"] = BACKLASH_WHEN

    scenario = validate(doc).scenario

    assert scenario.reactions == Reactions(
        backlash=Reaction(count=5, over_ms=120_000, severity=2, heat=15), support=REACTION_DEFAULTS["support"]
    )
    assert scenario.reactions.support == Reaction(count=3, over_ms=60_000, severity=1, heat=0)
    assert scenario.inject("trending").when == Condition(kind="backlash", wait_ms=180_000)


def test_reply_excerpt_is_known_only_inside_reaction_texts(doc):
    doc["reactions"] = {"backlash": {"texts": ['Did they say "{reply.excerpt}"?']}}
    doc["injects"][0]["text"] = "About {reply.excerpt}"

    result = validate(doc)

    assert issues(result.errors) == {("injects[0].text", MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{reply.excerpt}"))}


def test_a_scenario_without_reactions_has_none(doc):
    assert validate(doc).scenario.reactions is None
