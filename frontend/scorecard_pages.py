"""Scorecard pages: the debrief report of a finished drill (with its notes form) and progress per scenario.

Thin views: the scorecard and the log it scored come from `scoring.services` (the log read once), notes are
added by `drills.services.note_add`, charts are SVG from `scoring.charts`. No script: the notes form is a plain
POST, and the report prints to PDF from the browser.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.errors import DomainError
from config.limits import has_bad_characters, whole_number
from config.texts import translated
from drills import services as drill_services
from drills.limits import MAX_NOTE_CHARS
from drills.log import (
    APPROVAL_APPROVED,
    APPROVAL_REJECTED,
    HEAT,
    INJECT_PUBLISHED,
    RESPONSE_DRAFTED,
    LoggedEvent,
)
from drills.selectors import drill_for_user, is_instructor, seats_of
from frontend.finished import finished_drill_page
from frontend.views import not_found
from kit.models import TemplateKind
from scenarios.labels import role_label
from scenarios.selectors import version_scenario_and_plan
from scoring import charts, selectors
from scoring.replies import word_diff
from scoring.report import grade  # a CSS class for a score: the colour says whether it needs attention
from scoring.services import SCORING_VERSION, Debrief, comparison_rows, debrief_for, debrief_log

DECISIONS = (APPROVAL_APPROVED, APPROVAL_REJECTED)
# How long log_view keeps what a finished drill's page shows from its log. Bounded, so that a member's new name
# shows within minutes.
LOG_VIEW_CACHE_S = 600
MSG_NOTE_TEXT = gettext_lazy("Write the note (at most 5,000 characters).")
MSG_NOTE_EVENT = gettext_lazy("Choose the event the note is about.")
MSG_NOTE_ADDED = gettext_lazy("Note added.")
COMPONENTS = (
    ("timeliness", gettext_lazy("Timeliness"), gettext_lazy("Replies published within their deadline")),
    ("coverage", gettext_lazy("Coverage"), gettext_lazy("Severity of the injects that got a reply")),
    ("approval_flow", gettext_lazy("Approval flow"), gettext_lazy("Decisions made within their step's SLA")),
    ("quality", gettext_lazy("Quality"), gettext_lazy("Rubric: required items present, nothing forbidden")),
    (
        "first_statement",
        gettext_lazy("First statement"),
        gettext_lazy("First public reply within its target after the first post"),
    ),
    ("detection", gettext_lazy("Detection"), gettext_lazy("Weak signals the team flagged within their deadline")),
)


def chart_labels() -> dict:
    """The charts' words in the page language (charts.LABELS holds the English defaults)."""
    return {key: _(value) for key, value in charts.LABELS.items()}


# ---- the scorecard -------------------------------------------------------------------------------------


@finished_drill_page("frontend/scorecards/not_finished.html")
def scorecard_page(request, drill):
    debrief = debrief_for(drill=drill, whole=False)  # the rest of the log: log_view
    return render(request, "frontend/scorecards/scorecard.html", scorecard_context(request, drill, debrief))


def scorecard_context(request, drill, debrief: Debrief) -> dict:
    """`debrief.events` need only hold the events the notes and observations are about: what the page shows from
    the rest of the log comes from log_view."""
    card, events = debrief.card, debrief.events
    shown = log_view(drill, card)
    names = shown["names"]
    labels = chart_labels()
    instructor = is_instructor(user=request.user, drill=drill)
    return {
        "drill": drill,
        "card": card,
        "overall_grade": grade(card["overall"]),
        "ended": charts.clock_label(card.get("ended_s")),
        "components": component_tiles(card, version_scenario_and_plan(drill.version)[0].scoring.weights),
        "first_statement": first_statement_line(card),
        "written_by_team_pct": percent(card.get("written_by_team")),
        # charts.py escapes every piece of text it writes: the markup is safe to embed as is.
        "timeline_svg": mark_safe(charts.timeline_svg(card, card["notes"], labels)),
        "waits_svg": mark_safe(charts.step_wait_svg(with_role_labels(card), labels)),
        "injects": [inject_row(row) for row in card["injects"]],
        "steps": [step_row(row) for row in card["steps"]],
        "replies": shown["replies"],
        "notes": note_rows(card["notes"], events, names),
        "observations": observation_rows(card, events, names),
        "instructor": instructor,
        "note_options": shown["note_options"] if instructor else "",
    }


def log_view(drill, card: dict) -> dict:
    """What the debrief page shows from the drill's log: the people's names, the published replies (rendered) and
    the note form's options. A finished drill's log does not change, so it is built once per log length,
    SCORING_VERSION and language and kept LOG_VIEW_CACHE_S: reading and rendering a 10,000-event log was most of
    the page's time (bench/pages.py)."""
    key = f"scorecard-log-view:{drill.pk}:{drill.seq}:{SCORING_VERSION}:{get_language()}"
    shown = cache.get(key)
    if shown is None:
        events = debrief_log(drill=drill)
        names = people_names(drill, events)
        replies = render_to_string("frontend/scorecards/replies.html", {"replies": reply_cards(card, events, names)})
        shown = {"names": names, "replies": mark_safe(replies), "note_options": note_options(events, names)}
        cache.set(key, shown, LOG_VIEW_CACHE_S)
    return shown


def with_role_labels(card: dict) -> dict:
    """The card as its charts show it: each step names its chain role as people read it, not the key."""
    return {**card, "steps": [{**step, "role": role_label(step["role"])} for step in card["steps"]]}


def component_tiles(card: dict, weights: dict) -> list[dict]:
    total = sum(weights.get(name, 0) for name, _label, _hint in COMPONENTS) or 1
    return [
        {
            "name": name,
            "label": label,
            "hint": hint,
            "value": card["components"].get(name),
            "grade": grade(card["components"].get(name)),
            "weight": round(100 * weights.get(name, 0) / total),
        }
        for name, label, hint in COMPONENTS
    ]


def first_statement_line(card: dict) -> dict | None:
    """ "First public statement after N min (target M)"; None when no post needed a reply (nothing to measure)."""
    value = card["components"].get("first_statement")
    if value is None:
        return None
    after_s = card.get("first_statement_s")
    return {
        "after_min": None if after_s is None else round(after_s / 60, 1),
        "target_min": round(card["first_statement_target_s"] / 60, 1),
        "grade": grade(value),
    }


def percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def inject_row(row: dict) -> dict:
    shown = {
        name: charts.clock_label(row.get(f"{name}_s"))
        for name in ("published", "first_draft", "reply", "deadline", "late")
    }
    return {**row, "name": charts.row_name(row), "shown": shown}


def step_row(row: dict) -> dict:
    within = row["within_sla"]
    return {
        **row,
        "median": charts.clock_label(row["median_wait_s"]),
        "p90": charts.clock_label(row["p90_wait_s"]),
        "sla": charts.clock_label(row["sla_s"]),
        "role_label": role_label(row["role"]),
        "within_pct": None if within is None else round(within * 100),
        "grade": grade(None if within is None else within * 100),
    }


def people_names(drill, events: list[LoggedEvent]) -> dict:
    """user id -> username, as the participants table shows them; drafts name authors who lost their seat."""
    names = {e.data["author"]: e.data.get("author_name", "") for e in events if e.kind == RESPONSE_DRAFTED}
    return names | {seat["user"]: seat["username"] for seat in seats_of(drill=drill)}


def reply_cards(card: dict, events: list[LoggedEvent], names: dict) -> list[dict]:
    """Every published reply with what it answered, who wrote it, the decisions on its way, and its rubric."""
    inject_names = {e.data["id"]: charts.row_name(e.data) for e in events if e.kind == INJECT_PUBLISHED}
    authors = {e.data["response"]: e.data.get("author") for e in events if e.kind == RESPONSE_DRAFTED}
    decisions = decisions_by_response(events, names)
    templates = {reply["response"]: reply for reply in card.get("replies", [])}
    cards = []
    for reply in card["responses"]:
        rubric = reply["rubric"]
        cards.append(
            {
                **reply,
                "started_from": started_from(templates.get(reply["response"])),
                "published": charts.clock_label(reply["published_s"]),
                "answers": [inject_names.get(inject_id, f"#{inject_id}") for inject_id in reply["reply_to"]],
                "author": names.get(authors.get(reply["response"]), ""),
                "decisions": decisions.get(reply["response"], []),
                "score_pct": round(rubric["score"] * 100),
                "grade": grade(rubric["score"] * 100),
            }
        )
    return cards


def started_from(reply: dict | None) -> dict | None:
    """The template beside the final text: a word-level diff (escaped by the template engine), its edited share."""
    if reply is None or reply["template"] is None:
        return None
    template = reply["template"]
    kinds = dict(TemplateKind.choices)
    return {
        "name": template["name"],
        "kind": kinds.get(template["kind"], template["kind"]),
        "edited_pct": percent(reply["edited_share"]),
        "diff": word_diff(template["filled"], reply["text"]),
    }


def decisions_by_response(events: list[LoggedEvent], names: dict) -> dict[int, list[dict]]:
    """Response id -> the decisions on its way, in log order: one walk of the log for every reply."""
    decisions: dict[int, list[dict]] = {}
    for e in events:
        if e.kind in DECISIONS:
            decisions.setdefault(e.data.get("response"), []).append(
                {
                    "role": role_label(e.data.get("role", "")),
                    "approved": e.kind == APPROVAL_APPROVED,
                    "by": _("bot") if e.data.get("bot") or e.data.get("by") is None else names.get(e.data["by"], ""),
                    "comment": e.data.get("comment") or "",
                    "at": charts.clock_label(e.sim_ms / 1000),
                }
            )
    return decisions


def note_rows(notes: list[dict], events: list[LoggedEvent], names: dict) -> list[dict]:
    """Numbered as on the timeline's flags."""
    by_seq = {e.seq: e for e in events}
    return [
        {
            **note,
            "number": number,
            "at": charts.clock_label(note["sim_s"]),
            "about": describe(by_seq[note["event_seq"]], names) if note["event_seq"] in by_seq else "",
        }
        for number, note in enumerate(notes, start=1)
    ]


def observation_rows(card: dict, events: list[LoggedEvent], names: dict) -> list[dict]:
    """The observations as the evaluation section lists them: when, about which task and event, by whom."""
    tasks = {row["key"]: row["task"] for row in card["evaluation"]}
    by_seq = {e.seq: e for e in events}
    return [
        {
            **observation,
            "at": charts.clock_label(observation["sim_ms"] / 1000),
            "task_name": tasks.get(observation["task"], ""),
            "about": describe(by_seq[observation["event_seq"]], names) if observation["event_seq"] in by_seq else "",
        }
        for observation in card["observations"]
    ]


def describe(event: LoggedEvent, names: dict) -> str:
    """One line naming an event, for the notes form and list."""
    data = event.data
    if event.kind == INJECT_PUBLISHED:
        return f"{event.kind} · {charts.row_name(data)}"
    if event.kind in DECISIONS:
        return f"{event.kind} · #{data.get('response')} · {role_label(data.get('role', ''))}"
    if event.kind.startswith("response."):
        return f"{event.kind} · #{data.get('response')}"
    if event.kind == HEAT:
        return f"{HEAT} · {data.get('heat')}"
    if event.kind.startswith("seat."):
        return f"{event.kind} · {names.get(data.get('user'), data.get('username', ''))}"
    return event.kind


def note_options(events: list[LoggedEvent], names: dict) -> str:
    """The note form's `<option>` for each event, escaped here: a long drill offers thousands, and the template
    engine took a third of the page's time on them (bench/pages.py)."""
    return format_html_join(
        "",
        '<option value="{}" dir="auto">{}</option>',
        ((e.seq, f"{charts.clock_label(e.sim_ms / 1000)} · {describe(e, names)}") for e in events),
    )


@login_required
@require_POST
def note_create(request, drill_id: int):
    try:
        drill = drill_for_user(user=request.user, drill_id=drill_id)
    except DomainError:
        return not_found(request)
    page = f"/drills/{drill.pk}/scorecard/"
    event_seq, text = whole_number(request.POST.get("event_seq", "")), request.POST.get("text", "").strip()
    if event_seq is None:
        messages.error(request, MSG_NOTE_EVENT)
        return HttpResponseRedirect(page + "#notes")
    if not text or len(text) > MAX_NOTE_CHARS or has_bad_characters(text):
        messages.error(request, MSG_NOTE_TEXT)
        return HttpResponseRedirect(page + "#notes")
    try:
        drill_services.note_add(by=request.user, drill=drill, event_seq=event_seq, text=text)
    except DomainError as exc:  # not an instructor, not finished, no such event: said on the page
        messages.error(request, translated(exc.message))
    else:
        messages.success(request, MSG_NOTE_ADDED)
    return HttpResponseRedirect(page + "#notes")


# ---- progress across drills of one scenario -----------------------------------------------------------


@login_required
@require_GET
def progress_page(request, scenario_id: int):
    try:
        scenario = selectors.scenario_in_organization(user=request.user, scenario_id=scenario_id)
    except DomainError:
        return not_found(request)
    rows = progress_rows(comparison_rows(drills=selectors.finished_drills_of(user=request.user, scenario=scenario)))
    chart_rows = [{"label": f"#{row['number']}", "overall": row["overall"]} for row in rows]
    context = {
        "scenario": scenario,
        "rows": rows,
        "components": COMPONENTS,
        "progress_svg": mark_safe(charts.progress_svg(chart_rows, chart_labels())),
    }
    return render(request, "frontend/scorecards/progress.html", context)


def progress_rows(rows: list[dict]) -> list[dict]:
    """Numbers the drills and adds the change in overall score since the previous one."""
    shown, previous = [], None
    for number, row in enumerate(rows, start=1):
        overall = row["overall"]
        delta = None if overall is None or previous is None else round(overall - previous, 1)
        scores = [
            {"value": row["components"].get(name), "grade": grade(row["components"].get(name))}
            for name, _label, _hint in COMPONENTS
        ]
        shown.append(
            {
                **row,
                "number": number,
                "delta": delta,
                "grade": grade(overall),
                "scores": scores,
                "first_statement": charts.clock_label(row["first_statement_s"]),
                "edited_pct": percent(row["edited_share"]),
            }
        )
        previous = overall if overall is not None else previous
    return shown


urlpatterns = [
    path("drills/<int:drill_id>/scorecard/", scorecard_page, name="scorecard"),
    path("drills/<int:drill_id>/scorecard/notes/", note_create, name="scorecard-note"),
    path("scenarios/<int:scenario_id>/progress/", progress_page, name="scenario-progress"),
]
