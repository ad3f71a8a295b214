"""The reply rubric in several languages, and the rule a bot names when it rejects."""

from __future__ import annotations

import pytest

from scenarios.rubric import (
    FORBIDDEN_MESSAGE,
    MISSING_MESSAGE,
    TOO_LONG_MESSAGE,
    RubricResult,
    check_reply,
    rule_broken,
)
from scenarios.spec import RubricItem, Scoring

ENGLISH = Scoring(
    must_include=(
        RubricItem(label="apology", any=("sorry", "apolog")),
        RubricItem(label="next step", any=("update", "working on")),
    ),
    must_avoid=("no comment", "not our fault"),
    max_length={"x": 280},
)
HEBREW = Scoring(
    must_include=(
        RubricItem(label="התנצלות", any=("מצטערים", "מתנצלים", "סליחה")),
        RubricItem(label="עדכון", any=("נעדכן",)),
    ),
    must_avoid=("אין תגובה",),
    max_length={"x": 20},
)
FRENCH = Scoring(
    must_include=(
        RubricItem(label="excuses", any=("désolé", "excus")),
        RubricItem(label="suite", any=("straße",)),
    ),
    must_avoid=("sans commentaire",),
)


@pytest.mark.parametrize(
    ("text", "scoring", "score", "present", "missing", "forbidden"),
    [
        ("SORRY, we are WORKING ON it.", ENGLISH, 1.0, ("apology", "next step"), (), ()),
        ("Our apologies.", ENGLISH, 0.5, ("apology",), ("next step",), ()),
        ("Thanks for waiting.", ENGLISH, 0.0, (), ("apology", "next step"), ()),
        ("Sorry, update soon. No Comment.", ENGLISH, 0.0, ("apology", "next step"), (), ("no comment",)),
        (
            "Not our fault. No comment.",
            ENGLISH,
            0.0,
            (),
            ("apology", "next step"),
            ("no comment", "not our fault"),
        ),
        ("אנחנו מתנצלים, נעדכן", HEBREW, 1.0, ("התנצלות", "עדכון"), (), ()),
        ("סליחה", HEBREW, 0.5, ("התנצלות",), ("עדכון",), ()),
        ("סליחה, אין תגובה", HEBREW, 0.0, ("התנצלות",), ("עדכון",), ("אין תגובה",)),
        ("NOUS SOMMES DÉSOLÉS", FRENCH, 0.5, ("excuses",), ("suite",), ()),
        ("Nous sommes de\u0301sole\u0301s", FRENCH, 0.5, ("excuses",), ("suite",), ()),  # decomposed accents
        ("Désolés, voir STRASSE 4", FRENCH, 1.0, ("excuses", "suite"), (), ()),  # casefold: ß == ss
        ("Excusez-nous. SANS COMMENTAIRE", FRENCH, 0.0, ("excuses",), ("suite",), ("sans commentaire",)),
    ],
)
def test_it_scores_the_share_of_required_items_unless_a_phrase_is_forbidden(
    text, scoring, score, present, missing, forbidden
):
    result = check_reply(text, "email", scoring)
    assert (result.score, result.present, result.missing, result.forbidden) == (
        score,
        present,
        missing,
        forbidden,
    )


@pytest.mark.parametrize(
    ("text", "platform", "too_long", "score"),
    [
        ("sorry, update " + "a" * 266, "x", False, 1.0),  # exactly 280
        ("sorry, update " + "a" * 267, "x", True, 0.0),  # 281
        ("sorry, update " + "a" * 267, "facebook", False, 1.0),  # no limit on facebook
    ],
)
def test_it_scores_zero_over_the_platform_length(text, platform, too_long, score):
    result = check_reply(text, platform, ENGLISH)
    assert (result.too_long, result.score) == (too_long, score)
    assert result.max_length == (280 if platform == "x" else None)


def test_it_counts_hebrew_length_in_characters():
    result = check_reply("סליחה, נעדכן בקרוב מאוד", "x", HEBREW)  # 23 characters > 20
    assert (result.length, result.too_long, result.score) == (23, True, 0.0)


def test_it_counts_decomposed_accents_as_one_character():
    result = check_reply("de\u0301sole\u0301", "x", Scoring(max_length={"x": 6}))
    assert (result.length, result.too_long) == (6, False)


def test_without_required_items_a_clean_reply_scores_one():
    assert check_reply("Hello", "x", Scoring()).score == 1.0
    assert check_reply("No comment", "x", Scoring(must_avoid=("no comment",))).score == 0.0


def test_it_ignores_empty_phrases_that_would_match_every_text():
    scoring = Scoring(must_include=(RubricItem(label="apology", any=("", "sorry")),), must_avoid=("", "  "))
    result = check_reply("Hello", "x", scoring)
    assert (result.score, result.missing, result.forbidden) == (0.0, ("apology",), ())


def test_as_dict_is_plain_json_data():
    assert check_reply("Sorry", "x", ENGLISH).as_dict() == {
        "score": 0.5,
        "present": ["apology"],
        "missing": ["next step"],
        "forbidden": [],
        "length": 5,
        "max_length": 280,
        "too_long": False,
        "platform": "x",
    }


@pytest.mark.parametrize(
    ("text", "platform", "message"),
    [
        ("Sorry, update soon. No comment.", "x", FORBIDDEN_MESSAGE.format(phrase="no comment")),
        (
            "sorry, update " + "a" * 287,
            "x",
            TOO_LONG_MESSAGE.format(platform="x", length=301, max_length=280),
        ),
        ("Sorry.", "x", MISSING_MESSAGE.format(labels="next step")),
        ("Thanks.", "x", MISSING_MESSAGE.format(labels="apology, next step")),
        ("Sorry, update soon.", "x", None),
    ],
)
def test_rule_broken_names_the_first_rule_a_bot_would_reject_for(text, platform, message):
    assert rule_broken(check_reply(text, platform, ENGLISH)) == message


def test_rule_broken_messages_read_as_documented():
    too_long = RubricResult(
        score=0.0,
        present=(),
        missing=(),
        forbidden=(),
        length=301,
        max_length=280,
        too_long=True,
        platform="x",
    )
    assert rule_broken(too_long) == "too long for x: 301 > 280 characters"
    forbidden = check_reply("No comment", "x", ENGLISH)
    assert rule_broken(forbidden) == 'contains forbidden phrase "no comment"'
    assert rule_broken(check_reply("Sorry", "x", ENGLISH)) == "missing: next step"
