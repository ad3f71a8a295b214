"""The bounds every input shares, each defined once: ids, request bodies, JSON nesting, and the characters a
name or a text may hold. Serializers, services, the websocket and the scenario validator all use these."""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

# Ids and counters are 64-bit columns: a bigger integer overflows SQLite and PostgreSQL (a 500) before any
# lookup could answer "not found".
MAX_ID = 2**63 - 1
# One request body: room for a 1 MiB scenario document escaped into JSON (`{spec: "..."}`) or wrapped in a
# multipart envelope. The document's own limit is scenarios.validation.MAX_DOCUMENT_BYTES.
MAX_BODY_BYTES = 2 * 1024 * 1024
# A scenario is about five levels deep, an API body three: deeper nesting is hostile, refused before anything
# recurses over it (json, serializers, the error flattener).
MAX_JSON_DEPTH = 32

MSG_BAD_CHARACTERS = gettext_noop("contains control characters or invalid Unicode")
MSG_BODY_TOO_LARGE = gettext_noop("The request body is larger than 2 MiB.")
MSG_TOO_DEEP = gettext_noop("The JSON is nested too deeply.")

# Control characters and lone surrogates cannot be stored or shown; texts keep tab and newlines, names do not.
_BAD_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def has_bad_characters(value: str, *, multiline: bool = True) -> bool:
    return (_BAD_IN_TEXT if multiline else _BAD_IN_LINE).search(value) is not None


def whole_number(value: str, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """A query parameter as an int in [low, high], or None: ASCII digits only (`"²".isdigit()` is true)."""
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(high)):
        return None
    number = int(value)
    return number if low <= number <= high else None


# Names: a person's display name, a team, a persona, a brand.
MAX_NAME_CHARS = 120
MSG_NAME_TOO_LONG = gettext_noop("must be at most 120 characters")
# Titles of scenarios and drills.
MAX_TITLE_CHARS = 200
MSG_TITLE_TOO_LONG = gettext_noop("Titles are at most 200 characters.")
