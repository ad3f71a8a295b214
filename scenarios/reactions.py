"""Crowd reactions to published replies (PROTOCOL section 1.4), planned as pure functions of the drill log.

A reply that breaks the rubric (the same test the bots use: `scenarios.rubric`) sets off the scenario's `backlash`,
one that passes its `support`: `count` comments spread like a burst from the reply's publication, quoting it. What a
reply sets off depends only on its text and platform, and the comments only on the seed and the response id, so the
same log always gives the same comments (and the engine can plan them again on every step, publishing each once).
"""

from __future__ import annotations

import functools
import random
import threading
from dataclasses import dataclass

from faker import Faker

from scenarios.plan import PlannedItem, PlannedPersona
from scenarios.reaction_texts import built_in_texts
from scenarios.rubric import check_reply, rule_broken
from scenarios.spec import BACKLASH, SUPPORT, Reaction, Scenario
from scenarios.textgen import Renderer, faker_locale

# `{reply.excerpt}`: the reply's first characters.
EXCERPT_CHARS = 60
SENTIMENTS = {BACKLASH: "negative", SUPPORT: "positive"}
KEY_PREFIX = "reaction-"

# A Faker per locale, reseeded before each use: building one costs far more than an engine step may.
_fakers: dict[str, Faker] = {}
_fakers_lock = threading.Lock()


@dataclass(frozen=True)
class ReactionItem(PlannedItem):
    """A reaction comment: a burst item that also says what it answers."""

    reaction: str = BACKLASH
    in_reply_to: int | None = None


def reaction_kind(scenario: Scenario, text: str, platform: str) -> str | None:
    """What a published reply sets off: backlash when the bots would reject it, support otherwise; None when the
    scenario has no reactions."""
    if scenario.reactions is None:
        return None
    broken = rule_broken(check_reply(text, platform, scenario.scoring)) is not None
    return BACKLASH if broken else SUPPORT


def reaction_of(scenario: Scenario, kind: str) -> Reaction:
    return getattr(scenario.reactions, kind)


def reaction_key(response_id: int) -> str:
    return f"{KEY_PREFIX}{response_id}"


def plan_reaction(
    scenario: Scenario, *, kind: str, response_id: int, text: str, platform: str, published_ms: int
) -> tuple[ReactionItem, ...]:
    """The comments of reaction `kind` to the reply `response_id`, item i at published + over x (i + u) / count."""
    reaction = reaction_of(scenario, kind)
    texts = reaction.texts or built_in_texts(scenario.language, kind)
    brand = (scenario.brand_name, scenario.brand_handle)
    return _planned(
        scenario.seed,
        scenario.language,
        brand,
        scenario.response_sla_ms,
        reaction,
        texts,
        kind,
        _Reply(response_id, text, platform, published_ms),
    )


@dataclass(frozen=True)
class _Reply:
    response_id: int
    text: str
    platform: str
    published_ms: int


# The engine asks again on every step while a reaction plays: the same answer, remembered (Faker names are costly).
@functools.lru_cache(maxsize=1024)
def _planned(
    seed: int,
    language: str,
    brand: tuple[str, str],
    sla_ms: int,
    reaction: Reaction,
    texts: tuple[str, ...],
    kind: str,
    reply: _Reply,
) -> tuple[ReactionItem, ...]:
    rng = random.Random(seed + reply.response_id)
    excerpt = {"reply.excerpt": reply.text[:EXCERPT_CHARS]}
    locale = faker_locale(language)
    with _fakers_lock:
        fake = _faker(locale)
        fake.seed_instance(seed + reply.response_id)
        renderer = Renderer(fake=fake, locale=locale, brand_name=brand[0], brand_handle=brand[1])
        deck: list[str] = []
        items = []
        for index in range(reaction.count):
            u = rng.random()
            persona = PlannedPersona(
                name=fake.name(),
                handle="@" + fake.user_name(),
                kind=reaction.persona_kind,
                followers=rng.randint(20, 5000),
            )
            if not deck:  # each text once before any repeats
                deck = rng.sample(texts, len(texts))
            items.append(
                ReactionItem(
                    key=reaction_key(reply.response_id),
                    burst_index=index,
                    planned_ms=reply.published_ms + int(reaction.over_ms * (index + u) / reaction.count),
                    platform=reply.platform,
                    persona=persona,
                    text=renderer.render(deck.pop(), persona, excerpt),
                    severity=reaction.severity,
                    requires_response=False,
                    respond_within_ms=sla_ms,
                    reaction=kind,
                    in_reply_to=reply.response_id,
                )
            )
    return tuple(items)


def reaction_fields(item: ReactionItem) -> dict:
    """The fields a reaction comment adds to `inject.published` (PROTOCOL section 3)."""
    return {
        "reaction": item.reaction,
        "in_reply_to": item.in_reply_to,
        "sentiment": SENTIMENTS[item.reaction],
    }


def _faker(locale: str) -> Faker:
    if locale not in _fakers:
        _fakers[locale] = Faker(locale)
    return _fakers[locale]
