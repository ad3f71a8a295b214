"""The reply rubric: how well one published text meets a scenario's `scoring` rules.

It lives with the scenario whose rules it reads, so that drills and scoring both use it without importing
each other. Used twice: the scorecard's quality component, and bots deciding whether to approve (they reject with
`rule_broken`'s message), so a participant reads the same rule the debrief later scores. That message is
English here; a bot writes it in the drill's language (config.texts).
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass

from django.utils.translation import gettext_noop

from config.texts import said
from scenarios.spec import Scoring

FORBIDDEN_MESSAGE = gettext_noop('contains forbidden phrase "{phrase}"')
TOO_LONG_MESSAGE = gettext_noop("too long for {platform}: {length} > {max_length} characters")
MISSING_MESSAGE = gettext_noop("missing: {labels}")


@dataclass(frozen=True)
class RubricResult:
    score: float  # 0..1
    present: tuple[str, ...]  # labels of must_include items found
    missing: tuple[str, ...]  # labels of must_include items not found
    forbidden: tuple[str, ...]  # must_avoid phrases found, as written in the scenario
    length: int
    max_length: int | None
    too_long: bool
    platform: str = ""  # kept so rule_broken can name it

    def as_dict(self) -> dict:
        result = asdict(self)
        for name in ("present", "missing", "forbidden"):
            result[name] = list(result[name])
        return result


def check_reply(text: str, platform: str, scoring: Scoring) -> RubricResult:
    """Score `text` published on `platform` against the rubric of `scoring`."""
    folded = _fold(text)
    hits = [(item.label, _contains_any(folded, item.any)) for item in scoring.must_include]
    present = tuple(label for label, hit in hits if hit)
    missing = tuple(label for label, hit in hits if not hit)
    forbidden = tuple(phrase for phrase in scoring.must_avoid if _contains_any(folded, (phrase,)))
    max_length = scoring.max_length.get(platform)
    length = _length(text)
    too_long = max_length is not None and length > max_length
    return RubricResult(
        score=_score(len(present), len(scoring.must_include), broken=bool(forbidden) or too_long),
        present=present,
        missing=missing,
        forbidden=forbidden,
        length=length,
        max_length=max_length,
        too_long=too_long,
        platform=platform,
    )


def rule_broken(result: RubricResult) -> str | None:
    """A short message naming the first broken rule (forbidden phrase, length, missing items), or None."""
    if result.forbidden:
        return said(FORBIDDEN_MESSAGE, phrase=result.forbidden[0])
    if result.too_long:
        return said(TOO_LONG_MESSAGE, platform=result.platform, length=result.length, max_length=result.max_length)
    if result.missing:
        # Every must_include item is a "must": a reply lacking any of them breaks the rubric.
        return said(MISSING_MESSAGE, labels=", ".join(result.missing))
    return None


def _score(found: int, wanted: int, *, broken: bool) -> float:
    if broken:
        return 0.0
    if wanted == 0:
        return 1.0
    return found / wanted


def _contains_any(folded_text: str, needles: tuple[str, ...]) -> bool:
    # An empty needle would be a substring of every text: it would make every reply forbidden (or
    # every item present), which no scenario author means, so it is ignored.
    return any(needle.strip() and _fold(needle) in folded_text for needle in needles)


def _fold(text: str) -> str:
    # Unicode's canonical caseless match: "é" typed as e + combining accent (macOS input, pasted
    # text) matches the scenario's precomposed "é", and "STRASSE" matches "straße".
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())


def _length(text: str) -> int:
    # Characters as a reader sees them, whatever the input method: X counts NFC-normalized text too.
    return len(unicodedata.normalize("NFC", text))
