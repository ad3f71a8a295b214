"""The JSON Schema (draft 2020-12) of crisisdrill/v1 (PROTOCOL section 1.7), for editors that complete and check
documents (YAML language servers). Built from the validator's own keys, bounds and patterns, so the two agree on
structure (tests/scenarios/test_schema.py runs both over the same documents); what a schema cannot say (unknown
personas, cycles of conditions, placeholders, sums of weights) stays the validator's alone.
"""

from __future__ import annotations

import functools
import hashlib
import json

from scenarios.durations import MAX_DURATION_MS
from scenarios.spec import DEFAULT_WEIGHTS, EMAIL, FORMAT, PLATFORMS, REACTION_DEFAULTS, SENTIMENTS
from scenarios.validation.checks import (
    _LANGUAGE,
    _PERSONA_KEY,
    _ROLE,
    HEAT_FIELDS,
    PERSONA_REQUIRED,
    RESERVED_ROLES,
    SCORING_KEYS,
    TOP_OPTIONAL,
    TOP_REQUIRED,
)
from scenarios.validation.evaluation import _TASK_KEY, MAX_CAPABILITY_CHARS, MAX_TASK_CHARS
from scenarios.validation.injects import _INJECT_KEY, BURST_REQUIRED, INJECT_OPTIONAL, INJECT_REQUIRED, WHEN_WAITS
from scenarios.validation.issues import key_path
from scenarios.validation.limits import (
    MAX_BURST_COUNT,
    MAX_CHAIN_STEPS,
    MAX_FOLLOWERS,
    MAX_NAME_CHARS,
    MAX_SAFE_INT,
    MAX_SUBJECT_CHARS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    MAX_WEIGHT,
)
from scenarios.validation.reactions import MAX_REACTION_COUNT, MAX_REACTION_HEAT, REACTION_KEYS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# The duration forms parse_duration reads: seconds, units (1h30m, 45s, 1.5s) or a clock (0:05:00, 5:00).
DURATION_PATTERN = (
    r"^\s*(?:\d{1,12}(?:\.\d{1,3})?"
    r"|(?:\d{1,6}:)?[0-5]\d:[0-5]\d|\d{1,6}:[0-5]\d"
    r"|(?=\d)(?:\d{1,9}\s*h)?\s*(?:\d{1,9}\s*m)?\s*(?:\d{1,9}(?:\.\d{1,3})?\s*s)?)\s*$"
)
# Control characters (config.limits.has_bad_characters): a text keeps tab and line breaks, a name does not.
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
LINE_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"

DESCRIPTIONS = {
    "format": f"Always {FORMAT}.",
    "title": "The scenario's title, one line.",
    "language": "BCP-47 primary tag (en, he, fr, pt-BR): the language of generated names and texts, and the text "
    "direction.",
    "description": "What goes wrong, for the instructor.",
    "brand": "The organization the team speaks for.",
    "brand.name": "The brand's name, {brand.name} in texts.",
    "brand.handle": "The brand's handle, {brand.handle} in texts.",
    "duration": "The drill's simulated length; nothing may be planned after it.",
    "seed": "Same seed, same generated names and words.",
    "response_sla": "Default time from a post to a *published* reply.",
    "allow_self_approval": "Whether someone may approve a reply they drafted (default false).",
    "approval_chain": "The steps a reply climbs before it is published, in order; the first is the author.",
    "approval_chain.role": "A chain role, e.g. drafter, reviewer, legal, spokesperson (not observer).",
    "approval_chain.sla": "How long the step may take (every step but the first).",
    "personas": "The named people who post.",
    "personas.key": "How injects name this persona.",
    "personas.kind": "What kind of person: customer, journalist, expert, employee, influencer ...",
    "personas.name": "Display name; may use {faker.METHOD}, e.g. {faker.name}.",
    "personas.handle": "Handle; may use {faker.METHOD}, e.g. @{faker.user_name}.",
    "personas.followers": "Audience size: how far the persona's posts travel.",
    "injects": "The posts, comments and e-mails that land during the drill.",
    "injects.key": "Unique name of the inject, which conditions refer to.",
    "injects.at": "When it lands, from the start. Give at or when, not both.",
    "injects.when": "A condition instead of at: {unanswered: KEY, for: DUR}, {answered: KEY, delay: DUR}, "
    "{heat_above: N} or {backlash: true, delay: DUR}.",
    "injects.when.unanswered": "Fires `for` after this inject was published if it is still unanswered.",
    "injects.when.answered": "Fires `delay` after the first published reply to this inject.",
    "injects.when.heat_above": "Fires once when heat first rises above this number.",
    "injects.when.backlash": "true: fires `delay` after the drill's first backlash started.",
    "injects.when.for": "How long the watched inject stays unanswered.",
    "injects.when.delay": "How long after the reply or the backlash.",
    "injects.platform": "Where it appears.",
    "injects.persona": "The key of the persona who posts it (not for bursts).",
    "injects.text": "The post's text; may use {brand.name}, {persona.name}, {faker.METHOD} ... (not for bursts).",
    "injects.subject": "An e-mail's subject line (email injects only).",
    "injects.severity": "How serious, 1 to 5: heat added and scoring weight.",
    "injects.requires_response": "Whether the team must publish a reply to it.",
    "injects.respond_within": "Deadline for the reply, instead of response_sla.",
    "injects.sentiment": "How the post speaks of the brand (default: negative when it needs a reply or is a burst).",
    "injects.signal": "A weak early-warning sign the team should flag (not for bursts).",
    "injects.burst": "Many generated comments instead of one post.",
    "injects.burst.count": "How many comments.",
    "injects.burst.over": "Spread over how long, from at.",
    "injects.burst.persona_kind": "The kind of the generated people.",
    "injects.texts": "The burst's texts; each comment takes one.",
    "heat": "How hot the crisis gets (0 to 100); defaults shown in PROTOCOL section 1.1.",
    "heat.start": "Heat at the start (default 10).",
    "heat.per_severity": "Heat each published post adds per severity point (default 3).",
    "heat.overdue_per_min": "Heat per simulated minute per severity point of each overdue post (default 2).",
    "heat.reply_cools": "Heat the first reply to a post removes per severity point (default 8).",
    "heat.decay_per_min": "Heat lost per simulated minute (default 1).",
    "scoring": "How the scorecard weighs and checks replies.",
    "scoring.weights": "Weight of each scorecard component; a component left out keeps its default.",
    "scoring.weights.timeliness": "Replies published before their deadline (default 40).",
    "scoring.weights.coverage": "Posts needing a reply that got one (default 30).",
    "scoring.weights.approval_flow": "Chain steps decided within their SLA (default 15).",
    "scoring.weights.quality": "Replies meeting the rubric (default 15).",
    "scoring.weights.first_statement": "How soon the first public statement came (default 0: shown, not counted).",
    "scoring.weights.detection": "How soon signals were flagged (default 0: shown, not counted).",
    "scoring.first_statement_within": "Target time for the first public statement (default: response_sla).",
    "scoring.must_include": "What every reply should say: each item is met by any of its phrases.",
    "scoring.must_include.label": "The item's name, shown on the scorecard.",
    "scoring.must_include.any": "Phrases, any of which meets the item (case and accents ignored).",
    "scoring.must_avoid": "Phrases no reply may contain.",
    "scoring.max_length": "Most characters a reply may have, per platform.",
    "evaluation": "Tasks observers rate P, S, M or U (performed; some, major challenges; unable).",
    "evaluation.key": "Unique name of the task.",
    "evaluation.task": "What the team should do.",
    "evaluation.capability": "A grouping of tasks, e.g. Public information.",
    "reactions": "How the crowd answers published replies; without it nobody reacts.",
    "reactions.backlash": "Plays after a reply that breaks the rubric.",
    "reactions.support": "Plays after a reply that passes the rubric.",
    "reactions.count": "How many comments.",
    "reactions.over": "Spread over how long, from the reply's publication.",
    "reactions.severity": "Severity of each comment, 1 to 5.",
    "reactions.heat": "Heat added at once when the reaction starts.",
    "reactions.persona_kind": "The kind of the generated people.",
    "reactions.texts": "The comments' texts; may quote the reply with {reply.excerpt}. Default: built-in texts.",
}


def described(key: str, schema: dict) -> dict:
    return {"description": DESCRIPTIONS[key], **schema}


def text(*, limit: int | None = None, line: bool = False, blank_ok: bool = False) -> dict:
    """A string the validator's `text` reads: no control characters, at most `limit`, not empty (a text of spaces
    only is the validator's to refuse: JSON Schema's idea of a space differs from Python's)."""
    schema = {"type": "string", "pattern": LINE_PATTERN if line else TEXT_PATTERN}
    schema |= {"maxLength": limit} if limit is not None else {}
    return schema if blank_ok else {**schema, "minLength": 1}


def key(pattern) -> dict:
    return {"type": "string", "pattern": f"^{pattern.pattern}$"}


def duration(*, positive: bool = True) -> dict:
    seconds = {"type": "number", "maximum": MAX_DURATION_MS // 1000}
    seconds |= {"exclusiveMinimum": 0} if positive else {"minimum": 0}
    return {"anyOf": [{"type": "string", "pattern": DURATION_PATTERN}, seconds]}


def integer(low: int, high: int = MAX_SAFE_INT) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high}


def number(low: float, high: float) -> dict:
    return {"type": "number", "minimum": low, "maximum": high}


def strict_object(prefix: str, properties: dict, *, required: tuple = ()) -> dict:
    """An object of exactly these keys (unknown keys are errors), each described."""
    schema = {
        "type": "object",
        "properties": {name: described(key_path(prefix, name), value) for name, value in properties.items()},
        "additionalProperties": False,
    }
    return schema | ({"required": list(required)} if required else {})


def chain() -> dict:
    step = {"role": {**key(_ROLE), "not": {"enum": sorted(RESERVED_ROLES)}}, "sla": duration()}
    author = strict_object("approval_chain", step, required=("role",)) | {"not": {"required": ["sla"]}}
    approver = strict_object("approval_chain", step, required=("role", "sla"))
    return {"type": "array", "minItems": 1, "maxItems": MAX_CHAIN_STEPS, "prefixItems": [author], "items": approver}


def personas() -> dict:
    name = text(limit=MAX_NAME_CHARS, line=True)
    fields = {
        "key": key(_PERSONA_KEY),
        "kind": text(),
        "name": name,
        "handle": name,
        "followers": integer(0, MAX_FOLLOWERS),
    }
    return {"type": "array", "items": strict_object("personas", fields, required=PERSONA_REQUIRED)}


def condition() -> dict:
    """Exactly one kind of condition, with its own wait and no other."""
    watched = {"unanswered": text(), "answered": text(), "heat_above": number(0, 100), "backlash": {"const": True}}
    shapes = []
    for kind, wait in WHEN_WAITS.items():
        fields = {kind: watched[kind]} | ({wait: duration(positive=False)} if wait else {})
        shapes.append(strict_object("injects.when", fields, required=tuple(fields)))
    return {"type": "object", "oneOf": shapes}


def inject() -> dict:
    fields = {
        "key": key(_INJECT_KEY),
        "at": duration(positive=False),
        "when": condition(),
        "platform": {"enum": list(PLATFORMS)},
        "persona": text(),
        "text": text(limit=MAX_TEXT_CHARS),
        "subject": text(limit=MAX_SUBJECT_CHARS, line=True),
        "severity": integer(1, 5),
        "requires_response": {"type": "boolean"},
        "respond_within": duration(),
        "sentiment": {"enum": list(SENTIMENTS)},
        "signal": {"type": "boolean"},
        "burst": strict_object(
            "injects.burst",
            {"count": integer(1, MAX_BURST_COUNT), "over": duration(), "persona_kind": text()},
            required=BURST_REQUIRED,
        ),
        "texts": {"type": "array", "minItems": 1, "items": text(limit=MAX_TEXT_CHARS)},
    }
    fields = {name: fields[name] for name in (*INJECT_REQUIRED, *INJECT_OPTIONAL)}  # the validator's keys, in order
    single_only = [{"required": [name]} for name in ("persona", "text", "when", "signal")]
    return strict_object("injects", fields, required=INJECT_REQUIRED) | {
        "oneOf": [{"required": ["at"]}, {"required": ["when"]}],
        "allOf": [
            {
                "if": {"required": ["burst"]},
                "then": {"required": ["texts"], "not": {"anyOf": single_only}},
                "else": {"required": ["persona", "text"], "not": {"required": ["texts"]}},
            },
            {
                "if": {"required": ["subject"]},
                "then": {"properties": {"platform": described("injects.subject", {"const": EMAIL})}},
            },
        ],
    }


def scoring() -> dict:
    phrases = {"type": "array", "items": text()}
    item = strict_object(
        "scoring.must_include", {"label": text(), "any": {**phrases, "minItems": 1}}, required=("label", "any")
    )
    fields = {
        "weights": strict_object("scoring.weights", {name: number(0, MAX_WEIGHT) for name in DEFAULT_WEIGHTS}),
        "must_include": {"type": "array", "items": item},
        "must_avoid": phrases,
        "max_length": {
            "type": "object",
            "propertyNames": {"enum": list(PLATFORMS)},
            "additionalProperties": integer(1),
        },
        "first_statement_within": duration(),
    }
    return strict_object("scoring", {name: fields[name] for name in SCORING_KEYS})


def reactions() -> dict:
    fields = {
        "count": integer(1, MAX_REACTION_COUNT),
        "over": duration(),
        "severity": integer(1, 5),
        "heat": number(0, MAX_REACTION_HEAT),
        "persona_kind": text(),
        "texts": {"type": "array", "minItems": 1, "items": text(limit=MAX_TEXT_CHARS)},
    }
    reaction = strict_object("reactions", {name: fields[name] for name in REACTION_KEYS})
    return strict_object("reactions", dict.fromkeys(REACTION_DEFAULTS, reaction))


def evaluation() -> dict:
    fields = {
        "key": key(_TASK_KEY),
        "task": text(limit=MAX_TASK_CHARS),
        "capability": text(limit=MAX_CAPABILITY_CHARS, line=True),
    }
    return {"type": "array", "items": strict_object("evaluation", fields, required=("key", "task"))}


def document_fields() -> dict:
    fields = {
        "format": {"const": FORMAT},
        "title": text(limit=MAX_TITLE_CHARS, line=True),
        "language": key(_LANGUAGE),
        "description": text(blank_ok=True),
        "brand": strict_object(
            "brand",
            {"name": text(limit=MAX_NAME_CHARS, line=True), "handle": text(limit=MAX_NAME_CHARS, line=True)},
            required=("name", "handle"),
        ),
        "duration": duration(),
        "seed": integer(0),
        "response_sla": duration(),
        "allow_self_approval": {"type": "boolean"},
        "approval_chain": chain(),
        "personas": personas(),
        "injects": {"type": "array", "minItems": 1, "items": inject()},
        "heat": strict_object("heat", {name: number(0, 100) for name in HEAT_FIELDS}),
        "scoring": scoring(),
        "evaluation": evaluation(),
        "reactions": reactions(),
    }
    return {name: fields[name] for name in (*TOP_REQUIRED, *TOP_OPTIONAL)}  # the validator's keys, in order


@functools.cache
def scenario_schema() -> dict:
    return {
        "$schema": DRAFT,
        "title": FORMAT,
        "description": "A CrisisDrill scenario document (PROTOCOL section 1), YAML or JSON.",
        **strict_object("", document_fields(), required=TOP_REQUIRED),
    }


@functools.cache
def schema_bytes() -> tuple[bytes, str]:
    """The schema as served, and its ETag (a hash of those bytes)."""
    body = json.dumps(scenario_schema(), ensure_ascii=False, indent=1).encode()
    return body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'
