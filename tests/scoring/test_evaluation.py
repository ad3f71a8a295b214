"""The scorecard's `evaluation`: ratings per task counted from the observations passed in (pure)."""

from scenarios.spec import Task
from scoring.evaluation import evaluation_rows

TASKS = (Task("acknowledge", "Acknowledge the outage", "Public information"), Task("legal", "Legal review"))


def seen(task, rating):
    return {"task": task, "rating": rating, "text": "..."}


def test_each_task_counts_its_ratings_and_observations():
    rows = evaluation_rows(
        TASKS,
        [
            *(seen("acknowledge", "P"), seen("acknowledge", "P"), seen("acknowledge", "S"), seen("legal", "U")),
            *(seen("acknowledge", None), seen(None, "M"), seen("gone", "P")),
        ],
    )

    assert rows == [
        {
            "key": "acknowledge",
            "task": "Acknowledge the outage",
            "capability": "Public information",
            "ratings": {"P": 2, "S": 1, "M": 0, "U": 0},
            "observations": 4,
        },
        {
            "key": "legal",
            "task": "Legal review",
            "capability": None,
            "ratings": {"P": 0, "S": 0, "M": 0, "U": 1},
            "observations": 1,
        },
    ]


def test_a_task_nobody_observed_has_zero_counts_and_no_tasks_no_rows():
    assert evaluation_rows(TASKS[1:], [])[0]["ratings"] == {"P": 0, "S": 0, "M": 0, "U": 0}
    assert evaluation_rows((), [seen("acknowledge", "P")]) == []
