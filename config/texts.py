"""Texts the server says to people: made in English where they arise, translated where they are shown.

Services and the pure cores mark their messages with `gettext_noop` and fill them with `said(MSG, name=value)`:
an English str (tests, logs, the command line and requests without a language preference read exactly what
they always did) that remembers its msgid and values. At an edge (the REST error handler, a websocket error
frame, a page, a bot writing into a drill's log) `translated` says it again in the active language.
The README's "Languages" section says which language each edge picks.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


class Said(str):
    """English text that can be said again in another language: its msgid and the values filled in."""

    msgid: str
    values: dict

    def __new__(cls, msgid: str, values: dict | None = None) -> Said:
        # Only filled when there are values: some msgids show literal braces ("{unanswered: KEY, ...}").
        text = super().__new__(cls, msgid.format(**values) if values else msgid)
        text.msgid, text.values = str(msgid), dict(values or {})
        return text


def said(msgid: str, /, **values) -> Said:
    return Said(msgid, values)


def translated(text: str) -> str:
    """`text` in the active language. A plain str is looked up as it is: a constant message, or a message
    DRF has already translated (then the lookup finds nothing and it stays as it is)."""
    if isinstance(text, Said):
        msgstr = translation.gettext(text.msgid)
        # A value may be said too (a component's name inside a report's sentence): it follows the language.
        values = {name: translated(value) if isinstance(value, Said) else value for name, value in text.values.items()}
        return msgstr.format(**values) if values else msgstr
    return translation.gettext(text) if text else text


def translated_issues(issues: list[dict]) -> list[dict]:
    """`[{path, message, ...}]` with each message translated; paths and the other keys stay as they are."""
    return [{**issue, "message": translated(issue["message"])} for issue in issues]


def record_language(tag: str) -> str:
    """The catalog for a scenario's `language` tag (he -> he, fr-CA -> fr); English when there is none."""
    try:
        return translation.get_supported_language_variant(tag)
    except LookupError:
        return settings.LANGUAGE_CODE
