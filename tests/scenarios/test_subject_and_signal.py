"""An e-mail's `subject` and an inject's `signal` (PROTOCOL section 1.3): read with their paths, kept in the spec
and the plan, the subject shown on e-mails, the signal never in what participants see."""

import pytest

from scenarios.plan import SUBJECT_WORDS, default_subject, item_data
from scenarios.textgen import plan_scenario, preview
from scenarios.validation import (
    MAX_SUBJECT_CHARS,
    MSG_BAD_CHARACTERS,
    MSG_BLANK,
    MSG_BURST_SIGNAL,
    MSG_NOT_BOOL,
    MSG_NOT_STRING,
    MSG_SUBJECT_NOT_EMAIL,
    MSG_SUBJECT_TOO_LONG,
    MSG_UNKNOWN_PLACEHOLDER,
    validate,
)
from tests.scenarios.test_validation import change, issues

# injects[0] of the minimal document is an X post, injects[1] a burst, injects[2] a conditional news story.
EMAIL_SUBJECT = "Request for comment: {brand.name} outage"


@pytest.fixture
def email_doc(doc):
    """The minimal document whose first inject is a reporter's e-mail with a subject."""
    doc["injects"][0] |= {"platform": "email", "persona": "reporter", "subject": EMAIL_SUBJECT}
    return doc


BROKEN = [
    ("injects[0].subject", "x" * (MAX_SUBJECT_CHARS + 1), "injects[0].subject", MSG_SUBJECT_TOO_LONG),
    ("injects[0].subject", "  ", "injects[0].subject", MSG_BLANK),
    ("injects[0].subject", "two\nlines", "injects[0].subject", MSG_BAD_CHARACTERS),
    ("injects[0].subject", 42, "injects[0].subject", MSG_NOT_STRING),
    ("injects[0].subject", "{name}", "injects[0].subject", MSG_UNKNOWN_PLACEHOLDER.format(placeholder="{name}")),
    ("injects[0].platform", "x", "injects[0].subject", MSG_SUBJECT_NOT_EMAIL),
    ("injects[2].subject", "Trending", "injects[2].subject", MSG_SUBJECT_NOT_EMAIL),
    ("injects[0].signal", "yes", "injects[0].signal", MSG_NOT_BOOL),
    ("injects[1].signal", True, "injects[1].signal", MSG_BURST_SIGNAL),
    ("injects[1].signal", False, "injects[1].signal", MSG_BURST_SIGNAL),
]


@pytest.mark.parametrize(("where", "value", "path", "message"), BROKEN, ids=lambda v: v if isinstance(v, str) else "")
def test_it_reports_each_mistake_where_it_is(email_doc, where, value, path, message):
    result = validate(change(email_doc, where, value))

    assert (path, message) in issues(result.errors), result.errors
    assert result.scenario is None


def test_a_subject_of_200_characters_is_fine(email_doc):
    assert validate(change(email_doc, "injects[0].subject", "x" * MAX_SUBJECT_CHARS)).valid


def test_the_spec_keeps_the_subject_and_the_signals(email_doc):
    change(email_doc, "injects[2].signal", True)
    change(email_doc, "injects[0].signal", False)

    scenario = validate(email_doc).scenario

    assert scenario.inject("complaint").subject == EMAIL_SUBJECT
    assert scenario.inject("trending").subject is None
    assert [i.signal for i in scenario.injects] == [False, False, True]
    assert scenario.signal_keys == ("trending",)


def test_an_email_shows_its_subject_with_the_placeholders_filled(email_doc):
    plan = plan_scenario(validate(email_doc).scenario)

    assert item_data(plan.timed[0], planned_ms=0, shown_ms=0)["subject"] == "Request for comment: ShopLine outage"


def test_an_email_without_a_subject_shows_the_first_words_of_its_text(email_doc):
    del email_doc["injects"][0]["subject"]
    email_doc["injects"][0]["text"] = "We are  reporting on a {brand.name}\ncustomer database offered for sale today."

    item = plan_scenario(validate(email_doc).scenario).timed[0]

    assert item_data(item, planned_ms=0, shown_ms=0)["subject"] == "We are reporting on a ShopLine customer database"


def test_posts_have_no_subject(email_doc):
    plan = plan_scenario(validate(email_doc).scenario)

    assert all("subject" not in item_data(item, planned_ms=0, shown_ms=0) for item in plan.timed[1:])


def test_a_filled_in_subject_is_clipped_to_one_line_of_200_characters(email_doc):
    email_doc["personas"][1]["name"] = "Dana " + "L" * 90
    change(email_doc, "injects[0].subject", "{persona.name} {persona.name} {persona.name}")

    subject = item_data(plan_scenario(validate(email_doc).scenario).timed[0], planned_ms=0, shown_ms=0)["subject"]

    assert subject.startswith("Dana LLL") and len(subject) == MAX_SUBJECT_CHARS


def test_the_signal_is_never_in_an_items_data_but_the_instructors_preview_shows_it(email_doc):
    change(email_doc, "injects[0].signal", True)
    plan = plan_scenario(validate(email_doc).scenario)

    assert plan.timed[0].signal is True
    assert all("signal" not in item_data(item, planned_ms=0, shown_ms=0) for item in plan.timed)
    shown = preview(plan)
    assert [entry["signal"] for entry in shown["timeline"]] == [True] + [False] * 10
    assert [entry["signal"] for entry in shown["conditional"]] == [False]
    assert shown["timeline"][0]["subject"] == "Request for comment: ShopLine outage"


def test_a_subject_changes_no_other_words_of_the_plan(email_doc):
    with_subject = plan_scenario(validate(email_doc).scenario)
    del email_doc["injects"][0]["subject"]
    without = plan_scenario(validate(email_doc).scenario)

    assert [item.text for item in with_subject.timed] == [item.text for item in without.timed]


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Short one", "Short one"),
        ("one two three four five six seven eight nine ten", "one two three four five six seven eight"),
        ("  spaced\tout\n\nover lines ", "spaced out over lines"),
        ("x" * 500, "x" * MAX_SUBJECT_CHARS),
    ],
)
def test_the_default_subject_is_the_first_words_of_the_text(text, subject):
    assert default_subject(text) == subject
    assert len(default_subject(text).split()) <= SUBJECT_WORDS
