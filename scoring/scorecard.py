"""The scorecard of a drill (PROTOCOL section 4), computed from its event log alone.

Pure: it reads `LoggedEvent`s and the `Scenario`, never the database or a clock, so a scorecard can be
recomputed at any time and always gives the same answer. Timings are kept in simulated milliseconds and
only turned into rounded seconds for the output, so "on time" never depends on rounding.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from drills import log
from scenarios.reactions import reaction_kind
from scenarios.rubric import check_reply
from scenarios.spec import BACKLASH, SUPPORT, Scenario, Scoring, Step
from scoring.detection import detection, inject_flag_fields, participant_flag_fields, read_flags
from scoring.replies import TemplateUse, first_statement, first_statement_ms, reply_rows, written_by_team

DECISION_KINDS = (log.APPROVAL_APPROVED, log.APPROVAL_REJECTED)


@dataclass(frozen=True)
class Participant:
    user_id: int
    username: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class InjectTiming:
    id: int
    key: str
    burst_index: int | None
    severity: int
    needs_reply: bool
    published_ms: int
    planned_ms: int | None
    deadline_ms: int | None  # relative to publication; None when no reply is needed
    first_draft_ms: int | None  # relative to publication
    reply_ms: int | None  # relative to publication

    @property
    def on_time(self) -> bool | None:
        if not self.needs_reply:
            return None
        if self.reply_ms is None:
            return False
        return self.deadline_ms is None or self.reply_ms <= self.deadline_ms

    def as_row(self) -> dict:
        return {
            "id": self.id,
            "key": self.key,
            "burst_index": self.burst_index,
            "severity": self.severity,
            "needs_reply": self.needs_reply,
            "published_s": _seconds(self.published_ms),
            "first_draft_s": _seconds(self.first_draft_ms),
            "reply_s": _seconds(self.reply_ms),
            "deadline_s": _seconds(self.deadline_ms),
            "on_time": self.on_time,
            "planned_s": _seconds(self.planned_ms),
            "late_s": None if self.planned_ms is None else _seconds(self.published_ms - self.planned_ms),
        }


@dataclass(frozen=True)
class Decision:
    response: int
    step: int
    by: int | None  # None for a bot
    rejected: bool
    wait_ms: int | None  # None when the log never shows the response reaching the step


def compute_scorecard(
    *,
    scenario: Scenario,
    events: Sequence[log.LoggedEvent],
    participants: Sequence[Participant],
    templates: Mapping[int, TemplateUse] | None = None,
) -> dict:
    """Section 4 without the "drill" and "scenario" keys (the caller knows them), plus "responses".

    `templates`: response id -> the template that reply was started from, for the replies that had one.
    """
    templates = templates or {}
    counted = events_until_finished(events)
    injects = inject_timings(counted)
    responses = published_responses(counted, scenario.scoring)
    decisions = approval_decisions(counted)
    flags = read_flags(scenario, counted)
    finished = any(event.kind == log.DRILL_FINISHED for event in counted)
    components = {
        "timeliness": timeliness(injects),
        "coverage": coverage(injects),
        "approval_flow": approval_flow(decisions, scenario.chain),
        "quality": quality(responses),
        "first_statement": first_statement(counted, scenario.first_statement_target_ms()),
        "detection": detection(scenario, counted, flags),
    }
    return {
        "finished": finished,
        "overall": _score(overall(components, scenario.scoring.weights)),
        "components": {name: _score(value) for name, value in components.items()},
        "first_statement_s": _seconds(first_statement_ms(counted)),
        "first_statement_target_s": _seconds(scenario.first_statement_target_ms()),
        "injects": [
            {**inject.as_row(), **inject_flag_fields(inject.id, inject.published_ms, flags, finished=finished)}
            for inject in injects
        ],
        "steps": step_rows(decisions, scenario.chain),
        "participants": [
            {**row, **participant_flag_fields(person.user_id, flags)}
            for person, row in zip(participants, participant_rows(participants, counted, decisions), strict=True)
        ],
        "heat": [[_seconds(e.sim_ms), e.data["heat"]] for e in counted if e.kind == log.HEAT],
        "responses": responses,
        "replies": reply_rows(responses, counted, templates),
        "written_by_team": written_by_team(responses, templates),
        "reactions": reaction_counts(scenario, counted),
    }


def reaction_counts(scenario: Scenario, events: Sequence[log.LoggedEvent]) -> dict[str, int]:
    """Section 4's `reactions`: how many published replies set off a backlash and how many support (none without
    the scenario's `reactions`), by the same rubric test as the engine."""
    counts = {BACKLASH: 0, SUPPORT: 0}
    for event in events:
        if event.kind == log.RESPONSE_PUBLISHED:
            kind = reaction_kind(scenario, event.data.get("text") or "", event.data.get("platform") or "")
            if kind is not None:
                counts[kind] += 1
    return counts


def events_until_finished(events: Iterable[log.LoggedEvent]) -> list[log.LoggedEvent]:
    """The events in seq order up to and including the first drill.finished: later ones never count."""
    counted = []
    for event in sorted(events, key=lambda e: e.seq):
        counted.append(event)
        if event.kind == log.DRILL_FINISHED:
            break
    return counted


def inject_timings(events: Sequence[log.LoggedEvent]) -> list[InjectTiming]:
    """One timing per scored inject, ordered by publication time then id (not by log position)."""
    first_draft = _first_ms_by_inject(events, log.RESPONSE_DRAFTED)
    first_reply = _first_ms_by_inject(events, log.RESPONSE_PUBLISHED)
    timings = [
        _inject_timing(event, first_draft.get(event.data["id"]), first_reply.get(event.data["id"]))
        for event in events
        if event.kind == log.INJECT_PUBLISHED and _is_scored(event.data)
    ]
    # Injects published in the same simulated millisecond may be logged in either order.
    return sorted(timings, key=lambda t: (t.published_ms, t.id))


def _is_scored(data: dict) -> bool:
    # A burst is a crowd: its items that need no reply would drown the rows that matter.
    return data.get("burst_index") is None or bool(data["requires_response"])


def _inject_timing(event: log.LoggedEvent, draft_ms: int | None, reply_ms: int | None) -> InjectTiming:
    data = event.data
    needs_reply = bool(data["requires_response"])
    respond_by_ms = data.get("respond_by_ms")
    return InjectTiming(
        id=data["id"],
        key=data["key"],
        burst_index=data.get("burst_index"),
        severity=data["severity"],
        needs_reply=needs_reply,
        published_ms=event.sim_ms,
        planned_ms=data.get("planned_ms"),
        deadline_ms=respond_by_ms - event.sim_ms if needs_reply and respond_by_ms is not None else None,
        first_draft_ms=_since(draft_ms, event.sim_ms),
        reply_ms=_since(reply_ms, event.sim_ms),
    )


def _first_ms_by_inject(events: Sequence[log.LoggedEvent], kind: str) -> dict[int, int]:
    first: dict[int, int] = {}
    for event in events:
        if event.kind != kind:
            continue
        for inject_id in event.data.get("reply_to", ()):
            first[inject_id] = min(first.get(inject_id, event.sim_ms), event.sim_ms)
    return first


def _since(at_ms: int | None, start_ms: int) -> int | None:
    return None if at_ms is None else at_ms - start_ms


def published_responses(events: Sequence[log.LoggedEvent], scoring: Scoring) -> list[dict]:
    """One row per published response with its rubric, ordered by publication time then id."""
    rows: dict[int, dict] = {}
    for event in events:
        if event.kind != log.RESPONSE_PUBLISHED or event.data["response"] in rows:
            continue
        data = event.data
        rows[data["response"]] = {
            "response": data["response"],
            "reply_to": list(data["reply_to"]),
            "text": data["text"],
            "platform": data["platform"],
            "published_s": _seconds(event.sim_ms),
            "rubric": check_reply(data["text"], data["platform"], scoring).as_dict(),
        }
    return sorted(rows.values(), key=lambda row: (row["published_s"], row["response"]))


def approval_decisions(events: Sequence[log.LoggedEvent]) -> list[Decision]:
    """Every approval decision with its wait since the response reached that step."""
    arrived_ms: dict[tuple[int, int], int] = {}  # (response, step) -> when it started waiting there
    decisions = []
    for event in events:
        data = event.data
        if event.kind == log.RESPONSE_SUBMITTED:
            arrived_ms[(data["response"], data["step"])] = event.sim_ms
        if event.kind not in DECISION_KINDS:
            continue
        # pop: after a rejection the response waits at step 1 again only once it is resubmitted.
        decisions.append(_decision(event, arrived_ms.pop((data["response"], data["step"]), None)))
        if event.kind == log.APPROVAL_APPROVED:
            arrived_ms[(data["response"], data["step"] + 1)] = event.sim_ms
    return decisions


def _decision(event: log.LoggedEvent, arrived_ms: int | None) -> Decision:
    return Decision(
        response=event.data["response"],
        step=event.data["step"],
        by=event.data.get("by"),
        rejected=event.kind == log.APPROVAL_REJECTED,
        wait_ms=None if arrived_ms is None else event.sim_ms - arrived_ms,
    )


def timeliness(injects: Sequence[InjectTiming]) -> float | None:
    """Severity-weighted mean of each needed reply's promptness x 100; None if no reply is needed."""
    needed = [inject for inject in injects if inject.needs_reply]
    return _weighted_percent([(_promptness(inject), inject.severity) for inject in needed])


def _promptness(inject: InjectTiming) -> float:
    if inject.reply_ms is None:
        return 0.0
    if inject.deadline_ms is None or inject.reply_ms <= inject.deadline_ms:
        return 1.0
    if inject.deadline_ms <= 0:
        return 0.0  # no time was given at all: any delay is fully late
    return max(0.0, 1 - (inject.reply_ms - inject.deadline_ms) / inject.deadline_ms)


def coverage(injects: Sequence[InjectTiming]) -> float | None:
    """Share of the severity of injects needing a reply that got one x 100; None if none is needed."""
    needed = [inject for inject in injects if inject.needs_reply]
    return _weighted_percent([(float(inject.reply_ms is not None), inject.severity) for inject in needed])


def _weighted_percent(values: Sequence[tuple[float, float]]) -> float | None:
    total = sum(weight for _, weight in values)
    if total <= 0:
        return None
    return 100 * sum(value * weight for value, weight in values) / total


def approval_flow(decisions: Sequence[Decision], chain: Sequence[Step]) -> float | None:
    """Share of timed decisions made within their step's SLA x 100; None without any."""
    timed = [d for d in decisions if d.wait_ms is not None and 1 <= d.step < len(chain)]
    if not timed:
        return None
    return 100 * sum(_within_sla(d.wait_ms, chain[d.step]) for d in timed) / len(timed)


def _within_sla(wait_ms: int, step: Step) -> bool:
    return step.sla_ms is None or wait_ms <= step.sla_ms


def quality(responses: Sequence[dict]) -> float | None:
    """Mean rubric score of the published responses x 100; None without any."""
    if not responses:
        return None
    return 100 * sum(row["rubric"]["score"] for row in responses) / len(responses)


def overall(components: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """Weighted mean of the measured components; unmeasured ones drop out with their weight."""
    measured = [(value, weights.get(name, 0)) for name, value in components.items() if value is not None]
    total = sum(weight for _, weight in measured)
    if total <= 0:
        return None
    return sum(value * weight for value, weight in measured) / total


def step_rows(decisions: Sequence[Decision], chain: Sequence[Step]) -> list[dict]:
    """One row per deciding step (1..n-1) of the chain with its wait statistics."""
    return [_step_row(index, chain[index], decisions) for index in range(1, len(chain))]


def _step_row(index: int, step: Step, decisions: Sequence[Decision]) -> dict:
    at_step = [d for d in decisions if d.step == index]
    waits_ms = sorted(d.wait_ms for d in at_step if d.wait_ms is not None)
    within = [_within_sla(wait_ms, step) for wait_ms in waits_ms]
    return {
        "step": index,
        "role": step.role,
        "decisions": len(at_step),
        "rejections": sum(d.rejected for d in at_step),
        "median_wait_s": _seconds(statistics.median(waits_ms)) if waits_ms else None,
        "p90_wait_s": _seconds(percentile(waits_ms, 0.9)) if waits_ms else None,
        "sla_s": _seconds(step.sla_ms),
        "within_sla": round(sum(within) / len(within), 3) if within else None,
    }


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy.percentile's default "linear" method)."""
    position = (len(sorted_values) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (position - low) * (sorted_values[high] - sorted_values[low])


def participant_rows(
    participants: Sequence[Participant], events: Sequence[log.LoggedEvent], decisions: Sequence[Decision]
) -> list[dict]:
    """One row per participant, in the given order, counting their drafts, decisions and team channel messages."""
    return [_participant_row(person, events, decisions) for person in participants]


def _participant_row(person: Participant, events: Sequence[log.LoggedEvent], decisions: Sequence[Decision]) -> dict:
    theirs = [d for d in decisions if d.by == person.user_id]
    drafts = [e for e in events if e.kind == log.RESPONSE_DRAFTED and e.data.get("author") == person.user_id]
    messages = [e for e in events if e.kind == log.TEAM_MESSAGE and e.data.get("by") == person.user_id]
    return {
        "user": person.username,
        "roles": list(person.roles),
        "drafts": len(drafts),
        "approvals": sum(not d.rejected for d in theirs),
        "rejections": sum(d.rejected for d in theirs),
        "messages": len(messages),
    }


def _seconds(ms: float | None) -> float | None:
    return None if ms is None else round(ms / 1000, 3)


def _score(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
