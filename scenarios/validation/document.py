"""Reading and writing scenario documents as YAML or JSON, refusing what is unsafe or ambiguous.

YAML is read with a SafeLoader subclass that knows only YAML 1.2 core types (so `language: no`
stays "no" and `0:05:00` stays a string for the duration parser), and refuses anchors and aliases
(no "billion laughs"), explicit tags and duplicate keys. Every refusal is a `DocumentError`.
"""

from __future__ import annotations

import json
import re

import yaml
import yaml.cyaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from config.limits import MAX_JSON_DEPTH
from config.texts import said
from scenarios.validation.issues import DocumentError, Issue, index_path, key_path
from scenarios.validation.messages import (
    MSG_DUPLICATE_KEY,
    MSG_INVALID_JSON,
    MSG_INVALID_JSON_VALUE,
    MSG_INVALID_YAML,
    MSG_NOT_A_DOCUMENT,
    MSG_NOT_UTF8,
    MSG_TOO_DEEP,
    MSG_TOO_LARGE,
    MSG_YAML_ANCHOR,
    MSG_YAML_TAG,
)

MAX_DOCUMENT_BYTES = 1024 * 1024
# A scenario is about five levels deep; the cap stops hostile nesting before the parser recurses.
MAX_DEPTH = MAX_JSON_DEPTH
FORMATS = ("auto", "yaml", "json")

_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT = r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"
# YAML 1.2 core schema, minus octal/hex/.inf/.nan: nothing else turns into a non-string.
_RESOLVERS = (
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$"), "tTfF"),
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
    (_INT_TAG, re.compile(r"^[-+]?[0-9]{1,30}$"), "-+0123456789"),
    ("tag:yaml.org,2002:float", re.compile(_FLOAT), "-+.0123456789"),
)


class _Refused(Exception):
    """Raised while composing, before anything is expanded or constructed; `at` is where, (line, column)."""

    def __init__(self, message: str, at: tuple[int, int]) -> None:
        super().__init__(message)
        self.message, self.at = message, at


class _PythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _loader_class(parser: type) -> type:
    """A safe loader on `parser`: libyaml's events with PyYAML's Python composer (which we can watch)."""

    class Loader(yaml.composer.Composer, parser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        yaml_implicit_resolvers: dict = {}  # filled from _RESOLVERS below, replacing YAML 1.1's

        def __init__(self, stream: str) -> None:
            parser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.depth = 0

        def compose_node(self, parent: Node | None, index: object) -> Node:
            event = self.peek_event()
            line, column = event.start_mark.line + 1, event.start_mark.column + 1
            if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
                raise _Refused(said(MSG_YAML_ANCHOR, line=line, column=column), (line, column))
            tag = getattr(event, "tag", None)
            if tag not in (None, "!", _STR_TAG):
                raise _Refused(said(MSG_YAML_TAG, tag=tag, line=line, column=column), (line, column))
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Refused(MSG_TOO_DEEP, (line, column))
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    for tag, regexp, first in _RESOLVERS:
        Loader.add_implicit_resolver(tag, regexp, first)
    Loader.add_constructor(_INT_TAG, _construct_int)
    return Loader


def _construct_int(loader: yaml.constructor.SafeConstructor, node: ScalarNode) -> int:
    return int(loader.construct_scalar(node), 10)  # "010" is ten, not YAML 1.1's octal eight


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # a document shares no nodes: never write an anchor


for _tag, _regexp, _first in _RESOLVERS:
    # The dumper keeps YAML 1.1's resolvers and adds ours, so it quotes every string that either
    # reader would take for something else ("no", "09", "1e5").
    _Dumper.add_implicit_resolver(_tag, _regexp, _first)

# libyaml's scanner makes a 1 MiB document about four times cheaper to read; both give the same data.
PYTHON_LOADER = _loader_class(_PythonParser)
LOADER = _loader_class(yaml.cyaml.CParser) if yaml.__with_libyaml__ else PYTHON_LOADER


def load_document(text: str | bytes, *, fmt: str = "auto", max_bytes: int = MAX_DOCUMENT_BYTES) -> dict:
    """The document as plain data: fmt "yaml", "json" or "auto" (JSON if it is a JSON object). `max_bytes`: another
    kind of document's bound (a crisis kit's); callers refuse a larger text with their own message first."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    source = _decode(text, max_bytes)
    if fmt == "json":
        doc = _load_json(source)
    elif fmt == "yaml":
        doc = _load_yaml(source)
    else:
        doc = _load_auto(source)
    if not isinstance(doc, dict):
        raise DocumentError([Issue("", MSG_NOT_A_DOCUMENT)])
    return doc


def dump_document(doc: dict, fmt: str) -> str:
    """The document as YAML or JSON text that `load_document` reads back equal."""
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if fmt == "yaml":
        return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False)
    raise ValueError(f"unknown format {fmt!r}: use yaml or json")


def _refuse(message: str, path: str = "", at: tuple[int, int] | None = None) -> DocumentError:
    return DocumentError([Issue(path, message, at)])


def _decode(text: str | bytes, max_bytes: int) -> str:
    if isinstance(text, bytes | bytearray):
        if len(text) > max_bytes:
            raise _refuse(MSG_TOO_LARGE)
        try:
            source = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise _refuse(MSG_NOT_UTF8) from None
    elif isinstance(text, str):
        # Cheap test first: a string longer than the limit in characters is longer in bytes too.
        if len(text) > max_bytes:
            raise _refuse(MSG_TOO_LARGE)
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError:  # lone surrogates
            raise _refuse(MSG_NOT_UTF8) from None
        if size > max_bytes:
            raise _refuse(MSG_TOO_LARGE)
        source = text
    else:
        raise TypeError("load_document takes str or bytes")
    return source.removeprefix("\ufeff")  # editors on Windows add a byte order mark


def _load_auto(source: str) -> object:
    try:
        raw = _parse_json(source)
    except (ValueError, RecursionError):
        return _load_yaml(source)
    if not isinstance(raw, dict):
        return _load_yaml(source)
    return _json_value(raw)


def _load_json(source: str) -> object:
    try:
        raw = _parse_json(source)
    except json.JSONDecodeError as exc:
        at = (exc.lineno, exc.colno)
        raise _refuse(said(MSG_INVALID_JSON, line=at[0], column=at[1], problem=exc.msg), at=at) from None
    except ValueError as exc:  # NaN, Infinity, integers beyond Python's digit limit
        raise _refuse(said(MSG_INVALID_JSON_VALUE, problem=exc)) from None
    except RecursionError:
        raise _refuse(MSG_TOO_DEEP) from None
    return _json_value(raw)


class _JsonObject(dict):
    """A JSON object that remembers the keys it saw twice, so they can be reported with their path."""

    duplicates: list[str]


def _json_object(pairs: list[tuple[str, object]]) -> _JsonObject:
    obj = _JsonObject()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _parse_json(source: str) -> object:
    return json.loads(source, object_pairs_hook=_json_object, parse_constant=_reject_constant)


def _json_value(raw: object) -> object:
    issues: list[Issue] = []
    value = _plain(raw, "", issues, 0)
    if issues:
        raise DocumentError(issues)
    return value


def _plain(value: object, path: str, issues: list[Issue], depth: int) -> object:
    """`value` with plain dicts, collecting duplicate keys and refusing hostile nesting."""
    if depth > MAX_DEPTH:
        raise _refuse(MSG_TOO_DEEP, path)
    if isinstance(value, _JsonObject):
        issues.extend(Issue(key_path(path, key), MSG_DUPLICATE_KEY) for key in value.duplicates)
        return {k: _plain(v, key_path(path, k), issues, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, index_path(path, i), issues, depth + 1) for i, v in enumerate(value)]
    return value


def _load_yaml(source: str, loader_class: type = LOADER) -> object:
    loader = None
    try:
        loader = loader_class(source)
        node = loader.get_single_node()
        if node is None:
            return None
        issues: list[Issue] = []
        _check_keys(node, "", issues)
        if issues:
            raise DocumentError(issues)
        return loader.construct_document(node)
    except _Refused as exc:
        raise _refuse(exc.message, at=exc.at) from None  # the message itself: str() would drop its msgid
    except yaml.MarkedYAMLError as exc:
        raise _refuse(_marked_problem(exc)) from None
    except yaml.reader.ReaderError as exc:
        line, column = _position(source, exc.position)
        problem = f"character #x{exc.character:04x} is not allowed"
        raise _refuse(said(MSG_INVALID_YAML, line=line, column=column, problem=problem)) from None
    except yaml.YAMLError as exc:
        raise _refuse(said(MSG_INVALID_YAML, line=1, column=1, problem=exc)) from None
    except RecursionError:
        raise _refuse(MSG_TOO_DEEP) from None
    finally:
        if loader is not None:
            loader.dispose()


def _check_keys(node: Node, path: str, issues: list[Issue]) -> None:
    """Report each key given twice in one mapping, at its path (PyYAML would keep the last silently)."""
    if isinstance(node, MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                _check_keys(value_node, path, issues)
                continue
            child = key_path(path, key_node.value)
            if (key_node.tag, key_node.value) in seen:
                issues.append(Issue(child, MSG_DUPLICATE_KEY))
            seen.add((key_node.tag, key_node.value))
            _check_keys(value_node, child, issues)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _check_keys(item, index_path(path, index), issues)


def _marked_problem(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or exc.context or "cannot be read"
    if exc.context and problem.startswith("but "):  # "expected a single document ..., but found another"
        problem = f"{exc.context}, {problem}"
    return said(MSG_INVALID_YAML, line=line, column=column, problem=problem)


def _position(source: str, index: int) -> tuple[int, int]:
    line_start = source.rfind("\n", 0, index) + 1
    return source.count("\n", 0, index) + 1, index - line_start + 1
