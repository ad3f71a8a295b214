"""`validate`: a document (plain data) to a `Scenario`, or every problem with it at once.

The top-level sections are checked here; the injects, the largest part, in `injects.py`.
"""

from __future__ import annotations

import dataclasses
import logging
import re

from scenarios.spec import (
    DEFAULT_SEED,
    DEFAULT_WEIGHTS,
    FORMAT,
    PLATFORMS,
    Heat,
    Inject,
    Persona,
    RubricItem,
    Scenario,
    Scoring,
    Step,
)
from scenarios.textgen import faker_locale
from scenarios.validation.evaluation import check_evaluation
from scenarios.validation.fields import (
    MISSING,
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
from scenarios.validation.injects import InjectContext, check_injects
from scenarios.validation.issues import DocumentError, Result, index_path, key_path
from scenarios.validation.limits import (
    MAX_CHAIN_STEPS,
    MAX_FOLLOWERS,
    MAX_NAME_CHARS,
    MAX_ROLE_CHARS,
    MAX_TITLE_CHARS,
    MAX_WEIGHT,
    MSG_NAME_TOO_LONG,
    MSG_TITLE_TOO_LONG,
)
from scenarios.validation.messages import (
    MSG_CHAIN_LENGTH,
    MSG_FIRST_STEP_SLA,
    MSG_FORMAT,
    MSG_INTERNAL,
    MSG_LANGUAGE,
    MSG_NO_PHRASES,
    MSG_NOT_A_DOCUMENT,
    MSG_NOT_MAPPING,
    MSG_PERSONA_KEY,
    MSG_PERSONA_UNUSED,
    MSG_RESERVED_ROLE,
    MSG_ROLE,
    MSG_UNKNOWN_PLATFORM,
    MSG_WEIGHTS_SUM,
)
from scenarios.validation.reactions import check_backlash_needs_reactions, check_reactions

logger = logging.getLogger(__name__)

TOP_REQUIRED = (
    "format",
    "title",
    "language",
    "brand",
    "duration",
    "response_sla",
    "approval_chain",
    "injects",
)
TOP_OPTIONAL = (
    "description",
    "seed",
    "allow_self_approval",
    "personas",
    "heat",
    "scoring",
    "evaluation",
    "reactions",
)
PERSONA_REQUIRED = ("key", "kind", "name", "handle")
SCORING_KEYS = ("weights", "must_include", "must_avoid", "max_length", "first_statement_within")
HEAT_FIELDS = tuple(f.name for f in dataclasses.fields(Heat))
NAME_LIMIT = (MAX_NAME_CHARS, MSG_NAME_TOO_LONG)
# Seats use "observer" for people who watch a drill and act on nothing (PROTOCOL 1.2).
RESERVED_ROLES = frozenset({"observer"})
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-(?:[A-Z]{2}|[0-9]{3}))?")
_ROLE = re.compile(rf"[a-z][a-z0-9_-]{{0,{MAX_ROLE_CHARS - 1}}}")
_PERSONA_KEY = re.compile(r"[a-z0-9_-]{1,50}")


def validate(doc: object) -> Result:
    """Every error and warning in `doc`; the `Scenario` only when there is no error. Never raises."""
    report = Report()
    try:
        scenario = _scenario(report, doc)
    except Exception:  # bad input must never become a 500: a bug here still answers with an error
        logger.exception("scenario validation crashed")
        report.error("", MSG_INTERNAL)
        scenario = None
    return Result(errors=report.errors, warnings=report.warnings, scenario=None if report.errors else scenario)


def scenario_from_document(doc: object) -> Scenario:
    """The scenario of a valid document; DocumentError listing every error otherwise."""
    result = validate(doc)
    if result.scenario is None:
        raise DocumentError(result.errors)
    return result.scenario


def _scenario(report: Report, doc: object) -> Scenario | None:
    if not isinstance(doc, dict):
        report.error("", MSG_NOT_A_DOCUMENT)
        return None
    top = mapping(report, doc, "", required=TOP_REQUIRED, optional=TOP_OPTIONAL)
    if field(top, "format") not in (MISSING, FORMAT):
        report.error("format", MSG_FORMAT)
    title = text(report, field(top, "title"), "title", multiline=False, limit=(MAX_TITLE_CHARS, MSG_TITLE_TOO_LONG))
    language = text(report, field(top, "language"), "language", pattern=_LANGUAGE, pattern_message=MSG_LANGUAGE)
    locale = faker_locale(language or "en")
    description = text(report, field(top, "description"), "description", blank_ok=True)
    brand = _brand(report, field(top, "brand"))
    duration_ms = duration(report, field(top, "duration"), "duration")
    seed = integer(report, field(top, "seed"), "seed", low=0)
    response_sla_ms = duration(report, field(top, "response_sla"), "response_sla")
    allow_self_approval = boolean(report, field(top, "allow_self_approval"), "allow_self_approval")
    chain = _chain(report, field(top, "approval_chain"))
    personas, persona_keys = _personas(report, field(top, "personas"), locale)
    context = InjectContext(locale, duration_ms, response_sla_ms, persona_keys)
    injects = check_injects(report, field(top, "injects"), context)
    heat = _heat(report, field(top, "heat"))
    scoring = _scoring(report, field(top, "scoring"))
    evaluation = check_evaluation(report, field(top, "evaluation"))
    reactions = check_reactions(report, field(top, "reactions"), locale)
    check_backlash_needs_reactions(report, field(top, "injects"), field(top, "reactions"))
    if injects is not None:
        _warn_unused_personas(report, personas, injects)
    if report.errors:
        return None
    return Scenario(
        title=title,
        language=language,
        brand_name=brand[0],
        brand_handle=brand[1],
        duration_ms=duration_ms,
        response_sla_ms=response_sla_ms,
        chain=tuple(chain),
        personas=tuple(persona for _, persona in personas),
        injects=tuple(injects),
        description=description or "",
        seed=DEFAULT_SEED if seed is None else seed,
        allow_self_approval=bool(allow_self_approval),
        heat=heat or Heat(),
        scoring=scoring or Scoring(),
        evaluation=evaluation,
        reactions=reactions,
    )


def _brand(report: Report, value: object) -> tuple[str, str] | None:
    m = mapping(report, value, "brand", required=("name", "handle"))
    if m is None:
        return None
    name = text(report, field(m, "name"), "brand.name", multiline=False, limit=NAME_LIMIT)
    handle = text(report, field(m, "handle"), "brand.handle", multiline=False, limit=NAME_LIMIT)
    return None if name is None or handle is None else (name, handle)


def _chain(report: Report, value: object) -> list[Step] | None:
    items = sequence(report, value, "approval_chain")
    if items is None:
        return None
    if not 1 <= len(items) <= MAX_CHAIN_STEPS:
        report.error("approval_chain", MSG_CHAIN_LENGTH)
    steps, seen = [], {}
    for index, raw in enumerate(items):
        path = index_path("approval_chain", index)
        m = mapping(report, raw, path, required=("role",), optional=("sla",))
        if m is None:
            continue
        steps.append(
            Step(
                role=_role(report, field(m, "role"), key_path(path, "role"), seen),
                sla_ms=_sla(report, m, path, index),
            )
        )
    return steps


def _role(report: Report, value: object, path: str, seen: dict) -> str | None:
    role = text(report, value, path, pattern=_ROLE, pattern_message=MSG_ROLE)
    if role in RESERVED_ROLES:
        report.error(path, MSG_RESERVED_ROLE)
        return None
    unique(report, role, path, seen)
    return role


def _sla(report: Report, step: dict, path: str, index: int) -> int | None:
    sla_path = key_path(path, "sla")
    if index == 0:  # the author's step: nothing waits on a decision there
        if "sla" in step:
            report.error(sla_path, MSG_FIRST_STEP_SLA)
        return None
    if not required(report, field(step, "sla"), sla_path):
        return None
    return duration(report, step["sla"], sla_path)


def _personas(report: Report, value: object, locale: str) -> tuple[list[tuple[str, Persona]], frozenset[str] | None]:
    """(path, persona) pairs, and the keys injects may name (None: personas unreadable, do not check)."""
    if value is MISSING:
        return [], frozenset()
    items = sequence(report, value, "personas")
    if items is None:
        return [], None
    personas, seen, keys = [], {}, set()
    for index, raw in enumerate(items):
        path = index_path("personas", index)
        m = mapping(report, raw, path, required=PERSONA_REQUIRED, optional=("followers",))
        if m is None:
            continue
        if isinstance(m.get("key"), str):  # a malformed key is one error, not one more per inject using it
            keys.add(m["key"])
        key = text(
            report,
            field(m, "key"),
            key_path(path, "key"),
            pattern=_PERSONA_KEY,
            pattern_message=MSG_PERSONA_KEY,
        )
        unique(report, key, key_path(path, "key"), seen)
        persona = Persona(
            key=key,
            kind=text(report, field(m, "kind"), key_path(path, "kind")),
            name=_name(report, field(m, "name"), key_path(path, "name"), locale),
            handle=_name(report, field(m, "handle"), key_path(path, "handle"), locale),
            followers=integer(report, field(m, "followers"), key_path(path, "followers"), low=0, high=MAX_FOLLOWERS)
            or 0,
        )
        personas.append((path, persona))
    return personas, frozenset(keys)


def _name(report: Report, value: object, path: str, locale: str) -> str | None:
    return template(report, value, path, locale=locale, persona_ok=False, multiline=False, limit=NAME_LIMIT)


def _warn_unused_personas(report: Report, personas: list[tuple[str, Persona]], injects: list[Inject]) -> None:
    used = {inject.persona for inject in injects}
    for path, persona in personas:
        if persona.key is not None and persona.key not in used:
            report.warn(path, MSG_PERSONA_UNUSED)


def _heat(report: Report, value: object) -> Heat | None:
    m = mapping(report, value, "heat", optional=HEAT_FIELDS)
    if m is None:
        return None
    values = {name: number(report, field(m, name), key_path("heat", name), low=0, high=100) for name in HEAT_FIELDS}
    return Heat(**{name: v for name, v in values.items() if v is not None})


def _scoring(report: Report, value: object) -> Scoring | None:
    m = mapping(report, value, "scoring", optional=SCORING_KEYS)
    if m is None:
        return None
    return Scoring(
        weights=_weights(report, field(m, "weights")),
        must_include=_must_include(report, field(m, "must_include")),
        must_avoid=_phrases(report, field(m, "must_avoid"), "scoring.must_avoid", allow_empty=True),
        max_length=_max_length(report, field(m, "max_length")),
        first_statement_within_ms=duration(
            report, field(m, "first_statement_within"), "scoring.first_statement_within"
        ),
    )


def _weights(report: Report, value: object) -> dict[str, float]:
    # A weight left out keeps its default, so `{quality: 0}` switches one component off.
    weights = dict(DEFAULT_WEIGHTS)
    m = mapping(report, value, "scoring.weights", optional=tuple(DEFAULT_WEIGHTS))
    if m is None:
        return weights
    given = {
        name: number(report, m[name], f"scoring.weights.{name}", low=0, high=MAX_WEIGHT)
        for name in weights
        if name in m
    }
    if None in given.values():
        return weights
    weights.update(given)
    if sum(weights.values()) <= 0:
        report.error("scoring.weights", MSG_WEIGHTS_SUM)
    return weights


def _must_include(report: Report, value: object) -> tuple[RubricItem, ...]:
    items = sequence(report, value, "scoring.must_include") or []
    rubric = []
    for index, raw in enumerate(items):
        path = index_path("scoring.must_include", index)
        m = mapping(report, raw, path, required=("label", "any"))
        if m is None:
            continue
        label = text(report, field(m, "label"), key_path(path, "label"))
        phrases = _phrases(report, field(m, "any"), key_path(path, "any"), allow_empty=False)
        rubric.append(RubricItem(label=label, any=phrases))
    return tuple(rubric)


def _phrases(report: Report, value: object, path: str, *, allow_empty: bool) -> tuple[str, ...]:
    items = sequence(report, value, path)
    if items is None:
        return ()
    if not items and not allow_empty:
        report.error(path, MSG_NO_PHRASES)
    phrases = (text(report, item, index_path(path, index)) for index, item in enumerate(items))
    return tuple(phrase for phrase in phrases if phrase is not None)


def _max_length(report: Report, value: object) -> dict[str, int]:
    if value is MISSING:
        return {}
    if not isinstance(value, dict):
        report.error("scoring.max_length", MSG_NOT_MAPPING)
        return {}
    limits = {}
    for platform, raw in value.items():
        path = key_path("scoring.max_length", platform)
        if platform not in PLATFORMS:
            report.error(path, MSG_UNKNOWN_PLATFORM)
            continue
        limit = integer(report, raw, path, low=1)
        if limit is not None:
            limits[platform] = limit
    return limits
