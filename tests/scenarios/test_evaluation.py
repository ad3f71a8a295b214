"""The `evaluation` section (PROTOCOL.md 1.6): the tasks observers rate, checked like the rest of the document."""

import pytest

from scenarios.spec import Task
from scenarios.validation import (
    MSG_BAD_CHARACTERS,
    MSG_BLANK,
    MSG_DUPLICATE,
    MSG_NOT_LIST,
    MSG_NOT_MAPPING,
    MSG_REQUIRED,
    MSG_UNKNOWN_KEY,
    validate,
)
from scenarios.validation.evaluation import MSG_CAPABILITY_TOO_LONG, MSG_TASK_KEY, MSG_TASK_TOO_LONG

TASKS = [
    {"key": "acknowledge", "task": "Acknowledge the outage within 15 minutes", "capability": "Public information"},
    {"key": "legal-check", "task": "Have legal review every statement"},
]


def test_tasks_become_part_of_the_scenario(doc):
    result = validate({**doc, "evaluation": TASKS})

    assert result.valid, result.errors
    assert result.scenario.evaluation == (
        Task("acknowledge", "Acknowledge the outage within 15 minutes", "Public information"),
        Task("legal-check", "Have legal review every statement", None),
    )


def test_without_the_section_there_are_no_tasks(doc):
    assert validate(doc).scenario.evaluation == ()


@pytest.mark.parametrize(
    ("evaluation", "path", "message"),
    [
        ({"key": "a"}, "evaluation", MSG_NOT_LIST),
        (["a"], "evaluation[0]", MSG_NOT_MAPPING),
        ([{"task": "x"}], "evaluation[0].key", MSG_REQUIRED),
        ([{"key": "a"}], "evaluation[0].task", MSG_REQUIRED),
        ([{"key": "A b", "task": "x"}], "evaluation[0].key", MSG_TASK_KEY),
        ([{"key": "a" * 51, "task": "x"}], "evaluation[0].key", MSG_TASK_KEY),
        ([{"key": "a", "task": "x" * 301}], "evaluation[0].task", MSG_TASK_TOO_LONG),
        ([{"key": "a", "task": "  "}], "evaluation[0].task", MSG_BLANK),
        ([{"key": "a", "task": "x\x00"}], "evaluation[0].task", MSG_BAD_CHARACTERS),
        ([{"key": "a", "task": "x", "capability": "c" * 101}], "evaluation[0].capability", MSG_CAPABILITY_TOO_LONG),
        ([{"key": "a", "task": "x", "capability": "two\nlines"}], "evaluation[0].capability", MSG_BAD_CHARACTERS),
        ([{"key": "a", "task": "x", "rating": "P"}], "evaluation[0].rating", MSG_UNKNOWN_KEY),
        (
            [{"key": "a", "task": "x"}, {"key": "a", "task": "y"}],
            "evaluation[1].key",
            MSG_DUPLICATE.format(path="evaluation[0].key"),
        ),
    ],
)
def test_each_mistake_is_reported_at_its_path(doc, evaluation, path, message):
    result = validate({**doc, "evaluation": evaluation})

    assert (path, message) in {(issue.path, issue.message) for issue in result.errors}
    assert result.scenario is None


def test_the_longest_allowed_values_pass(doc):
    task = {"key": "a" * 50, "task": "x" * 300, "capability": "c" * 100}

    assert validate({**doc, "evaluation": [task]}).valid
