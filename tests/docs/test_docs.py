"""docs/ in step with the code: every event kind, websocket action, error code and API route is documented."""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from config.errors import DomainError
from drills import actions, log

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
# `{id}`, `{rid}` in the docs and `<int:drill_id>` in the code all stand for one path segment.
_PARAMETER = re.compile(r"\{[a-z_]+\}|<(?:[a-z]+:)?[a-z_]+>")


def quoted(name: str) -> bool:
    return f"`{name}`" in PROTOCOL or f"`{name} " in PROTOCOL


def api_routes(patterns=None, prefix: str = "/") -> list[str]:
    """Every path the URL configuration serves under /api/, as written in the docs (`{}` for a parameter)."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += api_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("/api/") and not route.endswith("$"):
            found.append(_PARAMETER.sub("{}", route))
    return found


def documented_paths() -> set[str]:
    return {_PARAMETER.sub("{}", path) for path in re.findall(r"`(/[^`?\s]*)", PROTOCOL)}


@pytest.mark.parametrize("kind", sorted(v for k, v in vars(log).items() if k.isupper() and isinstance(v, str)))
def test_every_event_kind_is_documented(kind):
    assert quoted(kind)


@pytest.mark.parametrize("action", sorted({"replay", *actions.HANDLERS}))
def test_every_websocket_action_is_documented(action):
    assert quoted(action)


@pytest.mark.parametrize("code", sorted({cls.code for cls in DomainError.__subclasses__()}))
def test_every_error_code_is_documented(code):
    assert quoted(code)


def test_every_api_route_is_documented():
    routes = api_routes()
    assert len(routes) > 20
    assert sorted(set(routes) - documented_paths()) == []


def test_the_health_check_is_documented():
    assert "GET `/healthz`" in PROTOCOL
