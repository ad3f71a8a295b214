"""The author's text of a scenario (PROTOCOL section 1.7): kept verbatim beside the parsed document.

A scenario's `spec` is the document every other part reads; its `source` is the text it was written as,
comments, key order, quoting, block styles and line endings included. Text read from a file loses only its
byte order mark, which marks the file's encoding and is not part of the text. A document given as an object
gets a generated source. Pure: no Django, no database.
"""

from __future__ import annotations

import hashlib
import json

from scenarios.validation import dump_document

BYTE_ORDER_MARK = "\ufeff"
YAML, JSON = "yaml", "json"


def source_text(text: str | bytes) -> str:
    """The author's text of a document already read by `load_document` (so it is UTF-8 within the limit)."""
    decoded = text.decode("utf-8") if isinstance(text, bytes | bytearray) else text
    return decoded.removeprefix(BYTE_ORDER_MARK)


def generated_source(document: dict) -> str:
    """The source of a document given as an object: YAML, in the document's own key order."""
    return dump_document(document, YAML)


def written_in(source: str) -> str:
    """JSON when the text is a JSON object, else YAML (of which JSON is a part)."""
    if not source.lstrip().startswith("{"):
        return YAML
    try:
        return JSON if isinstance(json.loads(source), dict) else YAML
    except (ValueError, RecursionError):
        return YAML


def export_text(document: dict, source: str, fmt: str) -> str:
    """The document as `fmt`: the author's own text when it was written in that format, else generated."""
    return source if written_in(source) == fmt else dump_document(document, fmt)


def checksum_of(document: dict, source: str) -> str:
    """SHA-256 of what a version freezes: the document as canonical JSON (keys sorted, no spaces, non-ASCII
    kept; it never holds a raw line feed), a line feed, then the author's text, all as UTF-8."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{canonical}\n{source}".encode()).hexdigest()
