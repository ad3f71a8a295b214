"""The scorecard's `evaluation` (PROTOCOL.md section 4): each task's ratings counted from the observations.

Pure, like the rest of scoring: the scoring service reads the observations and passes them in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scenarios.spec import Task

RATINGS = ("P", "S", "M", "U")


def evaluation_rows(tasks: Sequence[Task], observations: Iterable[dict]) -> list[dict]:
    """One row per task, in the scenario's order: `{key, task, capability, ratings: {P, S, M, U}, observations}`,
    `observations` counting every observation about the task, rated or not."""
    rows = {
        t.key: {
            "key": t.key,
            "task": t.task,
            "capability": t.capability,
            "ratings": dict.fromkeys(RATINGS, 0),
            "observations": 0,
        }
        for t in tasks
    }
    for observation in observations:
        row = rows.get(observation["task"])
        if row is None:  # about no task
            continue
        row["observations"] += 1
        if observation["rating"] in RATINGS:
            row["ratings"][observation["rating"]] += 1
    return list(rows.values())
