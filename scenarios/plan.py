"""The planned timeline of a scenario: every inject and burst item with its time, persona and text.

`scenarios.textgen.plan_scenario` builds it (deterministic for a seed); the preview API shows it and
the engine publishes from it, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from scenarios.spec import EMAIL, MAX_SUBJECT_CHARS, Condition, default_sentiment

# How many of the text's words make an e-mail's default subject.
SUBJECT_WORDS = 8


@dataclass(frozen=True)
class PlannedPersona:
    name: str
    handle: str
    kind: str
    followers: int

    def as_dict(self) -> dict:
        return {"name": self.name, "handle": self.handle, "kind": self.kind, "followers": self.followers}


@dataclass(frozen=True)
class PlannedItem:
    key: str
    burst_index: int | None  # None outside bursts
    planned_ms: int | None  # None for conditional injects: their time comes from the drill
    platform: str
    persona: PlannedPersona
    text: str
    severity: int
    requires_response: bool
    respond_within_ms: int  # the inject's deadline (respond_within or response_sla)
    subject: str | None = None  # e-mails: the subject as written (rendered); None for the default
    signal: bool = False  # kept in the plan only: never part of item_data (PROTOCOL section 1.3)
    sentiment: str | None = None  # as the scenario wrote it; None for the default (item_sentiment)


@dataclass(frozen=True)
class ConditionalItem:
    when: Condition
    item: PlannedItem


@dataclass(frozen=True)
class Plan:
    # Sorted by (planned_ms, position of the inject in the document, burst_index).
    timed: tuple[PlannedItem, ...]
    # In document order.
    conditional: tuple[ConditionalItem, ...]


def default_subject(text: str) -> str:
    """An e-mail's subject when the scenario gives none (PROTOCOL section 1.3): the first words of its text."""
    return " ".join(text.split()[:SUBJECT_WORDS])[:MAX_SUBJECT_CHARS]


def item_subject(item: PlannedItem) -> str | None:
    """The subject line an e-mail item shows, on one line and clipped (a placeholder may have filled it with more);
    None for posts."""
    if item.platform != EMAIL:
        return None
    if item.subject is None:
        return default_subject(item.text)
    return " ".join(item.subject.split())[:MAX_SUBJECT_CHARS]


def item_sentiment(item: PlannedItem) -> str:
    """The item's sentiment, written or the default (PROTOCOL section 1.3)."""
    if item.sentiment is not None:
        return item.sentiment
    return default_sentiment(requires_response=item.requires_response, burst=item.burst_index is not None)


def item_data(item: PlannedItem, *, planned_ms: int | None, shown_ms: int | None) -> dict:
    """An item as the team sees it, the one shape of `inject.published`'s data (PROTOCOL section 3, without the
    drill's `id` and `manual`) and of the preview's entries. `shown_ms`: when it lands (or is planned to); its
    deadline runs from then, not from when the script meant it. Every item carries its `sentiment`, e-mails their
    `subject`; `signal` is never here: this is what participants see."""
    data = {
        "key": item.key,
        "burst_index": item.burst_index,
        "platform": item.platform,
        "persona": item.persona.as_dict(),
        "text": item.text,
        "severity": item.severity,
        "requires_response": item.requires_response,
        "respond_by_ms": shown_ms + item.respond_within_ms if item.requires_response and shown_ms is not None else None,
        "planned_ms": planned_ms,
        "sentiment": item_sentiment(item),
    }
    subject = item_subject(item)
    if subject is not None:
        data["subject"] = subject
    return data
