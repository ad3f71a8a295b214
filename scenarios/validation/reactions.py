"""The `reactions` section and the `backlash` condition (PROTOCOL section 1.4)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from scenarios.spec import BACKLASH, REACTION_DEFAULTS, Condition, Reaction, Reactions
from scenarios.validation.fields import (
    MISSING,
    Report,
    duration,
    field,
    integer,
    mapping,
    number,
    required,
    sequence,
    template,
    text,
)
from scenarios.validation.issues import index_path, key_path

MAX_REACTION_COUNT = 200
MAX_REACTION_HEAT = 100
REACTION_KEYS = ("count", "over", "severity", "heat", "persona_kind", "texts")
# Only a reaction's texts quote the reply they answer.
REPLY_EXCERPT = "reply.excerpt"
MSG_BACKLASH_TRUE = gettext_noop("must be true")
MSG_BACKLASH_WITHOUT_REACTIONS = gettext_noop("a backlash condition needs the scenario's `reactions`")
MSG_NO_REACTION_TEXTS = gettext_noop("give at least one text, or leave texts out for the built-in ones")


def check_reactions(report: Report, value: object, locale: str) -> Reactions | None:
    """The scenario's reactions, None when it has none; each reaction's fields default as PROTOCOL 1.4 says."""
    m = mapping(report, value, "reactions", optional=tuple(REACTION_DEFAULTS))
    if m is None:
        return None
    kinds = {kind: _reaction(report, field(m, kind), key_path("reactions", kind), kind, locale) for kind in m}
    return Reactions(**{kind: reaction for kind, reaction in kinds.items() if reaction is not None})


def _reaction(report: Report, value: object, path: str, kind: str, locale: str) -> Reaction | None:
    default = REACTION_DEFAULTS.get(kind)
    m = mapping(report, value, path, optional=REACTION_KEYS)
    if m is None or default is None:
        return None
    count = integer(report, field(m, "count"), key_path(path, "count"), low=1, high=MAX_REACTION_COUNT)
    over_ms = duration(report, field(m, "over"), key_path(path, "over"))
    severity = integer(report, field(m, "severity"), key_path(path, "severity"), low=1, high=5)
    heat = number(report, field(m, "heat"), key_path(path, "heat"), low=0, high=MAX_REACTION_HEAT)
    kind_of_persona = text(report, field(m, "persona_kind"), key_path(path, "persona_kind"))
    texts = _texts(report, field(m, "texts"), key_path(path, "texts"), locale)
    return Reaction(
        count=default.count if count is None else count,
        over_ms=default.over_ms if over_ms is None else over_ms,
        severity=default.severity if severity is None else severity,
        heat=default.heat if heat is None else heat,
        persona_kind=kind_of_persona or default.persona_kind,
        texts=texts,
    )


def _texts(report: Report, value: object, path: str, locale: str) -> tuple[str, ...]:
    if value is MISSING:
        return ()
    items = sequence(report, value, path)
    if items is None:
        return ()
    if not items:
        report.error(path, MSG_NO_REACTION_TEXTS)
    texts = (
        template(
            report, item, index_path(path, index), locale=locale, persona_ok=True, extra=frozenset({REPLY_EXCERPT})
        )
        for index, item in enumerate(items)
    )
    return tuple(t for t in texts if t is not None)


def backlash_condition(report: Report, m: dict, path: str) -> Condition | None:
    """`when: {backlash: true, delay: DUR}`: fires once, DUR after the drill's first backlash started."""
    if m[BACKLASH] is not True:
        report.error(key_path(path, BACKLASH), MSG_BACKLASH_TRUE)
    wait_path = key_path(path, "delay")
    if not required(report, field(m, "delay"), wait_path):
        return None
    wait_ms = duration(report, m["delay"], wait_path, positive=False)
    return None if wait_ms is None or m[BACKLASH] is not True else Condition(kind=BACKLASH, wait_ms=wait_ms)


def check_backlash_needs_reactions(report: Report, injects: object, reactions: object) -> None:
    """A backlash condition in a scenario without `reactions` could never fire: an error at its `when`."""
    if reactions is not MISSING or not isinstance(injects, list):
        return
    for index, raw in enumerate(injects):
        when = raw.get("when") if isinstance(raw, dict) else None
        if isinstance(when, dict) and BACKLASH in when:
            report.error(key_path(index_path("injects", index), "when"), MSG_BACKLASH_WITHOUT_REACTIONS)
