"""Weak signals and flags in the scorecard (PROTOCOL sections 1.5 and 4): the `detection` component, the per-inject
`flag_s`, `flags` and `signal`, and the per-participant `flags` and `false_flags`.

Pure like scoring.scorecard: it reads the log and the scenario. Which posts were signals comes from the scenario
(a published inject's key names its spec inject), never from the log, which participants see during the drill.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from drills import log
from scenarios.spec import Scenario


@dataclass(frozen=True)
class Flags:
    """The flags of a log, read once: who flagged which post, and which published posts were signals."""

    first_ms: dict[int, int]  # inject id -> simulated time of its first flag
    count: dict[int, int]  # inject id -> how many flags it got
    by_user: dict[int, list[int]]  # user id -> the inject ids they flagged
    signals: frozenset[int]  # ids of the published injects the scenario marks `signal: true`


def read_flags(scenario: Scenario, events: Sequence[log.LoggedEvent]) -> Flags:
    signal_keys = set(scenario.signal_keys)
    first_ms: dict[int, int] = {}
    count: dict[int, int] = {}
    by_user: dict[int, list[int]] = {}
    signals = set()
    for event in events:
        data = event.data
        if event.kind == log.INJECT_PUBLISHED and data.get("burst_index") is None and data["key"] in signal_keys:
            signals.add(data["id"])
        if event.kind != log.INJECT_FLAGGED:
            continue
        first_ms.setdefault(data["inject"], event.sim_ms)
        count[data["inject"]] = count.get(data["inject"], 0) + 1
        by_user.setdefault(data["by"], []).append(data["inject"])
    return Flags(first_ms=first_ms, count=count, by_user=by_user, signals=frozenset(signals))


def detection(scenario: Scenario, events: Sequence[log.LoggedEvent], flags: Flags) -> float | None:
    """Severity-weighted mean of each published signal's flag promptness x 100; None if no signal was published."""
    values = []
    for event in events:
        if event.kind == log.INJECT_PUBLISHED and event.data["id"] in flags.signals:
            deadline_ms = scenario.deadline_ms(scenario.inject(event.data["key"]))
            flagged_ms = flags.first_ms.get(event.data["id"])
            flag_ms = None if flagged_ms is None else flagged_ms - event.sim_ms
            values.append((promptness(flag_ms, deadline_ms), event.data["severity"]))
    total = sum(weight for _, weight in values)
    if total <= 0:
        return None
    return 100 * sum(value * weight for value, weight in values) / total


def promptness(elapsed_ms: int | None, deadline_ms: int) -> float:
    """Section 4's 1 / partial / 0 rule against a positive deadline (detection and first_statement): 1 on time,
    falling linearly to 0 at twice the deadline, 0 if it never happened."""
    if elapsed_ms is None:
        return 0.0
    if elapsed_ms <= deadline_ms:
        return 1.0
    return max(0.0, 1 - (elapsed_ms - deadline_ms) / deadline_ms)


def inject_flag_fields(inject_id: int, published_ms: int, flags: Flags, *, finished: bool) -> dict:
    """An inject row's flag fields; `signal` is null until the drill is finished (it is a secret while it runs)."""
    first_ms = flags.first_ms.get(inject_id)
    return {
        "flag_s": None if first_ms is None else round((first_ms - published_ms) / 1000, 3),
        "flags": flags.count.get(inject_id, 0),
        "signal": (inject_id in flags.signals) if finished else None,
    }


def participant_flag_fields(user_id: int, flags: Flags) -> dict:
    flagged = flags.by_user.get(user_id, [])
    return {"flags": len(flagged), "false_flags": sum(inject not in flags.signals for inject in flagged)}
