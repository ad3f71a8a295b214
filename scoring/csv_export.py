"""The scorecard as CSV: one row per inject with its timings, the debrief notes written about it, and the reply that
answered it first (the one `reply_s` times): its template, edited share and rubric score.

The file is opened in spreadsheets, and its cells hold text from outside (scenario keys, instructors'
notes), so every cell is escaped against formula injection.
"""

from __future__ import annotations

import bisect
import csv
import io
from collections.abc import Sequence

COLUMNS = (
    "key",
    "burst_index",
    "severity",
    "needs_reply",
    "published_s",
    "planned_s",
    "late_s",
    "first_draft_s",
    "reply_s",
    "deadline_s",
    "on_time",
    "notes",
)
# After the notes, so that the columns files were read by before keep their places.
REPLY_COLUMNS = ("reply_template", "reply_template_kind", "reply_edited_share", "reply_rubric_score")
NOTE_SEPARATOR = " | "
# OWASP "CSV Injection": a spreadsheet treats a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def scorecard_csv(scorecard: dict, notes: Sequence[dict] = ()) -> str:
    """Header plus one row per inject of `scorecard`; `notes` are `{event_seq, sim_s, text}`."""
    rows = scorecard["injects"]
    notes_by_row = attach_notes(rows, notes)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS + REPLY_COLUMNS)
    for row, row_notes in zip(rows, notes_by_row, strict=True):
        cells = [_cell(row.get(column)) for column in COLUMNS[:-1]]
        cells.append(NOTE_SEPARATOR.join(row_notes))
        cells.extend(_cell(value) for value in _first_reply_cells(row["id"], scorecard.get("replies", ())))
        writer.writerow([escape_cell(cell) for cell in cells])
    return out.getvalue()


def _first_reply_cells(inject_id: int, replies: Sequence[dict]) -> tuple:
    """The first published reply to the inject (replies are in publication order), or blank cells."""
    reply = next((reply for reply in replies if inject_id in reply["reply_to"]), None)
    if reply is None:
        return (None,) * len(REPLY_COLUMNS)
    template = reply["template"] or {}
    return template.get("name"), template.get("kind"), reply["edited_share"], reply["rubric"]["score"]


def attach_notes(rows: Sequence[dict], notes: Sequence[dict]) -> list[list[str]]:
    """Each note's text goes to the inject published latest at or before the note's time.

    A note from before the first publication goes to the first inject rather than being lost.
    Relies on the scorecard's rows being ordered by publication time.
    """
    published = [row["published_s"] for row in rows]
    attached: list[list[str]] = [[] for _ in rows]
    if not rows:
        return attached
    for note in sorted(notes, key=lambda n: (n["sim_s"], n["event_seq"])):
        index = max(bisect.bisect_right(published, note["sim_s"]) - 1, 0)
        attached[index].append(note["text"])
    return attached


def escape_cell(cell: str) -> str:
    """Prefix a single quote to any cell a spreadsheet would run as a formula.

    Numbers are not exempt: "-0.5" (an inject published early) is harmless, but so is "-1+1" until it
    is not; a rule that looked at whether a cell parses as a number would be one more parser to get
    right. Escaping every leading "-" keeps the rule simple, at the price of negative numbers showing
    as text ('-0.5) in a spreadsheet.
    """
    if cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
