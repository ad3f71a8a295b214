"""A template's text (PROTOCOL section 2): the placeholders of the scenario format, filled for the post being
answered, and `[[slots]]` the team must fill in by hand before a reply may go up the chain. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping

# The scenario format's placeholders a template may use (section 1); `{{` and `}}` are literal braces.
PLACEHOLDERS = ("brand.name", "brand.handle", "persona.name", "persona.handle")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
# A slot holds what to fill in: at least one character that is not a bracket, on one line.
_SLOT = re.compile(r"\[\[([^\[\]\n]*)\]\]")


def placeholders(text: str) -> list[str]:
    """Every `{name}` the text uses, in order (literal `{{`/`}}` are not placeholders)."""
    return [match.group(1) for match in _PLACEHOLDER.finditer(text) if match.group(1) is not None]


def unknown_placeholders(text: str) -> list[str]:
    return [name for name in placeholders(text) if name not in PLACEHOLDERS]


def slots(text: str) -> list[str]:
    """The labels of the `[[slots]]` still in the text, in order (an empty `[[]]` gives an empty label)."""
    return [match.group(1) for match in _SLOT.finditer(text)]


def slot_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each slot, brackets included: where the composer highlights and puts the cursor."""
    return [match.span() for match in _SLOT.finditer(text)]


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each `{name}`, braces included: where a page isolates it as left-to-right code."""
    return [match.span() for match in _PLACEHOLDER.finditer(text) if match.group(1) is not None]


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with each known placeholder replaced by its value; slots and unknown names are left as written."""

    def replaced(match: re.Match) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]  # `{{` -> `{`, `}}` -> `}`
        return values.get(name, match.group(0))

    return _PLACEHOLDER.sub(replaced, text)
