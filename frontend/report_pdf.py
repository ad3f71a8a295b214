"""The after-action report as a PDF, made on the server with WeasyPrint (PROTOCOL section 2, `report.pdf`).

One HTML document (a template with its own print CSS) holds the report, the scores, the timeline and step-wait
charts (the scorecard page's SVGs), the observers' ratings, and the published replies; WeasyPrint lays it out
with the drill's title and page numbers in every page's margins (CSS @page). Words are in the reader's language,
right to left for Hebrew; the report's own text is in the scenario's (scoring.reports).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from frontend.scorecard_pages import (
    chart_labels,
    component_tiles,
    grade,
    inject_row,
    people_names,
    reply_cards,
    step_row,
    with_role_labels,
)
from scenarios.selectors import version_scenario_and_plan
from scoring import charts
from scoring.models import Report
from scoring.report import STATUS_WORDS
from scoring.services import Debrief


class NoFetching(Exception):
    """The document is self-contained: WeasyPrint may fetch nothing (no file, no URL a text could name)."""


def refuse_fetch(url: str, *args, **kwargs):
    raise NoFetching(url)


def report_pdf(*, drill, report: Report, debrief: Debrief) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only this download needs (and a second of start-up
    # every process and management command would otherwise pay).
    from weasyprint import HTML

    html = render_to_string("frontend/scorecards/report_pdf.html", report_pdf_context(drill, report, debrief))
    return HTML(string=html, url_fetcher=refuse_fetch).write_pdf()


def report_pdf_context(drill, report: Report, debrief: Debrief) -> dict:
    card, events = debrief.card, debrief.events
    labels = chart_labels()
    weights = version_scenario_and_plan(drill.version)[0].scoring.weights
    return {
        "drill": drill,
        "card": card,
        "language": translation.get_language(),
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
        "report": report,
        "improvements": [
            {**row, "status_label": _(STATUS_WORDS.get(row["status"], row["status"]))} for row in report.improvements
        ],
        "overall_grade": grade(card["overall"]),
        "ended": charts.clock_label(card.get("ended_s")),
        "components": component_tiles(card, weights),
        # charts.py escapes every piece of text it writes: the markup is safe to embed as is.
        "timeline_svg": mark_safe(charts.timeline_svg(card, card["notes"], labels)),
        "waits_svg": mark_safe(charts.step_wait_svg(with_role_labels(card), labels)),
        "injects": [inject_row(row) for row in card["injects"]],
        "steps": [step_row(row) for row in card["steps"]],
        "evaluation": card.get("evaluation", []),
        "observations": observation_rows(card),
        "replies": reply_cards(card, events, people_names(drill, events)),
    }


def observation_rows(card: dict) -> list[dict]:
    """The observers' notes in simulated-time order, each with its task's words and the clock it was made at."""
    tasks = {task["key"]: task["task"] for task in card.get("evaluation", [])}
    rows = sorted(card.get("observations", []), key=lambda o: (o["sim_ms"], o["id"]))
    return [{**o, "task_text": tasks.get(o["task"], ""), "at": charts.clock_label(o["sim_ms"] / 1000)} for o in rows]
