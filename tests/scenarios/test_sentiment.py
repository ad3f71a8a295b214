"""An inject's `sentiment` (PROTOCOL section 1.3): read with its path, a burst's for all its items, the default
negative for posts that need a reply and for bursts, neutral otherwise, sent with every published item."""

import pytest

from scenarios.plan import item_data
from scenarios.textgen import plan_scenario, preview
from scenarios.validation import MSG_NOT_STRING, MSG_SENTIMENT, validate
from tests.scenarios.test_validation import change, issues

# injects[0] of the minimal document needs a reply, injects[1] is a burst, injects[2] a conditional news story.


@pytest.mark.parametrize(
    ("value", "message"), [("angry", MSG_SENTIMENT), ("Negative", MSG_SENTIMENT), (3, MSG_NOT_STRING)]
)
@pytest.mark.parametrize("index", [0, 1])
def test_an_unknown_sentiment_is_refused_with_its_path(doc, index, value, message):
    result = validate(change(doc, f"injects[{index}].sentiment", value))

    assert (f"injects[{index}].sentiment", message) in issues(result.errors)
    assert result.scenario is None


def test_the_default_is_negative_for_a_post_that_needs_a_reply_and_for_a_burst_neutral_otherwise(doc):
    change(doc, "injects[2].requires_response", False)
    plan = plan_scenario(validate(doc).scenario)

    sentiments = {(item.key, item_data(item, planned_ms=0, shown_ms=0)["sentiment"]) for item in plan.timed}
    conditional = item_data(plan.conditional[0].item, planned_ms=None, shown_ms=None)
    assert sentiments == {("complaint", "negative"), ("pile-on", "negative")}
    assert conditional["sentiment"] == "neutral"


def test_a_written_sentiment_is_kept_and_a_burst_sets_it_for_all_its_items(doc):
    change(doc, "injects[0].sentiment", "neutral")
    change(doc, "injects[1].sentiment", "positive")
    change(doc, "injects[2].sentiment", "negative")

    scenario = validate(doc).scenario
    body = preview(plan_scenario(scenario))

    assert [i.sentiment for i in scenario.injects] == ["neutral", "positive", "negative"]
    by_key = {}
    for entry in body["timeline"] + body["conditional"]:
        by_key.setdefault(entry["key"], set()).add(entry["sentiment"])
    assert by_key == {"complaint": {"neutral"}, "pile-on": {"positive"}, "trending": {"negative"}}
