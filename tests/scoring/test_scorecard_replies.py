"""Section 4's first public statement and `replies` (templates, edited share, rubric), from hand-built logs."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drills import log
from scenarios.spec import RubricItem, Scoring
from scoring.replies import DELETE, EQUAL, INSERT, TemplateUse, edited_share, word_diff, written_by_team
from scoring.scorecard import compute_scorecard
from tests.scoring.test_scorecard import ALICE, BOB, CAST, LogBuilder, make_scenario

APOLOGY = RubricItem(label="apology", any=("sorry",))
NEXT_STEP = RubricItem(label="next step", any=("update",))
HOLDING = TemplateUse(id=7, name="Holding statement", kind="holding", filled="We are sorry for [[what]].")


def card_of(builder: LogBuilder, *, within_ms=None, templates=None, scoring=None) -> dict:
    scoring = dataclasses.replace(scoring or Scoring(), first_statement_within_ms=within_ms)
    scenario = make_scenario(scoring=scoring)  # response_sla 600 s
    return compute_scorecard(scenario=scenario, events=builder.events, participants=CAST, templates=templates)


def published(builder: LogBuilder, response: int, at_s: float, text: str = "Sorry, on it", author=ALICE):
    builder.draft(response, at_s - 5, reply_to=[1], author=author, text=text)
    return builder.publish(response, at_s, reply_to=[1], text=text)


# ---- first_statement ------------------------------------------------------------------------------------


def test_a_first_statement_within_the_target_scores_full_marks():
    builder = LogBuilder().inject(2, 20, needs_reply=False).inject(1, 60)
    card = card_of(published(builder, 10, 660).finish(900), within_ms=600_000)

    assert card["first_statement_s"] == 600.0  # from the first post needing a reply (60 s), not the first post
    assert card["first_statement_target_s"] == 600.0
    assert card["components"]["first_statement"] == 100.0


def test_a_late_first_statement_loses_marks_linearly():
    # 450 s after the post, 150 s past a 300 s target: 1 - 150/300 = 0.5
    card = card_of(published(LogBuilder().inject(1, 60), 10, 510).finish(900), within_ms=300_000)

    assert card["first_statement_s"] == 450.0
    assert card["components"]["first_statement"] == 50.0


def test_a_statement_twice_as_late_as_the_target_scores_zero():
    card = card_of(published(LogBuilder().inject(1, 0), 10, 700).finish(900), within_ms=300_000)

    assert card["components"]["first_statement"] == 0.0


def test_the_target_defaults_to_the_response_sla():
    # 900 s after the post, 300 s past the 600 s response_sla: 1 - 300/600 = 0.5
    card = card_of(published(LogBuilder().inject(1, 0), 10, 900).finish(1000))

    assert card["first_statement_target_s"] == 600.0
    assert card["components"]["first_statement"] == 50.0


def test_no_published_reply_scores_zero_and_has_no_time():
    builder = LogBuilder().inject(1, 0).draft(10, 30, reply_to=[1]).finish(900)
    card = card_of(builder)

    assert card["first_statement_s"] is None
    assert card["components"]["first_statement"] == 0.0


def test_a_reply_after_the_drill_finished_does_not_count():
    card = card_of(published(LogBuilder().inject(1, 0).finish(100), 10, 120))

    assert card["first_statement_s"] is None
    assert card["components"]["first_statement"] == 0.0


def test_a_drill_finished_before_any_inject_has_nothing_to_measure():
    card = card_of(LogBuilder().add(log.DRILL_STARTED, 0).finish(30))

    assert card["first_statement_s"] is None
    assert card["components"]["first_statement"] is None


def test_without_posts_needing_a_reply_there_is_nothing_to_measure_even_with_replies():
    card = card_of(published(LogBuilder().inject(1, 0, needs_reply=False), 10, 60).finish(100))

    assert card["first_statement_s"] is None
    assert card["components"]["first_statement"] is None


def test_a_statement_published_before_any_post_needed_one_is_immediate():
    builder = published(LogBuilder().inject(1, 0, needs_reply=False), 10, 60).inject(2, 120)

    card = card_of(builder.finish(900))

    assert card["first_statement_s"] == 0.0
    assert card["components"]["first_statement"] == 100.0


def test_first_statement_counts_in_overall_only_when_weighted():
    builder = published(LogBuilder().inject(1, 0), 10, 900).finish(1000)  # first_statement 50, timeliness 0
    weights = {"timeliness": 1, "coverage": 0, "approval_flow": 0, "quality": 0, "first_statement": 1}

    unweighted = card_of(builder)
    weighted = card_of(builder, scoring=Scoring(weights=weights))

    assert unweighted["overall"] == 52.9  # (0 x 40 + 100 x 30 + 100 x 15) / 85: first_statement weighs 0
    assert weighted["overall"] == 25.0  # (0 x 1 + 50 x 1) / 2


# ---- replies ----------------------------------------------------------------------------------------------


def test_each_published_reply_lists_its_author_template_edited_share_and_rubric():
    builder = LogBuilder().inject(1, 0)
    published(builder, 10, 60, text="We are sorry for the delay.", author=BOB)
    published(builder, 11, 90, text="An update soon", author=ALICE)
    card = card_of(builder.finish(600), templates={10: HOLDING}, scoring=Scoring(must_include=(APOLOGY, NEXT_STEP)))

    first, second = card["replies"]
    assert first == {
        "response": 10,
        "author": BOB.user_id,
        "reply_to": [1],
        "text": "We are sorry for the delay.",
        "platform": "x",
        "published_s": 60.0,
        "template": {"id": 7, "name": "Holding statement", "kind": "holding", "filled": HOLDING.filled},
        # 2 x 20 matching characters / (26 + 27): 1 - 40/53
        "edited_share": 0.245,
        "rubric": first["rubric"],
    }
    assert (first["rubric"]["score"], first["rubric"]["present"], first["rubric"]["missing"]) == (
        0.5,
        ["apology"],
        ["next step"],
    )
    assert (second["template"], second["edited_share"]) == (None, None)
    assert (second["rubric"]["present"], second["rubric"]["missing"]) == (["next step"], ["apology"])
    assert [first["rubric"]["forbidden"], first["rubric"]["too_long"]] == [[], False]


def test_a_reply_breaking_the_rubric_shows_why():
    scoring = Scoring(must_include=(APOLOGY,), must_avoid=("no comment",), max_length={"x": 20})
    builder = published(LogBuilder().inject(1, 0), 10, 60, text="Sorry, but no comment on this for now.")

    rubric = card_of(builder.finish(600), scoring=scoring)["replies"][0]["rubric"]

    assert (rubric["score"], rubric["forbidden"], rubric["too_long"]) == (0.0, ["no comment"], True)


def test_a_deleted_template_keeps_the_name_and_kind_it_had_at_draft_time():
    gone = dataclasses.replace(HOLDING, id=None)
    builder = published(LogBuilder().inject(1, 0), 10, 60, text="We are sorry for the delay.")

    reply = card_of(builder.finish(600), templates={10: gone})["replies"][0]

    assert reply["template"] == {"id": None, "name": "Holding statement", "kind": "holding", "filled": HOLDING.filled}
    assert reply["edited_share"] == 0.245


@pytest.mark.parametrize(
    ("filled", "final", "expected"),
    [
        ("abcd", "abcd", 0.0),
        ("abcd", "abXd", 0.25),  # matches "ab" and "d": 1 - 2 x 3 / 8
        ("abc", "abcdef", 0.333),  # matches "abc": 1 - 6/9
        ("Hello", "", 1.0),
        ("שלום עולם", "שלום לכולם", 0.158),  # matches "שלום " and "ולם": 1 - 16/19
        ("We are sorry for [[what happened]].", "We are sorry for the delay.", 0.355),  # 1 - 40/62
    ],
)
def test_edited_share_is_one_minus_the_sequence_matcher_ratio(filled, final, expected):
    assert edited_share(filled, final) == expected


def test_written_by_team_counts_the_characters_not_kept_from_templates():
    responses = [{"response": 1, "text": "abXd"}, {"response": 2, "text": "xyz"}]
    templates = {1: dataclasses.replace(HOLDING, filled="abcd")}

    # reply 1 keeps "ab" and "d" (1 of 4 written), reply 2 has no template (3 of 3): 4 / 7
    assert written_by_team(responses, templates) == 0.571
    assert written_by_team([], templates) is None


def test_the_word_diff_marks_the_words_the_team_changed():
    pieces = word_diff("We are sorry for [[what]].", "We are sorry for the delay.")

    assert pieces == [(EQUAL, "We are sorry for "), (DELETE, "[[what]]."), (INSERT, "the delay.")]


def test_a_rewritten_phrase_reads_as_one_change_not_word_by_word():
    pieces = word_diff("Sorry: [[what happened]]. More soon.", "Sorry: card payments fail. More soon.")

    assert pieces == [
        (EQUAL, "Sorry: "),
        (DELETE, "[[what happened]]."),
        (INSERT, "card payments fail."),
        (EQUAL, " More soon."),
    ]


def test_the_word_diff_keeps_hebrew_words_whole():
    pieces = word_diff("אנחנו מצטערים על [[מה]].", "אנחנו מצטערים מאוד על התקלה.")

    assert pieces == [
        (EQUAL, "אנחנו מצטערים "),
        (INSERT, "מאוד "),
        (EQUAL, "על "),
        (DELETE, "[[מה]]."),
        (INSERT, "התקלה."),
    ]


def _joined(pieces) -> tuple[str, str]:
    before = "".join(text for op, text in pieces if op != INSERT)
    after = "".join(text for op, text in pieces if op != DELETE)
    return before, after


texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


@given(before=texts, after=texts)
def test_the_word_diff_rebuilds_both_texts(before, after):
    assert _joined(word_diff(before, after)) == (before, after)


@given(filled=texts, final=texts)
def test_edited_share_and_written_by_team_stay_between_0_and_1(filled, final):
    use = dataclasses.replace(HOLDING, filled=filled)

    assert 0 <= edited_share(filled, final) <= 1
    written = written_by_team([{"response": 1, "text": final}], {1: use})
    assert written is None or 0 <= written <= 1
