"""Request bodies for every API view and websocket frame: one size limit (413) and a JSON nesting limit (400).

DRF's parsers read the raw stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE, and `json.loads` recurses once
per level (a RecursionError, a 500, on a body of ten thousand `[`): these parsers read at most MAX_BODY_BYTES
and refuse nesting deeper than MAX_JSON_DEPTH before any view sees the data.
"""

from __future__ import annotations

import io
import json

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from config.errors import TooLarge
from config.limits import MAX_BODY_BYTES, MAX_JSON_DEPTH, MSG_BODY_TOO_LARGE, MSG_TOO_DEEP
from config.texts import translated


class TooDeep(ValueError):
    pass


def loads(text: str | bytes) -> object:
    """`json.loads` that refuses NaN and Infinity (ValueError) and nesting deeper than MAX_JSON_DEPTH (TooDeep)."""
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise TooDeep(MSG_TOO_DEEP) from None
    if nesting_exceeds(value, MAX_JSON_DEPTH):
        raise TooDeep(MSG_TOO_DEEP)
    return value


def nesting_exceeds(value: object, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` deep; level by level, so it never recurses itself."""
    level, depth = [value], 0
    while True:
        containers = [item for item in level if isinstance(item, (dict, list))]
        if not containers:
            return False
        depth += 1
        if depth > limit:
            return True
        level = [child for item in containers for child in (item.values() if isinstance(item, dict) else item)]


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def read_body(stream, parser_context: dict | None) -> bytes:
    """The body, refused with 413 when its Content-Length or its bytes pass MAX_BODY_BYTES."""
    request = (parser_context or {}).get("request")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise TooLarge(MSG_BODY_TOO_LARGE)
    body = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
    if len(body) > MAX_BODY_BYTES:
        raise TooLarge(MSG_BODY_TOO_LARGE)
    return body


class JsonParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return loads(read_body(stream, parser_context).decode(encoding))
        except TooDeep:
            raise ParseError(translated(MSG_TOO_DEEP)) from None
        except ValueError as exc:  # also UnicodeDecodeError
            raise ParseError(f"JSON parse error - {exc}") from None


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(io.BytesIO(read_body(stream, parser_context)), media_type, parser_context)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(io.BytesIO(read_body(stream, parser_context)), media_type, parser_context)
