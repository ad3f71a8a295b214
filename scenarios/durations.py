"""Durations of the crisisdrill/v1 format ("45s", "1h30m", "90", "0:05:00") as simulated milliseconds.

`parse_duration` reads what authors write; `format_duration` writes a value back in the shortest of
those forms, for messages and exports.
"""

from __future__ import annotations

import math
import re

from django.utils.translation import gettext_noop

# A drill longer than a week is a mistake, and the cap keeps every duration far inside the integer
# columns and JavaScript numbers that carry simulated milliseconds downstream.
MAX_DURATION_MS = 7 * 24 * 3_600_000

MSG_DURATION = gettext_noop("must be a duration such as 45s, 5m, 1h30m, 90 (seconds) or 0:05:00")
MSG_DURATION_NEGATIVE = gettext_noop("must not be negative")
MSG_DURATION_TOO_LONG = gettext_noop("must be at most 7 days (168h)")

# Digit groups are bounded so a hostile string can never reach int()'s 4300-digit limit.
_UNITS = re.compile(r"(?:(?P<h>\d{1,9})\s*h)?\s*(?:(?P<m>\d{1,9})\s*m)?\s*(?:(?P<s>\d{1,9}(?:\.\d{1,3})?)\s*s)?")
_SECONDS = re.compile(r"\d{1,12}(?:\.\d{1,3})?")
_CLOCK = re.compile(r"(?:(?P<h>\d{1,6}):(?P<m>[0-5]\d)|(?P<mm>\d{1,6})):(?P<s>[0-5]\d)")


def parse_duration(value: object) -> int:
    """Milliseconds for a duration; ValueError with a message fit for the author otherwise."""
    if isinstance(value, bool):  # bool is an int to Python, never a duration to an author
        raise ValueError(MSG_DURATION)
    if isinstance(value, int | float):
        return _checked(_seconds_to_ms(value))
    if not isinstance(value, str):
        raise ValueError(MSG_DURATION)
    return _checked(_parse_text(value.strip()))


def _seconds_to_ms(seconds: float) -> int:
    if isinstance(seconds, float) and not math.isfinite(seconds):
        raise ValueError(MSG_DURATION)
    if seconds < 0:
        raise ValueError(MSG_DURATION_NEGATIVE)
    if seconds > MAX_DURATION_MS:  # checked before the multiplication so huge ints stay cheap
        raise ValueError(MSG_DURATION_TOO_LONG)
    return round(seconds * 1000)


def _parse_text(text: str) -> int:
    if text.startswith("-"):
        raise ValueError(MSG_DURATION_NEGATIVE)
    if _SECONDS.fullmatch(text):
        return _seconds_to_ms(float(text))
    clock = _CLOCK.fullmatch(text)
    if clock:
        minutes = int(clock["m"] or clock["mm"])
        return (int(clock["h"] or 0) * 3600 + minutes * 60 + int(clock["s"])) * 1000
    units = _UNITS.fullmatch(text)
    if text and units:
        hours, minutes = int(units["h"] or 0), int(units["m"] or 0)
        return (hours * 3600 + minutes * 60) * 1000 + round(float(units["s"] or 0) * 1000)
    raise ValueError(MSG_DURATION)


def _checked(ms: int) -> int:
    if ms > MAX_DURATION_MS:
        raise ValueError(MSG_DURATION_TOO_LONG)
    return ms


def format_duration(ms: int) -> str:
    """The shortest unit form of `ms`, e.g. 5400000 -> "1h30m", 1500 -> "1.5s", 0 -> "0s"."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds = f"{rest // 1000}.{rest % 1000:03d}".rstrip("0").rstrip(".") if rest % 1000 else str(rest // 1000)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "", f"{seconds}s" if rest else ""]
    return "".join(parts) or "0s"
