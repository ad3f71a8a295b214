"""Which templates fit the post being answered (PROTOCOL section 2), pure: those in the drill's language and made for
the post's platform first, then the ones whose words are closest to the post's, by TF-IDF over words in any script
(no external service: the same library and post always give the same order)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Words in any script (\w is Unicode-aware on str): Hebrew and French count as English does. One-letter pieces
# (French elisions, Hebrew single letters) say nothing about the topic.
_WORD = re.compile(r"[^\W_]{2,}")
# A placeholder is filled differently for each post: its name says nothing about the post's topic.
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# Similarities equal to this many decimals are a tie, broken by name and id, whatever the float arithmetic did.
_SCORE_DECIMALS = 9


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    language: str
    platforms: tuple[str, ...]  # empty: made for every platform
    tags: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Post:
    language: str  # the drill's scenario language
    platform: str
    text: str


def words(text: str) -> list[str]:
    """The words of a text, case-folded, placeholders left out."""
    return _WORD.findall(_PLACEHOLDER.sub(" ", text).casefold())


def _primary(language: str) -> str:
    return language.split("-")[0].casefold()


def fits_language(template: Candidate, post: Post) -> bool:
    return _primary(template.language) == _primary(post.language)


def fits_platform(template: Candidate, post: Post) -> bool:
    return not template.platforms or post.platform in template.platforms


def _document(template: Candidate) -> list[str]:
    return words(template.text) + [word for tag in template.tags for word in words(tag)]


def _idf(documents: Sequence[list[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency over the library: ln((1 + n) / (1 + df)) + 1, so a word every template
    has still counts a little and none divides by zero."""
    n = len(documents)
    frequency = Counter(word for document in documents for word in set(document))
    return {word: math.log((1 + n) / (1 + df)) + 1 for word, df in frequency.items()}


def _vector(document: list[str], idf: dict[str, float]) -> dict[str, float]:
    # A post's word no template has carries no weight: it cannot bring any template closer.
    return {word: count * idf[word] for word, count in Counter(document).items() if word in idf}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(weight * b[word] for word, weight in a.items() if word in b)
    if not dot:
        return 0.0
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm


def similarities(post: Post, templates: Sequence[Candidate]) -> dict[int, float]:
    """Template id -> cosine similarity (0..1) of the TF-IDF vectors of the post and of the template's text and
    tags, the inverse document frequencies taken over these templates."""
    documents = [_document(template) for template in templates]
    idf = _idf(documents)
    post_vector = _vector(words(post.text), idf)
    return {
        template.id: _cosine(post_vector, _vector(document, idf))
        for template, document in zip(templates, documents, strict=True)
    }


def rank(post: Post, templates: Sequence[Candidate]) -> list[Candidate]:
    """Every template, best first: the post's language before others, then made for its platform, then the most
    similar; ties by name (case-folded), then name, then id."""
    scores = similarities(post, templates)

    def order(template: Candidate) -> tuple:
        return (
            not fits_language(template, post),
            not fits_platform(template, post),
            -round(scores[template.id], _SCORE_DECIMALS),
            template.name.casefold(),
            template.name,
            template.id,
        )

    return sorted(templates, key=order)
