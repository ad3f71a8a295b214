"""Typed readers for document values.

Each reader takes a raw value (or MISSING) and its path, reports what is wrong with it and returns
the value, or None when it is missing or wrong, so a check can go on and report every error at once.
"""

from __future__ import annotations

import math
import re

from config.limits import MSG_BAD_CHARACTERS, has_bad_characters
from config.texts import said
from scenarios.durations import parse_duration
from scenarios.textgen import BRAND_FIELDS, PERSONA_FIELDS, faker_methods, parse_template
from scenarios.validation.issues import Issue, key_path
from scenarios.validation.limits import MAX_SAFE_INT, MAX_TEXT_CHARS, MSG_TEXT_TOO_LONG
from scenarios.validation.messages import (
    MSG_BLANK,
    MSG_DUPLICATE,
    MSG_INT_RANGE,
    MSG_NOT_BOOL,
    MSG_NOT_INTEGER,
    MSG_NOT_LIST,
    MSG_NOT_MAPPING,
    MSG_NOT_NUMBER,
    MSG_NOT_STRING,
    MSG_NUMBER_RANGE,
    MSG_PERSONA_IN_PERSONA,
    MSG_POSITIVE,
    MSG_REQUIRED,
    MSG_STRAY_BRACE,
    MSG_UNKNOWN_KEY,
    MSG_UNKNOWN_PLACEHOLDER,
)

MISSING = object()


class Report:
    def __init__(self) -> None:
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(Issue(path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(Issue(path, message))


def field(mapping: dict | None, key: str) -> object:
    return MISSING if mapping is None else mapping.get(key, MISSING)


def mapping(report: Report, value: object, path: str, *, required: tuple = (), optional: tuple = ()) -> dict | None:
    if value is MISSING:
        return None
    if not isinstance(value, dict):
        report.error(path, MSG_NOT_MAPPING)
        return None
    known = (*required, *optional)
    for key in value:
        if key not in known:
            report.error(key_path(path, key), MSG_UNKNOWN_KEY)
    for key in required:
        if key not in value:
            report.error(key_path(path, key), MSG_REQUIRED)
    return value


def sequence(report: Report, value: object, path: str) -> list | None:
    if value is MISSING:
        return None
    if not isinstance(value, list):
        report.error(path, MSG_NOT_LIST)
        return None
    return value


def text(
    report: Report,
    value: object,
    path: str,
    *,
    blank_ok: bool = False,
    multiline: bool = True,
    limit: tuple[int, str] | None = None,
    pattern: re.Pattern | None = None,
    pattern_message: str = "",
) -> str | None:
    if value is MISSING:
        return None
    problem = None
    if not isinstance(value, str):
        problem = MSG_NOT_STRING
    elif has_bad_characters(value, multiline=multiline):
        problem = MSG_BAD_CHARACTERS
    elif not blank_ok and not value.strip():
        problem = MSG_BLANK
    elif limit is not None and len(value) > limit[0]:
        problem = limit[1]
    elif pattern is not None and not pattern.fullmatch(value):
        problem = pattern_message
    if problem:
        report.error(path, problem)
        return None
    return value


def integer(report: Report, value: object, path: str, *, low: int, high: int = MAX_SAFE_INT) -> int | None:
    if value is MISSING:
        return None
    if isinstance(value, bool) or not isinstance(value, int):  # bool is an int to Python, not to authors
        report.error(path, MSG_NOT_INTEGER)
        return None
    if not low <= value <= high:
        report.error(path, said(MSG_INT_RANGE, low=low, high=high))
        return None
    return value


def number(report: Report, value: object, path: str, *, low: float, high: float) -> float | None:
    if value is MISSING:
        return None
    finite = isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
    if isinstance(value, bool) or not finite:
        report.error(path, MSG_NOT_NUMBER)
        return None
    if not low <= value <= high:
        report.error(path, said(MSG_NUMBER_RANGE, low=low, high=high))
        return None
    return float(value)


def boolean(report: Report, value: object, path: str) -> bool | None:
    if value is MISSING:
        return None
    if not isinstance(value, bool):
        report.error(path, MSG_NOT_BOOL)
        return None
    return value


def duration(report: Report, value: object, path: str, *, positive: bool = True) -> int | None:
    if value is MISSING:
        return None
    try:
        ms = parse_duration(value)
    except ValueError as exc:
        report.error(path, str(exc))
        return None
    if positive and ms == 0:
        report.error(path, MSG_POSITIVE)
        return None
    return ms


def required(report: Report, value: object, path: str) -> bool:
    """For keys whose need depends on other keys (a non-burst inject's persona and text)."""
    if value is MISSING:
        report.error(path, MSG_REQUIRED)
        return False
    return True


def unique(report: Report, value: object, path: str, seen: dict) -> None:
    """Report `value` if an earlier entry had it; `seen` maps values to their first path."""
    if value is None:
        return
    if value in seen:
        report.error(path, said(MSG_DUPLICATE, path=seen[value]))
    else:
        seen[value] = path


def template(
    report: Report,
    value: object,
    path: str,
    *,
    locale: str,
    persona_ok: bool,
    multiline: bool = True,
    limit: tuple[int, str] = (MAX_TEXT_CHARS, MSG_TEXT_TOO_LONG),
    extra: frozenset[str] = frozenset(),
) -> str | None:
    """A text with placeholders: each unknown placeholder is reported once, naming it. `extra`: the placeholders
    this one text also knows (a reaction's `{reply.excerpt}`)."""
    value = text(report, value, path, multiline=multiline, limit=limit)
    if value is None:
        return None
    try:
        segments = parse_template(value)
    except ValueError:
        report.error(path, MSG_STRAY_BRACE)
        return None
    problems = {}
    for _, name in segments:
        problem = None if name is None or name in extra else _placeholder_problem(name, locale, persona_ok)
        if problem:
            problems.setdefault(name, problem)
    for problem in problems.values():
        report.error(path, problem)
    return None if problems else value


def _placeholder_problem(name: str, locale: str, persona_ok: bool) -> str | None:
    placeholder = "{" + (name if len(name) <= 60 else name[:57] + "...") + "}"
    if name in BRAND_FIELDS:
        return None
    if name in PERSONA_FIELDS:
        return None if persona_ok else said(MSG_PERSONA_IN_PERSONA, placeholder=placeholder)
    if name.startswith("faker.") and name.removeprefix("faker.") in faker_methods(locale):
        return None
    return said(MSG_UNKNOWN_PLACEHOLDER, placeholder=placeholder)
