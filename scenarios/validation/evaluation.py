"""The `evaluation` section (PROTOCOL.md 1.6): the tasks observers rate, each with a unique key."""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

from scenarios.spec import Task
from scenarios.validation.fields import MISSING, Report, field, mapping, sequence, text, unique
from scenarios.validation.issues import index_path, key_path

MAX_TASK_KEY_CHARS = 50
MAX_TASK_CHARS = 300
MAX_CAPABILITY_CHARS = 100
MSG_TASK_KEY = gettext_noop("must use only a-z, 0-9 and - (at most 50 characters)")
MSG_TASK_TOO_LONG = gettext_noop("must be at most 300 characters")
MSG_CAPABILITY_TOO_LONG = gettext_noop("must be at most 100 characters")
_TASK_KEY = re.compile(rf"[a-z0-9-]{{1,{MAX_TASK_KEY_CHARS}}}")


def check_evaluation(report: Report, value: object) -> tuple[Task, ...]:
    """The tasks of `evaluation` (none when it is absent); every problem reported with its path."""
    if value is MISSING:
        return ()
    items = sequence(report, value, "evaluation") or []
    tasks, seen = [], {}
    for index, raw in enumerate(items):
        path = index_path("evaluation", index)
        m = mapping(report, raw, path, required=("key", "task"), optional=("capability",))
        if m is None:
            continue
        key = text(report, field(m, "key"), key_path(path, "key"), pattern=_TASK_KEY, pattern_message=MSG_TASK_KEY)
        unique(report, key, key_path(path, "key"), seen)
        task = text(report, field(m, "task"), key_path(path, "task"), limit=(MAX_TASK_CHARS, MSG_TASK_TOO_LONG))
        capability = text(
            report,
            field(m, "capability"),
            key_path(path, "capability"),
            multiline=False,
            limit=(MAX_CAPABILITY_CHARS, MSG_CAPABILITY_TOO_LONG),
        )
        tasks.append(Task(key=key, task=task, capability=capability))
    return tuple(tasks)
