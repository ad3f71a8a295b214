"""Checks of the `injects` list: each inject, bursts, conditions and the references between them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from config.texts import said
from scenarios.durations import format_duration
from scenarios.spec import EMAIL, PLATFORMS, SENTIMENTS, Burst, Condition, Inject
from scenarios.validation.fields import (
    Report,
    boolean,
    duration,
    field,
    integer,
    mapping,
    number,
    required,
    sequence,
    template,
    text,
    unique,
)
from scenarios.validation.issues import index_path, key_path
from scenarios.validation.limits import (
    MAX_BURST_COUNT,
    MAX_PLAN_CHARS,
    MAX_PLANNED_ITEMS,
    MAX_SUBJECT_CHARS,
    MSG_SUBJECT_TOO_LONG,
    PLACEHOLDER_CHARS,
)
from scenarios.validation.messages import (
    MSG_AT_AFTER_END,
    MSG_AT_OR_WHEN,
    MSG_BURST_AFTER_END,
    MSG_BURST_PERSONA,
    MSG_BURST_SIGNAL,
    MSG_BURST_TEXT,
    MSG_BURST_WHEN,
    MSG_CYCLE,
    MSG_DEADLINE_AFTER_END,
    MSG_INJECT_KEY,
    MSG_NO_INJECTS,
    MSG_NO_TEXTS,
    MSG_PLAN_TOO_LARGE,
    MSG_PLATFORM,
    MSG_SELF_CONDITION,
    MSG_SENTIMENT,
    MSG_SUBJECT_NOT_EMAIL,
    MSG_TEXTS_WITHOUT_BURST,
    MSG_TOO_MANY_ITEMS,
    MSG_UNKNOWN_INJECT,
    MSG_UNKNOWN_PERSONA,
    MSG_WATCHES_NO_REPLY,
    MSG_WHEN_FORM,
    MSG_WHEN_MISMATCH,
)

INJECT_REQUIRED = ("key", "platform", "severity")
INJECT_OPTIONAL = (
    "at",
    "when",
    "persona",
    "text",
    "subject",
    "requires_response",
    "respond_within",
    "signal",
    "sentiment",
    "burst",
    "texts",
)
BURST_REQUIRED = ("count", "over", "persona_kind")
# Each condition names the inject it watches and, for two of them, how long to wait.
WHEN_WAITS = {"unanswered": "for", "answered": "delay", "heat_above": None}
_INJECT_KEY = re.compile(r"[a-z0-9-]{1,50}")


@dataclass(frozen=True)
class InjectContext:
    """What the inject checks need from the rest of the document (None when that part is invalid)."""

    locale: str
    duration_ms: int | None
    response_sla_ms: int | None
    persona_keys: frozenset[str] | None


def check_injects(report: Report, value: object, context: InjectContext) -> list[Inject] | None:
    """The injects as read (fields that were wrong are None), after reporting every problem."""
    items = sequence(report, value, "injects")
    if items is None:
        return None
    if not items:
        report.error("injects", MSG_NO_INJECTS)
        return None
    injects, paths, seen = [], [], {}
    for index, raw in enumerate(items):
        path = index_path("injects", index)
        inject = _inject(report, raw, path, context)
        if inject is not None:
            unique(report, inject.key, key_path(path, "key"), seen)
            injects.append(inject)
            paths.append(path)
    _check_plan_size(report, injects, paths)
    _check_conditions(report, injects, paths)
    _warn_late_deadlines(report, injects, paths, context)
    return injects


def _inject(report: Report, raw: object, path: str, context: InjectContext) -> Inject | None:
    m = mapping(report, raw, path, required=INJECT_REQUIRED, optional=INJECT_OPTIONAL)
    if m is None:
        return None
    key = text(report, field(m, "key"), key_path(path, "key"), pattern=_INJECT_KEY, pattern_message=MSG_INJECT_KEY)
    if ("at" in m) == ("when" in m):
        report.error(path, MSG_AT_OR_WHEN)
    at_ms = _at(report, field(m, "at"), key_path(path, "at"), context)
    platform = text(report, field(m, "platform"), key_path(path, "platform"))
    if platform is not None and platform not in PLATFORMS:
        report.error(key_path(path, "platform"), MSG_PLATFORM)
        platform = None
    parts = _burst_parts(report, m, path, context, at_ms) if "burst" in m else _single_parts(report, m, path, context)
    return Inject(
        key=key,
        platform=platform,
        severity=integer(report, field(m, "severity"), key_path(path, "severity"), low=1, high=5),
        requires_response=bool(boolean(report, field(m, "requires_response"), key_path(path, "requires_response"))),
        respond_within_ms=duration(report, field(m, "respond_within"), key_path(path, "respond_within")),
        at_ms=at_ms,
        when=_condition(report, field(m, "when"), key_path(path, "when")),
        subject=_subject(report, m, path, platform, context),
        sentiment=_sentiment(report, field(m, "sentiment"), key_path(path, "sentiment")),
        **parts,
    )


def _subject(report: Report, m: dict, path: str, platform: str | None, context: InjectContext) -> str | None:
    """An e-mail's subject line: one line, placeholders allowed as in its text."""
    subject_path = key_path(path, "subject")
    if "subject" in m and platform is not None and platform != EMAIL:
        report.error(subject_path, MSG_SUBJECT_NOT_EMAIL)
        return None
    limit = (MAX_SUBJECT_CHARS, MSG_SUBJECT_TOO_LONG)
    return template(
        report, field(m, "subject"), subject_path, locale=context.locale, persona_ok=True, multiline=False, limit=limit
    )


def _sentiment(report: Report, value: object, path: str) -> str | None:
    """One of SENTIMENTS (a burst's for all its items), or None for the default."""
    sentiment = text(report, value, path)
    if sentiment is not None and sentiment not in SENTIMENTS:
        report.error(path, MSG_SENTIMENT)
        return None
    return sentiment


def _at(report: Report, value: object, path: str, context: InjectContext) -> int | None:
    at_ms = duration(report, value, path, positive=False)
    end_ms = context.duration_ms
    if at_ms is not None and end_ms is not None and at_ms > end_ms:
        report.error(path, said(MSG_AT_AFTER_END, duration=format_duration(end_ms)))
        return None
    return at_ms


def _single_parts(report: Report, m: dict, path: str, context: InjectContext) -> dict:
    if "texts" in m:
        report.error(key_path(path, "texts"), MSG_TEXTS_WITHOUT_BURST)
    persona_path, text_path = key_path(path, "persona"), key_path(path, "text")
    persona = None
    if required(report, field(m, "persona"), persona_path):
        persona = text(report, m["persona"], persona_path)
    known = context.persona_keys
    if persona is not None and known is not None and persona not in known:
        report.error(persona_path, said(MSG_UNKNOWN_PERSONA, key=persona))
    body = None
    if required(report, field(m, "text"), text_path):
        body = template(report, m["text"], text_path, locale=context.locale, persona_ok=True)
    signal = bool(boolean(report, field(m, "signal"), key_path(path, "signal")))
    return {"persona": persona, "text": body, "signal": signal}


def _burst_parts(report: Report, m: dict, path: str, context: InjectContext, at_ms: int | None) -> dict:
    refused = (
        ("persona", MSG_BURST_PERSONA),
        ("text", MSG_BURST_TEXT),
        ("when", MSG_BURST_WHEN),
        ("signal", MSG_BURST_SIGNAL),  # its items are the noise a signal hides in; detection scores single posts
    )
    for key, message in refused:
        if key in m:
            report.error(key_path(path, key), message)
    burst = _burst(report, m["burst"], key_path(path, "burst"))
    end_ms = context.duration_ms
    if burst is not None and at_ms is not None and end_ms is not None and at_ms + burst.over_ms > end_ms:
        message = said(
            MSG_BURST_AFTER_END, end=format_duration(at_ms + burst.over_ms), duration=format_duration(end_ms)
        )
        report.error(key_path(path, "burst.over"), message)
    texts_path = key_path(path, "texts")
    texts = None
    if required(report, field(m, "texts"), texts_path):
        texts = _texts(report, m["texts"], texts_path, context)
    return {"burst": burst, "texts": texts or ()}


def _burst(report: Report, value: object, path: str) -> Burst | None:
    m = mapping(report, value, path, required=BURST_REQUIRED)
    if m is None:
        return None
    count = integer(report, field(m, "count"), key_path(path, "count"), low=1, high=MAX_BURST_COUNT)
    over_ms = duration(report, field(m, "over"), key_path(path, "over"))
    kind = text(report, field(m, "persona_kind"), key_path(path, "persona_kind"))
    if count is None or over_ms is None or kind is None:
        return None
    return Burst(count=count, over_ms=over_ms, persona_kind=kind)


def _texts(report: Report, value: object, path: str, context: InjectContext) -> tuple[str, ...] | None:
    items = sequence(report, value, path)
    if items is None:
        return None
    if not items:
        report.error(path, MSG_NO_TEXTS)
        return None
    texts = [
        template(report, item, index_path(path, index), locale=context.locale, persona_ok=True)
        for index, item in enumerate(items)
    ]
    return None if None in texts else tuple(texts)


def _condition(report: Report, value: object, path: str) -> Condition | None:
    m = mapping(report, value, path, optional=("unanswered", "for", "answered", "delay", "heat_above"))
    if m is None:
        return None
    kinds = [kind for kind in WHEN_WAITS if kind in m]
    if len(kinds) != 1:
        report.error(path, MSG_WHEN_FORM)
        return None
    kind = kinds[0]
    wait_key = WHEN_WAITS[kind]
    for other in ("for", "delay"):
        if other in m and other != wait_key:
            report.error(key_path(path, other), said(MSG_WHEN_MISMATCH, key=other, kind=kind))
    if wait_key is None:
        threshold = number(report, m[kind], key_path(path, kind), low=0, high=100)
        return None if threshold is None else Condition(kind=kind, threshold=threshold)
    watched = text(report, m[kind], key_path(path, kind))
    wait_path = key_path(path, wait_key)
    if not required(report, field(m, wait_key), wait_path):
        return None
    wait_ms = duration(report, m[wait_key], wait_path, positive=False)
    if watched is None or wait_ms is None:
        return None
    return Condition(kind=kind, key=watched, wait_ms=wait_ms)


def _check_plan_size(report: Report, injects: list[Inject], paths: list[str]) -> None:
    """Posts and characters the plan would hold, counted from the document before anything is rendered; each
    excess is reported at the inject that crosses the limit (its `burst.count`, or its `text`)."""
    items = chars = 0
    items_path = chars_path = None
    for inject, path in zip(injects, paths, strict=True):
        count = inject.burst.count if inject.burst else 1
        items += count
        chars += count * _post_chars(inject)
        where = key_path(path, "burst.count") if inject.burst else path
        if items > MAX_PLANNED_ITEMS and items_path is None:
            items_path = where
        if chars > MAX_PLAN_CHARS and chars_path is None:
            chars_path = where if inject.burst else key_path(path, "text")
    if items_path is not None:
        report.error(items_path, said(MSG_TOO_MANY_ITEMS, count=items, limit=MAX_PLANNED_ITEMS))
    if chars_path is not None:
        report.error(chars_path, said(MSG_PLAN_TOO_LARGE, chars=chars, limit=MAX_PLAN_CHARS))


def _post_chars(inject: Inject) -> int:
    """At most how long one of the inject's posts is once its placeholders are filled."""
    texts = [t for t in (*inject.texts, inject.text) if t is not None]
    return max((len(t) + t.count("{") * PLACEHOLDER_CHARS for t in texts), default=0)


def _check_conditions(report: Report, injects: list[Inject], paths: list[str]) -> None:
    """Each watched key must name another inject, and conditions must not wait on each other in a ring."""
    first_index: dict[str, int] = {}
    for index, inject in enumerate(injects):
        if inject.key is not None:
            first_index.setdefault(inject.key, index)
    edges: dict[int, int] = {}  # inject -> the inject it waits for
    for index, inject in enumerate(injects):
        when = inject.when
        if when is None or when.key is None:
            continue
        where = key_path(paths[index], f"when.{when.kind}")
        if when.key == inject.key:
            report.error(where, MSG_SELF_CONDITION)
        elif when.key not in first_index:
            report.error(where, said(MSG_UNKNOWN_INJECT, key=when.key))
        else:
            edges[index] = first_index[when.key]
            if not injects[edges[index]].requires_response:
                report.warn(where, said(MSG_WATCHES_NO_REPLY, key=when.key))
    for index, cycle in sorted(_cycle_members(edges, injects).items()):
        report.error(key_path(paths[index], "when"), said(MSG_CYCLE, cycle=" -> ".join(cycle)))


def _cycle_members(edges: dict[int, int], injects: list[Inject]) -> dict[int, list[str]]:
    """Each inject on a ring of conditions -> the ring's keys starting (and ending) with its own.

    Every inject waits for at most one other, so one walk per inject, never revisiting, finds all rings.
    """
    walked_from: dict[int, int] = {}
    members: dict[int, list[str]] = {}
    for start in edges:
        walk, node = [], start
        while node in edges and node not in walked_from:
            walked_from[node] = start
            walk.append(node)
            node = edges[node]
        if walked_from.get(node) != start:
            continue
        ring = walk[walk.index(node) :]
        for offset, member in enumerate(ring):
            rotated = ring[offset:] + ring[:offset] + [member]
            members[member] = [injects[i].key for i in rotated]
    return members


def _warn_late_deadlines(report: Report, injects: list[Inject], paths: list[str], context: InjectContext) -> None:
    end_ms, sla_ms = context.duration_ms, context.response_sla_ms
    if end_ms is None or sla_ms is None:
        return
    for inject, path in zip(injects, paths, strict=True):
        if not inject.requires_response or inject.at_ms is None:
            continue
        last_ms = inject.at_ms + (inject.burst.over_ms if inject.burst else 0)
        due_ms = last_ms + (inject.respond_within_ms if inject.respond_within_ms is not None else sla_ms)
        if due_ms > end_ms:
            message = said(MSG_DEADLINE_AFTER_END, due=format_duration(due_ms), duration=format_duration(end_ms))
            report.warn(path, message)
