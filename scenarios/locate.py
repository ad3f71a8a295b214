"""Where a validation path points in the document text, so an editor can put the cursor on it.

`position_of(text, "injects[3].at")` is the 1-based `(line, column)` of that node in the YAML (or JSON: JSON is
YAML) text: for a key, where the key starts; for a list item, where the item starts. When the path names something
the text lacks (a missing key, an index past the end), it is the position of the deepest part that exists. Columns
count characters (code points), as PyYAML's marks do; a byte order mark counts for nothing. Pure and forgiving: text
that cannot be read gives None, never an exception, because the caller is showing errors about that very text.
"""

from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# libyaml reads tabs between JSON tokens (PyYAML's own scanner does not) and is much faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INDEX = re.compile(r"\[(\d+)\]")

Position = tuple[int, int]  # (line, column), both 1-based


def position_of(text: str, path: str) -> Position | None:
    """Where `path`'s node (or, when absent, its nearest parent) starts; None if unreadable."""
    return positions_of(text, [path])[0]


def positions_of(text: str, paths: list[str]) -> list[Position | None]:
    """`position_of` for many paths, reading the text once.

    On text that cannot be read, the document-level path "" gets the place where reading stopped
    (that is where the syntax error is); every other path gets None.
    """
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        stop = _position(mark) if mark else None
        return [stop if path == "" else None for path in paths]
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return [None] * len(paths)
    if root is None:
        return [None] * len(paths)
    return [_position_in(root, path) for path in paths]


def located(issues: list[dict], text: str) -> list[dict]:
    """`[{path, message}]` with each issue's `line` and `column` in `text` added (None where unknown). An issue
    that already has them (the reader stopped there, e.g. at an anchor) keeps its own."""
    positions = positions_of(text, [issue["path"] for issue in issues]) if issues else []
    return [
        issue if issue.get("line") else {**issue, "line": at[0] if at else None, "column": at[1] if at else None}
        for issue, at in zip(issues, positions, strict=True)
    ]


def _position(mark: yaml.Mark) -> Position:
    return mark.line + 1, mark.column + 1


def _compose(text: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        if "\t" not in text:
            raise
    # A tab is one character as a space is: the fallback scanner then reads tab-indented JSON, columns unchanged.
    return yaml.compose(text.replace("\t", " "), Loader=_LOADER)


def _position_in(root: Node, path: str) -> Position:
    node, at, rest = root, _position(root.start_mark), path
    while rest:
        step = _step(node, rest)
        if step is None:
            break  # the rest of the path is not in the text: the parent's position is the best answer
        node, at, rest = step
    return at


def _step(node: Node, rest: str) -> tuple[Node, Position, str] | None:
    """One step down the path: (child node, its position, the rest of the path), or None if absent."""
    index = _INDEX.match(rest)
    if index:
        number = int(index.group(1))
        if not isinstance(node, SequenceNode) or number >= len(node.value):
            return None
        child = node.value[number]
        return child, _position(child.start_mark), rest[index.end() :]
    return _key_step(node, rest.removeprefix("."))


def _key_step(node: Node, rest: str) -> tuple[Node, Position, str] | None:
    if not isinstance(node, MappingNode):
        return None
    best = None
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or not _names(rest, key_node.value):
            continue
        # The longest key wins, so a key holding a dot is not cut short; among equal keys the last
        # one wins, because a duplicate key is reported where it is given again.
        if best is None or len(key_node.value) >= len(best[0].value):
            best = (key_node, value_node)
    if best is None:
        return None
    key_node, value_node = best
    # The key's place, not the value's: a nested mapping's value starts on the line below its key.
    return value_node, _position(key_node.start_mark), rest[len(key_node.value) :]


def _names(rest: str, key: str) -> bool:
    return rest == key or rest.startswith(key + ".") or rest.startswith(key + "[")
