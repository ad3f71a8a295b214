"""One cell's value: text as an .xlsx file can hold it, lists of texts in one cell, and what a read cell means.

XML cannot carry a carriage return (it becomes a line feed) nor U+FFFE/U+FFFF and control characters: like Excel,
such a character is written `_xHHHH_`, and a literal `_xHHHH_` in the text gets its underscore escaped as
`_x005F_`, so every text reads back exactly as written.
"""

from __future__ import annotations

import datetime
import re

from scenarios.workbook.layout import SEPARATOR

_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
# A text that a spreadsheet would take for a formula when someone edits the cell (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def encode_text(text: str) -> str:
    return _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def decode_text(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def join_texts(items: list) -> str:
    """Texts in one cell: ` | ` between them, and `\\` before each `|` or `\\` inside a text."""
    return SEPARATOR.join(str(item).replace("\\", "\\\\").replace("|", "\\|") for item in items)


def split_texts(cell: str) -> list[str]:
    """The texts of a cell `join_texts` wrote, or a person typed (`a|b`, `a | b`): split at each `|` that is not
    escaped, taking off the one space on each side of it. A `\\` before anything but `|` or `\\` stays."""
    items, current, index = [], [], 0
    while index < len(cell):
        char = cell[index]
        following = cell[index + 1 : index + 2]
        if char == "\\" and following in ("|", "\\"):
            current.append(following)
            index += 2
            continue
        if char == "|":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    items.append("".join(current))
    return [_trim(item, first=i == 0, last=i == len(items) - 1) for i, item in enumerate(items)]


def _trim(item: str, *, first: bool, last: bool) -> str:
    if not first:
        item = item.removeprefix(" ")
    if not last:
        item = item.removesuffix(" ")
    return item


def plain_value(value: object) -> object:
    """A read cell's value as document data: text decoded, a time a spreadsheet made of `0:05:00` as that text."""
    if isinstance(value, str):
        return decode_text(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ") if value.time() != datetime.time() else value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return f"{value.hour}:{value.minute:02d}:{value.second:02d}"
    if isinstance(value, datetime.timedelta):
        hours, rest = divmod(round(value.total_seconds()), 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return value
