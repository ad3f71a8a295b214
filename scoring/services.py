"""Scorecards of finished drills: computed once from the event log, then served from the cache table.

The scorecard is a pure function of the finished log (scoring.scorecard), so the cached row is only a
shortcut: deleting it, or a log that grew since (`last_seq`), simply recomputes the same answer.
Debrief notes change after the drill is over, so they are read fresh on every call and never cached.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from config.errors import Conflict
from drills.events import full_log
from drills.log import DRILL_FINISHED, LoggedEvent
from drills.models import DebriefNote, Drill, DrillEvent, DrillStatus, Scorecard, Seat
from drills.selectors import OBSERVER_SEAT
from scenarios.selectors import version_scenario_and_plan
from scoring.scorecard import Participant, compute_scorecard

MSG_NOT_FINISHED = gettext_noop("The scorecard is ready once the drill is finished.")
# Bumped whenever compute_scorecard's output changes shape or meaning: older cached rows are recomputed.
SCORING_VERSION = 1


def scorecard_for(*, drill: Drill) -> dict:
    """Section 4 of the protocol for a finished drill, plus its debrief notes; 409 while it runs."""
    if drill.status != DrillStatus.FINISHED:
        raise Conflict(MSG_NOT_FINISHED, extra={"status": drill.status})
    data = _cached(drill) or scorecard_store(drill=drill)
    return {**data, "notes": notes_of(drill=drill)}


def _cached(drill: Drill) -> dict | None:
    try:
        row = drill.scorecard  # loaded already when the caller used select_related("scorecard")
    except Scorecard.DoesNotExist:
        return None
    if row.last_seq != drill.seq or row.data.get("scoring_version") != SCORING_VERSION:
        return None
    return row.data


@transaction.atomic
def scorecard_store(*, drill: Drill) -> dict:
    """Computes the scorecard from the log and writes it to the cache row (two racing writers agree)."""
    data = scorecard_compute(drill=drill)
    row, _ = Scorecard.objects.update_or_create(drill=drill, defaults={"data": data, "last_seq": drill.seq})
    drill.scorecard = row
    return data


def scorecard_compute(*, drill: Drill) -> dict:
    scenario = version_scenario_and_plan(drill.version)[0]
    events = full_log(drill=drill)
    data = compute_scorecard(scenario=scenario, events=events, participants=participants_of(drill=drill))
    return {
        "drill": drill.pk,
        "scenario": drill.version.title,
        "title": drill.title,
        "scoring_version": SCORING_VERSION,
        "ended_s": _ended_s(events),
        **data,
    }


def _ended_s(events: list[LoggedEvent]) -> float | None:
    finished = [event.sim_ms for event in events if event.kind == DRILL_FINISHED]
    return round(finished[0] / 1000, 3) if finished else None


def participants_of(*, drill: Drill) -> list[Participant]:
    """One participant per seated user, in seating order, holding all of their seat roles."""
    roles: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for seat in Seat.objects.filter(drill=drill).select_related("user").order_by("id"):
        roles.setdefault(seat.user_id, []).append(seat.role)
        names[seat.user_id] = seat.user.username
    return [Participant(user_id=uid, username=names[uid], roles=tuple(r)) for uid, r in roles.items()]


def notes_of(*, drill: Drill) -> list[dict]:
    """Debrief notes `{id, event_seq, sim_s, kind, text, author}`, in event order.

    `sim_s` is when the noted event happened, so the timeline and the CSV place a note where it belongs.
    """
    notes = list(DebriefNote.objects.filter(drill=drill).select_related("author").order_by("event_seq", "id"))
    events = DrillEvent.objects.filter(drill=drill, seq__in={note.event_seq for note in notes})
    noted = {event.seq: event for event in events.only("seq", "kind", "sim_ms")}
    return [_note_row(note, noted.get(note.event_seq)) for note in notes]


def _note_row(note: DebriefNote, event: DrillEvent | None) -> dict:
    return {
        "id": note.pk,
        "event_seq": note.event_seq,
        "sim_s": round(event.sim_ms / 1000, 3) if event else 0.0,
        "kind": event.kind if event else "",
        "text": note.text,
        "author": note.author.username if note.author else None,
    }


def comparison_rows(*, drills: list[Drill]) -> list[dict]:
    """One row per finished drill, in the given order: its scores and who played it."""
    return [_comparison_row(drill) for drill in drills]


def _comparison_row(drill: Drill) -> dict:
    data = _cached(drill) or scorecard_store(drill=drill)
    return {
        "drill": drill.pk,
        "title": drill.title,
        "finished_at": drill.finished_at,
        "overall": data["overall"],
        "components": data["components"],
        "team": [person["user"] for person in data["participants"] if person["roles"] != [OBSERVER_SEAT]],
    }
