"""After-action reports of finished drills (PROTOCOL section 2, `report`): drafted once, then edited by instructors.

The first read writes the draft (scoring.report) in the scenario's language and stores it, so that every reader
sees the same words whatever their own language, and the draft never changes under an instructor's edits.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from accounts.selectors import require_instructor
from config.errors import Conflict
from config.texts import record_language, translated
from drills.models import Drill, DrillStatus
from scenarios.selectors import version_scenario_and_plan
from scoring.models import Report
from scoring.report import STATUS_OPEN, report_draft
from scoring.services import scorecard_for

MSG_REPORT_NOT_FINISHED = gettext_noop("The report is ready once the drill is finished.")


def _require_finished(drill: Drill) -> None:
    if drill.status != DrillStatus.FINISHED:
        raise Conflict(MSG_REPORT_NOT_FINISHED, extra={"status": drill.status})


@transaction.atomic
def report_for(*, drill: Drill) -> Report:
    """The drill's report, drafted from its scorecard on the first read; 409 while the drill is not finished."""
    _require_finished(drill)
    report = Report.objects.filter(drill=drill).first()
    if report is not None:
        return report
    draft = drafted(drill)
    # Two first readers at once: the second one's get_or_create finds the row the first one wrote.
    return Report.objects.get_or_create(drill=drill, defaults=draft)[0]


def drafted(drill: Drill) -> dict:
    """The draft's fields, said in the scenario's language."""
    draft = report_draft(scorecard_for(drill=drill))
    language = version_scenario_and_plan(drill.version)[0].language
    with translation.override(record_language(language)):
        return {
            "summary": " ".join(translated(sentence) for sentence in draft.summary),
            "strengths": [translated(text) for text in draft.strengths],
            "improvements": [
                {"text": translated(text), "owner": "", "due": None, "status": STATUS_OPEN}
                for text in draft.improvements
            ],
        }


@transaction.atomic
def report_update(*, by, drill: Drill, summary: str, strengths: list[str], improvements: list[dict]) -> Report:
    """Replaces the whole report (instructors only, once the drill is finished). `improvements` rows are
    `{text, owner, due, status}` with `due` a date or None."""
    require_instructor(by)
    _require_finished(drill)
    rows = [{**row, "due": row["due"].isoformat() if row["due"] else None} for row in improvements]
    report, _ = Report.objects.update_or_create(
        drill=drill,
        defaults={"summary": summary, "strengths": strengths, "improvements": rows, "updated_by": by},
    )
    return report


def report_data(report: Report) -> dict:
    """The REST shape: `{summary, strengths, improvements, updated_at}`."""
    return {
        "summary": report.summary,
        "strengths": report.strengths,
        "improvements": report.improvements,
        "updated_at": report.updated_at,
    }
