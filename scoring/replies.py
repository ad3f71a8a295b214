"""The first public statement and the published replies with their templates (PROTOCOL section 4).

Pure like scoring.scorecard: the log gives the timings, the authors and the final texts; the templates come in as
plain data (`TemplateUse`, what the reply's row kept at draft time), so a scorecard never changes when the kit's
template is later edited or deleted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from drills import log
from scoring.detection import promptness

# Words, runs of spaces and runs of punctuation, in any script: a word-level diff of Hebrew reads as well as English.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]+")
EQUAL, INSERT, DELETE = "equal", "insert", "delete"


@dataclass(frozen=True)
class TemplateUse:
    """The template a reply was started from, as it was when the reply was drafted."""

    id: int | None  # None once the template was deleted from the kit
    name: str
    kind: str
    filled: str  # its text as filled for the post answered, slots and all


def first_statement_ms(events: Sequence[log.LoggedEvent]) -> int | None:
    """From the first published inject needing a reply to the drill's first published reply; None without either.

    A reply published before any post needed one was a statement ahead of the crisis: it counts as immediate (0).
    """
    needed_ms = _first_ms(events, log.INJECT_PUBLISHED, lambda data: bool(data["requires_response"]))
    published_ms = _first_ms(events, log.RESPONSE_PUBLISHED, lambda data: True)
    if needed_ms is None or published_ms is None:
        return None
    return max(0, published_ms - needed_ms)


def first_statement(events: Sequence[log.LoggedEvent], target_ms: int) -> float | None:
    """The first_statement component x 100: None when no inject needed a reply, 0 when no reply was published."""
    if _first_ms(events, log.INJECT_PUBLISHED, lambda data: bool(data["requires_response"])) is None:
        return None
    return 100 * promptness(first_statement_ms(events), target_ms)


def _first_ms(events: Sequence[log.LoggedEvent], kind: str, wanted) -> int | None:
    times = [event.sim_ms for event in events if event.kind == kind and wanted(event.data)]
    return min(times, default=None)


def reply_rows(
    responses: Sequence[dict], events: Sequence[log.LoggedEvent], templates: Mapping[int, TemplateUse]
) -> list[dict]:
    """Section 4's `replies`: each published response (scorecard.published_responses) with its author and template."""
    authors = {e.data["response"]: e.data.get("author") for e in events if e.kind == log.RESPONSE_DRAFTED}
    return [_reply_row(row, authors.get(row["response"]), templates.get(row["response"])) for row in responses]


def _reply_row(row: dict, author: int | None, use: TemplateUse | None) -> dict:
    return {
        "response": row["response"],
        "author": author,
        "reply_to": row["reply_to"],
        "text": row["text"],
        "platform": row["platform"],
        "published_s": row["published_s"],
        "template": None if use is None else {"id": use.id, "name": use.name, "kind": use.kind, "filled": use.filled},
        "edited_share": None if use is None else edited_share(use.filled, row["text"]),
        "rubric": row["rubric"],
    }


def edited_share(filled: str, final: str) -> float:
    """How much of the final text the team wrote beyond its template: 1 − SequenceMatcher ratio, 3 decimals."""
    return round(1 - SequenceMatcher(None, filled, final).ratio(), 3)


def written_by_team(responses: Sequence[dict], templates: Mapping[int, TemplateUse]) -> float | None:
    """The share of the published replies' characters the team wrote: all of a reply without a template, and the
    characters outside the blocks SequenceMatcher matches with the template otherwise. None without replies."""
    total = written = 0
    for row in responses:
        text, use = row["text"], templates.get(row["response"])
        matcher = None if use is None else SequenceMatcher(None, use.filled, text)
        kept = 0 if matcher is None else sum(block.size for block in matcher.get_matching_blocks())
        total += len(text)
        written += len(text) - kept
    return round(written / total, 3) if total else None


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """`(op, text)` pieces turning `before` into `after` word by word; op is equal, insert or delete.

    Joining the equal and delete pieces gives `before`; joining the equal and insert pieces gives `after`. A lone
    space kept between two changes joins them, so a rewritten phrase reads as one change, not word by word.
    """
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    pieces: list[tuple[str, str]] = []
    for changed, (i1, i2, j1, j2) in _runs(SequenceMatcher(None, old, new, autojunk=False).get_opcodes(), old):
        if not changed:
            pieces.append((EQUAL, "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append((DELETE, "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append((INSERT, "".join(new[j1:j2])))
    return pieces


def _runs(opcodes: list, old: list[str]) -> list[tuple[bool, tuple[int, int, int, int]]]:
    """The opcodes as (changed, ranges), with whitespace-only equal runs between two changes merged into them."""
    runs: list[tuple[bool, tuple[int, int, int, int]]] = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        between_changes = 0 < index < len(opcodes) - 1 and opcodes[index + 1][0] != EQUAL
        changed = op != EQUAL or (between_changes and not "".join(old[i1:i2]).strip())
        if changed and runs and runs[-1][0]:
            start = runs[-1][1]
            runs[-1] = (True, (start[0], i2, start[2], j2))
        else:
            runs.append((changed, (i1, i2, j1, j2)))
    return runs
