"""Scorecards of finished drills: computed once from the event log, then served from the cache table.

The scorecard is a pure function of the finished log (scoring.scorecard), so the cached row is only a
shortcut: deleting it, or a log that grew since (`last_seq`), simply recomputes the same answer.
Debrief notes and observations change after the drill is over, so they are read fresh on every call and never
cached.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_noop

from config.errors import Conflict
from drills.events import full_log
from drills.log import DRILL_FINISHED, ENGAGEMENT, HEAT, LoggedEvent
from drills.models import DebriefNote, Drill, DrillEvent, DrillStatus, PublishedInject, Response, Seat
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
    events: list[LoggedEvent]  # debrief_log: the part of the log the debrief page shows beside the card


def debrief_for(*, drill: Drill, whole: bool = True) -> Debrief:
    """The scorecard of a finished drill and the part of its log the debrief shows (debrief_log, one read; the
    first call also reads the whole log to compute the card); 409 while it runs. `whole=False`: of the log only the
    events the notes and observations are about (a page that keeps the rest)."""
    _require_finished(drill)
    data = _cached(drill) or scorecard_store(drill=drill)
    notes, evaluation = _notes(drill), evaluation_of(drill=drill)
    about = {note.event_seq for note in notes} | {o["event_seq"] for o in evaluation["observations"]}
    events = debrief_log(drill=drill, with_seqs=about - {None}, shown=whole)
    return Debrief({**data, "notes": _note_rows(notes, events), **evaluation}, events)


# What the debrief leaves out of the log it shows: engagement counters and heat (the card's charts hold them) and a
# crowd's comments after its first that need no reply (a burst of 500 is one moment). In a long drill they are most
# of the log, and the counters most of its bytes: reading them all made a 10,000-event debrief take seconds
# (bench/pages.py). The crowd is found by its posts' rows, not in the events' JSON (which the database would parse).
NOT_SHOWN_KINDS = (ENGAGEMENT, HEAT)


def debrief_log(*, drill: Drill, with_seqs: set[int] = frozenset(), shown: bool = True) -> list[LoggedEvent]:
    """The log as the debrief shows it (who drafted, what was decided, the posts and moments a note may be about),
    in seq order, plus the events `with_seqs` (those notes and observations are about, whatever their kind);
    `shown=False`: those alone."""
    crowd = PublishedInject.objects.filter(
        drill=drill, burst_index__gt=0, requires_response=False, event_seq__isnull=False
    ).values("event_seq")
    wanted = Q(seq__in=with_seqs)
    if shown:
        wanted |= ~Q(kind__in=NOT_SHOWN_KINDS) & ~Q(seq__in=crowd)
    rows = DrillEvent.objects.filter(Q(drill=drill) & wanted).order_by("seq")
    return [
        LoggedEvent(seq=seq, kind=kind, sim_ms=sim_ms, data=data)
        for seq, kind, sim_ms, data in rows.values_list("seq", "kind", "sim_ms", "data")
    ]


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


def notes_of(*, drill: Drill) -> list[dict]:
    """Debrief notes `{id, event_seq, sim_s, kind, text, author}`, in event order.

    `sim_s` is when the noted event happened, so the timeline and the CSV place a note where it belongs.
    """
    notes = _notes(drill)
    seqs = {note.event_seq for note in notes}
    return _note_rows(notes, DrillEvent.objects.filter(drill=drill, seq__in=seqs).only("seq", "kind", "sim_ms"))


def _notes(drill: Drill) -> list[DebriefNote]:
    return list(DebriefNote.objects.filter(drill=drill).select_related("author").order_by("event_seq", "id"))


def _note_rows(notes: list[DebriefNote], events) -> list[dict]:
    """The notes' rows, given (at least) the events they are about."""
    seqs = {note.event_seq for note in notes}
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
