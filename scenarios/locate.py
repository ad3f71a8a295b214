"""Where a validation path points in the document text, so an editor can put the cursor on it.

`line_of(text, "injects[3].at")` is the 1-based line of that node in the YAML (or JSON: JSON is YAML)
text; when the path names something the text lacks (a missing key, an index past the end), it is the
line of the deepest part that exists. Pure and forgiving: text that cannot be read gives None, never
an exception, because the caller is showing errors about that very text.
"""

from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# libyaml reads tabs between JSON tokens (PyYAML's own scanner does not) and is much faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INDEX = re.compile(r"\[(\d+)\]")


def line_of(text: str, path: str) -> int | None:
    """The line where `path`'s node (or, when absent, its nearest parent) starts; None if unreadable."""
    return lines_of(text, [path])[0]


def lines_of(text: str, paths: list[str]) -> list[int | None]:
    """`line_of` for many paths, reading the text once.

    On text that cannot be read, the document-level path "" gets the line where reading stopped
    (that is where the syntax error is); every other path gets None.
    """
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        stop_line = mark.line + 1 if mark else None
        return [stop_line if path == "" else None for path in paths]
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return [None] * len(paths)
    if root is None:
        return [None] * len(paths)
    return [_line_in(root, path) for path in paths]


def _compose(text: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        if "\t" not in text:
            raise
    # A tab only moves columns, never lines: the fallback scanner then reads tab-indented JSON too.
    return yaml.compose(text.replace("\t", " "), Loader=_LOADER)


def _line_in(root: Node, path: str) -> int:
    node, line, rest = root, root.start_mark.line + 1, path
    while rest:
        step = _step(node, rest)
        if step is None:
            break  # the rest of the path is not in the text: the parent's line is the best answer
        node, line, rest = step
    return line


def _step(node: Node, rest: str) -> tuple[Node, int, str] | None:
    """One step down the path: (child node, its line, the rest of the path), or None if absent."""
    index = _INDEX.match(rest)
    if index:
        position = int(index.group(1))
        if not isinstance(node, SequenceNode) or position >= len(node.value):
            return None
        child = node.value[position]
        return child, child.start_mark.line + 1, rest[index.end() :]
    return _key_step(node, rest.removeprefix("."))


def _key_step(node: Node, rest: str) -> tuple[Node, int, str] | None:
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
    # The key's line, not the value's: a nested mapping's value starts on the line below its key.
    return value_node, key_node.start_mark.line + 1, rest[len(key_node.value) :]


def _names(rest: str, key: str) -> bool:
    return rest == key or rest.startswith(key + ".") or rest.startswith(key + "[")
