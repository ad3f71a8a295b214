"""Scorecards of finished drills: computed once from the event log, then served from the cache table.

The scorecard is a pure function of the finished log (scoring.scorecard), so the cached row is only a
shortcut: deleting it, or a log that grew since (`last_seq`), simply recomputes the same answer.
Debrief notes and observations change after the drill is over, so they are read fresh on every call and never
cached.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_noop

from config.errors import Conflict
from drills.events import full_log
from drills.log import DRILL_FINISHED, LoggedEvent
from drills.models import DebriefNote, Drill, DrillEvent, DrillStatus, Response, Seat
from drills.selectors import OBSERVER_SEAT
from evaluation.frames import observation_data
from evaluation.models import Observation
from scenarios.selectors import version_scenario_and_plan
from scoring.evaluation import evaluation_rows
from scoring.models import Scorecard
from scoring.replies import TemplateUse
from scoring.scorecard import Participant, compute_scorecard

MSG_NOT_FINISHED = gettext_noop("The scorecard is ready once the drill is finished.")
# Bumped whenever compute_scorecard's output changes shape or meaning: older cached rows are recomputed.
SCORING_VERSION = 4


def scorecard_for(*, drill: Drill) -> dict:
    """Section 4 of the protocol for a finished drill, plus its debrief notes and evaluation; 409 while it runs."""
    _require_finished(drill)
    data = _cached(drill) or scorecard_store(drill=drill)
    return {**data, "notes": notes_of(drill=drill), **evaluation_of(drill=drill)}


@dataclass(frozen=True)
class Debrief:
    card: dict  # as scorecard_for gives it
    events: list[LoggedEvent]  # the whole log, for what the debrief page shows beside the card


def debrief_for(*, drill: Drill) -> Debrief:
    """The scorecard of a finished drill and the log it scores, the log read once for both; 409 while it runs."""
    _require_finished(drill)
    events = full_log(drill=drill)
    data = _cached(drill) or scorecard_store(drill=drill, events=events)
    return Debrief({**data, "notes": notes_of(drill=drill, events=events), **evaluation_of(drill=drill)}, events)


def _require_finished(drill: Drill) -> None:
    if drill.status != DrillStatus.FINISHED:
        raise Conflict(MSG_NOT_FINISHED, extra={"status": drill.status})


def _cached(drill: Drill) -> dict | None:
    try:
        row = drill.scorecard  # loaded already when the caller used select_related("scorecard")
    except Scorecard.DoesNotExist:
        return None
    if row.last_seq != drill.seq or row.data.get("scoring_version") != SCORING_VERSION:
        return None
    return row.data


@transaction.atomic
def scorecard_store(*, drill: Drill, events: list[LoggedEvent] | None = None) -> dict:
    """Computes the scorecard from the log (read here unless given) and writes it to the cache row (two racing
    writers agree)."""
    data = scorecard_compute(drill=drill, events=events)
    row, _ = Scorecard.objects.update_or_create(drill=drill, defaults={"data": data, "last_seq": drill.seq})
    drill.scorecard = row
    return data


def scorecard_compute(*, drill: Drill, events: list[LoggedEvent] | None = None) -> dict:
    scenario = version_scenario_and_plan(drill.version)[0]
    events = full_log(drill=drill) if events is None else events
    data = compute_scorecard(
        scenario=scenario, events=events, participants=participants_of(drill=drill), templates=templates_of(drill=drill)
    )
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


def templates_of(*, drill: Drill) -> dict[int, TemplateUse]:
    """Response id -> the template it was started from, as its row kept it at draft time (name, kind, filled text),
    so that editing or deleting the template later changes no scorecard."""
    rows = Response.objects.filter(drill=drill).exclude(template_name="")
    return {
        row["id"]: TemplateUse(
            id=row["template_id"], name=row["template_name"], kind=row["template_kind"], filled=row["template_filled"]
        )
        for row in rows.values("id", "template_id", "template_name", "template_kind", "template_filled")
    }


def notes_of(*, drill: Drill, events: list[LoggedEvent] | None = None) -> list[dict]:
    """Debrief notes `{id, event_seq, sim_s, kind, text, author}`, in event order; the noted events are read
    unless the log is given.

    `sim_s` is when the noted event happened, so the timeline and the CSV place a note where it belongs.
    """
    notes = list(DebriefNote.objects.filter(drill=drill).select_related("author").order_by("event_seq", "id"))
    seqs = {note.event_seq for note in notes}
    if events is None:
        events = DrillEvent.objects.filter(drill=drill, seq__in=seqs).only("seq", "kind", "sim_ms")
    noted = {event.seq: event for event in events if event.seq in seqs}
    return [_note_row(note, noted.get(note.event_seq)) for note in notes]


def _note_row(note: DebriefNote, event: DrillEvent | LoggedEvent | None) -> dict:
    return {
        "id": note.pk,
        "event_seq": note.event_seq,
        "sim_s": round(event.sim_ms / 1000, 3) if event else 0.0,
        "kind": event.kind if event else "",
        "text": note.text,
        "author": note.author.username if note.author else None,
    }


def evaluation_of(*, drill: Drill) -> dict:
    """`evaluation` (ratings per task) and the `observations` themselves. Observers may add and change them after
    the end, so they are read fresh on every call and never cached, as notes are."""
    observations = [observation_data(o) for o in Observation.objects.filter(drill=drill).select_related("author")]
    tasks = version_scenario_and_plan(drill.version)[0].evaluation
    return {"evaluation": evaluation_rows(tasks, observations), "observations": observations}


def comparison_rows(*, drills: list[Drill]) -> list[dict]:
    """One row per finished drill, in the given order: its scores and who played it."""
    return [_comparison_row(drill) for drill in drills]


def mean_edited_share(replies: list[dict]) -> float | None:
    """The mean edited share of the replies started from a template (section 4), None without any."""
    shares = [reply["edited_share"] for reply in replies if reply["edited_share"] is not None]
    return round(sum(shares) / len(shares), 3) if shares else None


def _comparison_row(drill: Drill) -> dict:
    data = _cached(drill) or scorecard_store(drill=drill)
    return {
        "drill": drill.pk,
        "title": drill.title,
        "finished_at": drill.finished_at,
        "overall": data["overall"],
        "components": data["components"],
        "first_statement_s": data["first_statement_s"],
        "edited_share": mean_edited_share(data["replies"]),
        "team": [person["user"] for person in data["participants"] if person["roles"] != [OBSERVER_SEAT]],
    }
