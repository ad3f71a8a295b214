"""Planning the crowd's reaction to a published reply (PROTOCOL section 1.4), without a database."""

import dataclasses

import pytest

from scenarios.reaction_texts import BUILT_IN_TEXTS
from scenarios.reactions import EXCERPT_CHARS, plan_reaction, reaction_kind
from scenarios.rubric import check_reply, rule_broken
from scenarios.spec import BACKLASH, SUPPORT, Reaction, Reactions, RubricItem, Scoring
from scenarios.textgen import plan_scenario, preview
from scenarios.validation import validate

SCORING = Scoring(
    must_include=(RubricItem("apology", ("sorry",)),), must_avoid=("not our fault",), max_length={"x": 80}
)
REPLY = "Sorry, it is not our fault: the payment provider failed and we are working on it right now."


@pytest.fixture
def scenario(doc):
    return dataclasses.replace(validate(doc).scenario, scoring=SCORING, reactions=Reactions())


@pytest.mark.parametrize(
    ("text", "platform", "kind"),
    [
        ("Sorry, we are on it.", "x", SUPPORT),
        ("Not our fault, sorry.", "x", BACKLASH),  # a must_avoid phrase
        ("We are on it.", "x", BACKLASH),  # no must_include item
        ("Sorry " + "x" * 80, "x", BACKLASH),  # over x's max_length
        ("Sorry " + "x" * 80, "facebook", SUPPORT),  # no limit there
    ],
)
def test_the_bots_rubric_decides_backlash_or_support(scenario, text, platform, kind):
    assert reaction_kind(scenario, text, platform) == kind
    assert (rule_broken(check_reply(text, platform, SCORING)) is not None) == (kind == BACKLASH)


def test_without_reactions_nobody_reacts(scenario):
    assert reaction_kind(dataclasses.replace(scenario, reactions=None), "We are on it.", "x") is None


def plan(scenario, kind=BACKLASH, response_id=7, published_ms=60_000):
    return plan_reaction(
        scenario, kind=kind, response_id=response_id, text=REPLY, platform="x", published_ms=published_ms
    )


def test_the_backlash_spreads_like_a_burst_from_the_reply(scenario):
    items = plan(scenario)

    assert [item.burst_index for item in items] == list(range(12))
    assert {item.key for item in items} == {"reaction-7"}
    for index, item in enumerate(items):
        # Item i lands within its own slice of `over` (2m / 12 = 10 s) after the publication.
        assert 60_000 + 10_000 * index <= item.planned_ms < 60_000 + 10_000 * (index + 1)
    assert {(item.severity, item.requires_response, item.reaction, item.in_reply_to) for item in items} == {
        (2, False, BACKLASH, 7)
    }
    assert {item.platform for item in items} == {"x"}


def test_same_seed_and_reply_same_comments_another_reply_other_comments(scenario):
    assert plan(scenario) == plan(scenario)
    assert [item.text for item in plan(scenario)] != [item.text for item in plan(scenario, response_id=8)]
    reseeded = dataclasses.replace(scenario, seed=scenario.seed + 100)
    assert [item.persona for item in plan(scenario)] != [item.persona for item in plan(reseeded)]


@pytest.mark.parametrize("language", ["en", "he", "fr"])
def test_twelve_built_in_comments_do_not_repeat_a_sentence(scenario, language):
    items = plan(dataclasses.replace(scenario, language=language))

    assert len({item.text for item in items}) == 12
    assert len(BUILT_IN_TEXTS[language][BACKLASH]) >= 12
    assert len(BUILT_IN_TEXTS[language][SUPPORT]) >= 6


def test_comments_quote_the_reply_excerpt(scenario):
    quoting = Reaction(count=2, over_ms=60_000, severity=1, heat=0, texts=('Did {brand.name} say "{reply.excerpt}"?',))
    scenario = dataclasses.replace(scenario, reactions=Reactions(backlash=quoting))

    items = plan(scenario)

    assert {item.text for item in items} == {f'Did ShopLine say "{REPLY[:EXCERPT_CHARS]}"?'}


def test_support_uses_its_own_defaults(scenario):
    items = plan(scenario, kind=SUPPORT)

    assert len(items) == 3
    assert all(60_000 <= item.planned_ms < 120_000 for item in items)
    assert {item.text for item in items} <= {
        text.replace("{brand.handle}", "@shopline").replace("{brand.name}", "ShopLine")
        for text in BUILT_IN_TEXTS["en"][SUPPORT]
    }


def test_the_preview_shows_a_backlash_condition_with_its_delay(doc):
    doc["reactions"] = {}
    doc["injects"][2]["when"] = {"backlash": True, "delay": "4m"}

    conditional = preview(plan_scenario(validate(doc).scenario))["conditional"]

    assert [entry["when"] for entry in conditional] == [{"backlash": True, "delay_ms": 240_000}]
