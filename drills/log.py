"""The drill event log as plain data, for the pure cores (engine, scoring) that read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from scenarios.plan import PlannedItem, item_data

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
TEAM_MESSAGE = "team.message"
INJECT_FLAGGED = "inject.flagged"
ENGAGEMENT = "engagement"


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    seq: int
    kind: str
    sim_ms: int
    data: dict = field(default_factory=dict)


def inject_published_data(item: PlannedItem, *, planned_ms: int, now_ms: int, manual: bool) -> dict:
    """`inject.published`'s data for `item` published at `now_ms`, as the engine and a manual inject both log it;
    its `id` comes from its PublishedInject row."""
    return {**item_data(item, planned_ms=planned_ms, shown_ms=now_ms), "manual": manual}


def inject_flagged_data(*, inject_id: int, by: int, note: str) -> dict:
    """`inject.flagged`'s data (PROTOCOL.md section 3): the note is null when the flag has none."""
    return {"inject": inject_id, "by": by, "note": note or None}


def engagement_data(changed: list[tuple[bool, int, object]]) -> dict:
    """`engagement`'s data (PROTOCOL section 3): `(is_reply, id, counters)` of the posts and replies whose
    counters changed, each with its likes, shares and views."""
    data: dict = {"posts": [], "replies": []}
    for is_reply, ref, counts in changed:
        entry = {"likes": counts.likes, "shares": counts.shares, "views": counts.views}
        if is_reply:
            data["replies"].append({"response": ref, **entry})
        else:
            data["posts"].append({"inject": ref, **entry})
    return data
