"""What an engine step tells the drivers, and when a drill whose step failed is tried again."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple


class Stepped(NamedTuple):
    """What a driver learns from a batch: each stepped drill's next due moment (None once it stopped running;
    drills not running are left out) and the drills whose step failed, to retry later (`retry_delay_s`)."""

    next_due: dict[int, datetime | None]
    failed: set[int]


# A failing step (a bug in one drill's data, a database error) is retried after 1, 2, 4 ... s, at most 30 s
# apart (a Celery countdown stays within MAX_CELERY_SLEEP_S): soon enough for a passing fault, rarely enough
# that a drill that always fails costs the others next to nothing.
RETRY_FIRST_S = 1.0
RETRY_MAX_S = 30.0


def retry_delay_s(failures: int) -> float:
    """Seconds before the next try of a drill whose step has failed `failures` times in a row (at least 1)."""
    return min(RETRY_FIRST_S * 2 ** (max(failures, 1) - 1), RETRY_MAX_S)
