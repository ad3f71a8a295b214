"""The after-action report (PROTOCOL section 2, `report`): its limits and the draft written from a scorecard.

Pure: `report_draft` reads the scorecard dict (section 4) and returns sentences as `Said` texts (English, with their
msgids), so the caller says them once in the scenario's language, as bots do (README "Languages"): the draft is
stored and everybody reads the same words. Improvement rows start `open`, with no owner and no due date.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from config.limits import MAX_NAME_CHARS
from config.texts import Said, said
from scenarios.labels import role_in_message
from scenarios.rubric import FORBIDDEN_MESSAGE, MISSING_MESSAGE, TOO_LONG_MESSAGE
from scoring.charts import clock_label, row_name

# The report's bounds, each used by the REST input, the page and the draft.
MAX_SUMMARY_CHARS = 5000
MAX_STRENGTHS = 100
MAX_IMPROVEMENTS = 100
MAX_ITEM_CHARS = 1000  # one strength, one improvement's text
MAX_OWNER_CHARS = MAX_NAME_CHARS
# An improvement row's status; PROTOCOL's "open / in progress / done".
STATUS_OPEN = "open"
STATUSES = (STATUS_OPEN, "in_progress", "done")
STATUS_WORDS = {
    STATUS_OPEN: gettext_noop("open"),
    "in_progress": gettext_noop("in progress"),
    "done": gettext_noop("done"),
}

MSG_SUMMARY_TOO_LONG = gettext_noop("The summary is at most 5,000 characters.")
MSG_ITEM_TOO_LONG = gettext_noop("A strength or an improvement is at most 1,000 characters.")
MSG_TOO_MANY_STRENGTHS = gettext_noop("A report lists at most 100 strengths.")
MSG_TOO_MANY_IMPROVEMENTS = gettext_noop("A report lists at most 100 improvements.")
MSG_BAD_STATUS = gettext_noop("The status is one of open, in_progress, done.")
MSG_BAD_DUE = gettext_noop("The due date is a date like 2026-12-31, or null.")

# A score's grade: the colour of the scorecard page's tiles and the word of the report's summary.
GOOD_FROM = 80
FAIR_FROM = 50
GRADE_WORDS = {"good": gettext_noop("good"), "fair": gettext_noop("fair"), "poor": gettext_noop("poor")}
COMPONENT_NAMES = {
    "timeliness": gettext_noop("Timeliness"),
    "coverage": gettext_noop("Coverage"),
    "approval_flow": gettext_noop("Approval flow"),
    "quality": gettext_noop("Quality"),
    "first_statement": gettext_noop("First statement"),
    "detection": gettext_noop("Detection"),
}
WEAK_RATINGS = ("M", "U")

MSG_OVERALL = gettext_noop("Overall score: {score} out of 100 ({grade}).")
MSG_NO_OVERALL = gettext_noop("No overall score: the drill gave nothing to measure.")
MSG_COMPONENT = gettext_noop("{component}: {score} ({grade}).")
MSG_REPLIES = gettext_noop("{answered} of {needed} posts that needed a reply got one, {on_time} on time.")
MSG_FIRST_STATEMENT = gettext_noop(
    "The first public statement came {after} after the first post that needed a reply (target {target})."
)
MSG_NO_STATEMENT = gettext_noop("No public statement was published (target {target} after the first post).")
MSG_ON_TIME = gettext_noop("{inject}: answered after {reply}, within its deadline of {deadline}.")
MSG_STEP_WITHIN = gettext_noop("Step {step} ({role}): every decision within its SLA of {sla} (median wait {median}).")
MSG_REPLY_CLEAN = gettext_noop("The reply published at {at} met the whole rubric.")
MSG_TASK_PERFORMED = gettext_noop(
    "Task “{task}”: rated P (performed without challenges) {performed} times, S (some challenges) {some} times."
)
MSG_NO_REPLY = gettext_noop("{inject} (severity {severity}) got no reply; it needed one within {deadline}.")
MSG_LATE = gettext_noop("{inject}: answered after {reply}, past its deadline of {deadline}.")
MSG_STEP_OVER = gettext_noop(
    "Step {step} ({role}) stalled: {share} of decisions within its SLA of {sla}, 90th percentile wait {p90}."
)
MSG_RULE_BROKEN = gettext_noop("The reply published at {at} {rule}.")
MSG_TASK_WEAK = gettext_noop(
    "Task “{task}”: rated M (major challenges) {major} times, U (unable to be performed) {unable} times."
)


@dataclass(frozen=True)
class ReportDraft:
    summary: list[Said]  # sentences, joined by a space
    strengths: list[Said]
    improvements: list[Said]  # each the text of one open row


def grade(value: float | None) -> str:
    """good / fair / poor for a score out of 100; none without one."""
    if value is None:
        return "none"
    return "good" if value >= GOOD_FROM else "fair" if value >= FAIR_FROM else "poor"


def report_draft(card: dict) -> ReportDraft:
    """What went well and what to improve, from a finished drill's scorecard (section 4)."""
    return ReportDraft(
        summary=summary_of(card),
        strengths=(injects_on_time(card) + steps_within(card) + clean_replies(card) + tasks_rated(card, weak=False))[
            :MAX_STRENGTHS
        ],
        improvements=(injects_missed(card) + steps_over(card) + rules_broken(card) + tasks_rated(card, weak=True))[
            :MAX_IMPROVEMENTS
        ],
    )


def summary_of(card: dict) -> list[Said]:
    overall = card.get("overall")
    sentences = [_scored(MSG_OVERALL, overall) if overall is not None else said(MSG_NO_OVERALL)]
    for name, value in card.get("components", {}).items():
        if value is not None:
            sentences.append(_scored(MSG_COMPONENT, value, component=said(COMPONENT_NAMES.get(name, name))))
    needed = [row for row in card.get("injects", []) if row["needs_reply"]]
    if needed:
        answered = sum(row["reply_s"] is not None for row in needed)
        on_time = sum(bool(row["on_time"]) for row in needed)
        sentences.append(said(MSG_REPLIES, answered=answered, needed=len(needed), on_time=on_time))
    return sentences + first_statement_of(card)


def first_statement_of(card: dict) -> list[Said]:
    """When the team first spoke in public, against its target; nothing when no post needed a reply."""
    if card.get("components", {}).get("first_statement") is None:
        return []
    target = clock_label(card["first_statement_target_s"])
    if card["first_statement_s"] is None:
        return [said(MSG_NO_STATEMENT, target=target)]
    return [said(MSG_FIRST_STATEMENT, after=clock_label(card["first_statement_s"]), target=target)]


def _scored(msgid: str, value: float, **values) -> Said:
    return said(msgid, score=f"{value:.1f}", grade=said(GRADE_WORDS[grade(value)]), **values)


def injects_on_time(card: dict) -> list[Said]:
    return [said(MSG_ON_TIME, **_timing(row)) for row in card.get("injects", []) if row["on_time"]]


def injects_missed(card: dict) -> list[Said]:
    """Each post that needed a reply and got none, or got it late, in publication order."""
    missed = []
    for row in card.get("injects", []):
        if not row["needs_reply"] or row["on_time"]:
            continue
        if row["reply_s"] is None:
            missed.append(said(MSG_NO_REPLY, severity=row["severity"], **_timing(row)))
        else:
            missed.append(said(MSG_LATE, **_timing(row)))
    return missed


def _timing(row: dict) -> dict:
    return {"inject": row_name(row), "reply": clock_label(row["reply_s"]), "deadline": clock_label(row["deadline_s"])}


def steps_within(card: dict) -> list[Said]:
    return [
        said(
            MSG_STEP_WITHIN,
            step=row["step"],
            role=role_in_message(row["role"]),
            sla=clock_label(row["sla_s"]),
            median=clock_label(row["median_wait_s"]),
        )
        for row in card.get("steps", [])
        if row["within_sla"] == 1 and row["sla_s"] is not None
    ]


def steps_over(card: dict) -> list[Said]:
    """Each step where some decision waited past its SLA."""
    return [
        said(
            MSG_STEP_OVER,
            step=row["step"],
            role=role_in_message(row["role"]),
            share=f"{round(row['within_sla'] * 100)}%",
            sla=clock_label(row["sla_s"]),
            p90=clock_label(row["p90_wait_s"]),
        )
        for row in card.get("steps", [])
        if row["within_sla"] is not None and row["within_sla"] < 1
    ]


def clean_replies(card: dict) -> list[Said]:
    return [
        said(MSG_REPLY_CLEAN, at=clock_label(reply["published_s"]))
        for reply in card.get("responses", [])
        if reply["rubric"]["score"] == 1
    ]


def rules_broken(card: dict) -> list[Said]:
    """One row per rule each published reply broke: a forbidden phrase, its length, a missing required item."""
    rows = []
    for reply in card.get("responses", []):
        at = clock_label(reply["published_s"])
        rows += [said(MSG_RULE_BROKEN, at=at, rule=rule) for rule in _broken_rules(reply["rubric"], reply["platform"])]
    return rows


def _broken_rules(rubric: dict, platform: str) -> list[Said]:
    rules = [said(FORBIDDEN_MESSAGE, phrase=phrase) for phrase in rubric["forbidden"]]
    if rubric["too_long"]:
        rules.append(
            said(TOO_LONG_MESSAGE, platform=platform, length=rubric["length"], max_length=rubric["max_length"])
        )
    if rubric["missing"]:
        rules.append(said(MISSING_MESSAGE, labels=", ".join(rubric["missing"])))
    return rules


def tasks_rated(card: dict, *, weak: bool) -> list[Said]:
    """Observers' ratings (the scorecard's `evaluation`): a task rated M or U at least once is an improvement, a
    task rated only P or S a strength, a task nobody rated neither."""
    rows = []
    for task in card.get("evaluation", []):
        ratings = {rating: task.get("ratings", {}).get(rating, 0) for rating in ("P", "S", "M", "U")}
        if not any(ratings.values()) or any(ratings[r] for r in WEAK_RATINGS) != weak:
            continue
        if weak:
            rows.append(said(MSG_TASK_WEAK, task=task["task"], major=ratings["M"], unable=ratings["U"]))
        else:
            rows.append(said(MSG_TASK_PERFORMED, task=task["task"], performed=ratings["P"], some=ratings["S"]))
    return rows
