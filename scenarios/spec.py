"""The crisisdrill/v1 scenario as typed, validated data.

`scenarios.validation` turns a document into a `Scenario`; everything downstream (text generation,
the engine, scoring) reads these dataclasses and never the raw document. Durations are simulated
milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FORMAT = "crisisdrill/v1"
PLATFORMS = ("x", "facebook", "instagram", "tiktok", "linkedin", "news", "email", "internal")
DEFAULT_SEED = 1
# first_statement and detection are shown, not counted, unless a scenario weights them (PROTOCOL section 4).
DEFAULT_WEIGHTS = {
    "timeliness": 40.0,
    "coverage": 30.0,
    "approval_flow": 15.0,
    "quality": 15.0,
    "first_statement": 0.0,
    "detection": 0.0,
}
EMAIL = "email"
# An e-mail's subject line (PROTOCOL section 1.3), written or defaulted from the text.
MAX_SUBJECT_CHARS = 200
# How a post speaks of the brand (PROTOCOL section 1.3); the listening panel and engagement read it.
NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"
SENTIMENTS = (NEGATIVE, NEUTRAL, POSITIVE)


def default_sentiment(*, requires_response: bool, burst: bool) -> str:
    """A post's sentiment when its scenario gives none: a post that needs a reply, or a pile-on, is negative."""
    return NEGATIVE if requires_response or burst else NEUTRAL


@dataclass(frozen=True)
class Step:
    role: str
    sla_ms: int | None  # None for the first step (the author)


@dataclass(frozen=True)
class Persona:
    key: str
    kind: str
    name: str  # a template: may hold placeholders such as {faker.name}
    handle: str  # a template too
    followers: int = 0


@dataclass(frozen=True)
class Burst:
    count: int
    over_ms: int
    persona_kind: str


@dataclass(frozen=True)
class Reaction:
    """How the crowd answers a published reply (PROTOCOL section 1.4): comments spread like a burst."""

    count: int
    over_ms: int
    severity: int
    heat: float  # added at once when the reaction starts
    persona_kind: str = "customer"
    texts: tuple[str, ...] = ()  # templates; empty: the built-in texts of the scenario's language


BACKLASH = "backlash"
SUPPORT = "support"
# PROTOCOL section 1.4's defaults, per reaction.
REACTION_DEFAULTS = {
    BACKLASH: Reaction(count=12, over_ms=120_000, severity=2, heat=15),
    SUPPORT: Reaction(count=3, over_ms=60_000, severity=1, heat=0),
}


@dataclass(frozen=True)
class Reactions:
    backlash: Reaction = REACTION_DEFAULTS[BACKLASH]
    support: Reaction = REACTION_DEFAULTS[SUPPORT]


@dataclass(frozen=True)
class Condition:
    kind: str  # "unanswered" | "answered" | "heat_above" | "backlash"
    key: str | None = None  # the inject it watches (unanswered / answered)
    wait_ms: int = 0  # `for` of unanswered, `delay` of answered and backlash
    threshold: float | None = None  # heat_above


@dataclass(frozen=True)
class Inject:
    key: str
    platform: str
    severity: int
    requires_response: bool = False
    respond_within_ms: int | None = None
    at_ms: int | None = None  # exactly one of at_ms and when
    when: Condition | None = None
    persona: str | None = None  # a persona key; None for bursts
    text: str | None = None  # a template; None for bursts
    burst: Burst | None = None
    texts: tuple[str, ...] = ()  # burst texts (templates)
    subject: str | None = None  # a template; e-mails only, None for the default (the text's first words)
    signal: bool = False  # an early-warning sign the team should flag; never shown to participants during the drill
    sentiment: str | None = None  # one of SENTIMENTS (a burst's for all its items); None for the default


@dataclass(frozen=True)
class Heat:
    start: float = 10
    per_severity: float = 3
    overdue_per_min: float = 2
    reply_cools: float = 8
    decay_per_min: float = 1


@dataclass(frozen=True)
class RubricItem:
    label: str
    any: tuple[str, ...]


@dataclass(frozen=True)
class Scoring:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    must_include: tuple[RubricItem, ...] = ()
    must_avoid: tuple[str, ...] = ()
    max_length: dict[str, int] = field(default_factory=dict)  # platform -> characters
    first_statement_within_ms: int | None = None  # None: the scenario's response_sla


@dataclass(frozen=True)
class Task:
    """A task observers rate (section 1.6)."""

    key: str
    task: str
    capability: str | None = None


@dataclass(frozen=True)
class Scenario:
    title: str
    language: str
    brand_name: str
    brand_handle: str
    duration_ms: int
    response_sla_ms: int
    chain: tuple[Step, ...]
    personas: tuple[Persona, ...]
    injects: tuple[Inject, ...]
    description: str = ""
    seed: int = DEFAULT_SEED
    allow_self_approval: bool = False
    heat: Heat = field(default_factory=Heat)
    scoring: Scoring = field(default_factory=Scoring)
    evaluation: tuple[Task, ...] = ()
    reactions: Reactions | None = None  # None: nobody reacts to replies

    def deadline_ms(self, inject: Inject) -> int:
        """How long after publication a reply to `inject` is due."""
        return inject.respond_within_ms if inject.respond_within_ms is not None else self.response_sla_ms

    def first_statement_target_ms(self) -> int:
        """How soon after the first post needing a reply the team's first public statement is due (section 4)."""
        within_ms = self.scoring.first_statement_within_ms
        return self.response_sla_ms if within_ms is None else within_ms

    def inject(self, key: str) -> Inject:
        return next(i for i in self.injects if i.key == key)

    def persona(self, key: str) -> Persona:
        return next(p for p in self.personas if p.key == key)

    @property
    def signal_keys(self) -> tuple[str, ...]:
        """The keys of the injects that are signals, for the instructors' console."""
        return tuple(inject.key for inject in self.injects if inject.signal)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(step.role for step in self.chain)
