"""The scorecard CSV: its rows, the notes attached to them, and escaping against formula injection."""

from __future__ import annotations

import csv
import io

import pytest

from scoring.csv_export import COLUMNS, REPLY_COLUMNS, escape_cell, scorecard_csv
from scoring.replies import TemplateUse
from scoring.scorecard import compute_scorecard
from tests.scoring.test_scorecard import CAST, LogBuilder, make_scenario


def read(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def inject_row(key: str, published_s: float, **fields) -> dict:
    row = {
        "id": 1,
        "key": key,
        "burst_index": None,
        "severity": 3,
        "needs_reply": True,
        "published_s": published_s,
        "first_draft_s": None,
        "reply_s": None,
        "deadline_s": 300.0,
        "on_time": False,
        "planned_s": published_s,
        "late_s": 0.0,
    }
    return {**row, **fields}


def test_it_writes_one_row_per_inject_with_its_timings():
    events = (
        LogBuilder()
        .inject(1, 30, severity=3, deadline_s=300, planned_ms=29_500)
        .reply(4, reply_to=[1], drafted_s=41.2, submitted_s=50, approved_s=212)
        .inject(2, 60, needs_reply=False, key="pile-on")
        .finish(600)
    )
    template = TemplateUse(id=2, name="Holding, short", kind="holding", filled="Sorry, [[what]]")
    card = compute_scorecard(scenario=make_scenario(), events=events.events, participants=CAST, templates={4: template})
    text = scorecard_csv(card)
    assert text.splitlines()[0] == ",".join(COLUMNS + REPLY_COLUMNS)
    assert read(text) == [
        {
            "key": "inject-1",
            "burst_index": "",
            "severity": "3",
            "needs_reply": "true",
            "published_s": "30.0",
            "planned_s": "29.5",
            "late_s": "0.5",
            "first_draft_s": "11.2",
            "reply_s": "182.0",
            "deadline_s": "300.0",
            "on_time": "true",
            "notes": "",
            "reply_template": "Holding, short",
            "reply_template_kind": "holding",
            # "Sorry, ", "w" and "t" kept of "Sorry, [[what]]" (15) in "Sorry, working on it" (20): 1 - 2 x 9 / 35
            "reply_edited_share": "0.486",
            "reply_rubric_score": "1.0",
        },
        {
            "key": "pile-on",
            "burst_index": "",
            "severity": "3",
            "needs_reply": "false",
            "published_s": "60.0",
            "planned_s": "60.0",
            "late_s": "0.0",
            "first_draft_s": "",
            "reply_s": "",
            "deadline_s": "",
            "on_time": "",
            "notes": "",
            **dict.fromkeys(REPLY_COLUMNS, ""),
        },
    ]


def test_it_attaches_each_note_to_the_latest_inject_published_at_or_before_it():
    card = {"injects": [inject_row("first", 30.0), inject_row("second", 60.0), inject_row("third", 90.0)]}
    notes = [
        {"event_seq": 9, "sim_s": 75.0, "text": "slow review"},
        {"event_seq": 4, "sim_s": 10.0, "text": "before anything"},  # no inject yet: the first one
        {"event_seq": 7, "sim_s": 60.0, "text": "published, then"},  # same instant: this inject
        {"event_seq": 8, "sim_s": 60.0, "text": "legal asked"},
        {"event_seq": 12, "sim_s": 500.0, "text": "good close"},
    ]
    rows = read(scorecard_csv(card, notes))
    assert [row["notes"] for row in rows] == [
        "before anything",
        "published, then | legal asked | slow review",
        "good close",
    ]


def test_it_writes_only_the_header_without_injects():
    assert read(scorecard_csv({"injects": []}, [{"event_seq": 1, "sim_s": 0.0, "text": "x"}])) == []


@pytest.mark.parametrize(
    ("cell", "escaped"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("-0.5", "'-0.5"),  # a negative number too: see escape_cell
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        ("0.5", "0.5"),
        ("", ""),
    ],
)
def test_escape_cell_defuses_formulas(cell, escaped):
    assert escape_cell(cell) == escaped


def test_it_escapes_keys_notes_and_negative_lateness_in_the_file():
    card = {"injects": [inject_row("-burst", 30.0, late_s=-0.5)]}
    notes = [{"event_seq": 3, "sim_s": 31.0, "text": '=cmd|"/C calc"!A0'}]
    [row] = read(scorecard_csv(card, notes))
    assert (row["key"], row["late_s"], row["notes"]) == ("'-burst", "'-0.5", '\'=cmd|"/C calc"!A0')


def test_a_note_with_commas_and_newlines_stays_in_its_cell():
    card = {"injects": [inject_row("first", 0.0)]}
    [row] = read(scorecard_csv(card, [{"event_seq": 1, "sim_s": 5.0, "text": "late, again\nsee log"}]))
    assert row["notes"] == "late, again\nsee log"


def test_it_escapes_a_template_name_written_as_a_formula():
    reply = {
        "reply_to": [1],
        "template": {"name": "=1+1", "kind": "other"},
        "edited_share": 0.5,
        "rubric": {"score": 1},
    }
    card = {"injects": [inject_row("first", 0.0)], "replies": [reply]}
    [row] = read(scorecard_csv(card))
    assert (row["reply_template"], row["reply_edited_share"]) == ("'=1+1", "0.5")
