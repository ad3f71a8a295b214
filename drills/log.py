"""The drill event log as plain data, for the pure cores (engine, scoring) that read it."""

from __future__ import annotations

from dataclasses import dataclass, field

DRILL_STARTED = "drill.started"
DRILL_PAUSED = "drill.paused"
DRILL_RESUMED = "drill.resumed"
DRILL_FINISHED = "drill.finished"
DRILL_SPEED = "drill.speed"
INJECT_PUBLISHED = "inject.published"
RESPONSE_DRAFTED = "response.drafted"
RESPONSE_EDITED = "response.edited"
RESPONSE_SUBMITTED = "response.submitted"
APPROVAL_APPROVED = "approval.approved"
APPROVAL_REJECTED = "approval.rejected"
RESPONSE_PUBLISHED = "response.published"
HEAT = "heat"
SEAT_JOINED = "seat.joined"
SEAT_LEFT = "seat.left"


@dataclass(frozen=True)
class LoggedEvent:
    seq: int
    kind: str
    sim_ms: int
    data: dict = field(default_factory=dict)
