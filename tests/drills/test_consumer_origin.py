"""Who may open a drill socket from a page: the Origin's scheme, host and port, and the pages' CSP."""

import pytest
from django.test import Client

from drills.handshake import origin_allowed

TRUSTED = ["http://127.0.0.1:8000", "https://*.example.com"]


def scope(origin, host=None, scheme="ws"):
    headers = [(b"origin", origin.encode())] if origin is not None else []
    headers += [(b"host", host.encode())] if host else []
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "allowed"),
    [
        (None, None, "ws", True),  # not a browser
        ("http://127.0.0.1:8000", None, "ws", True),  # a trusted origin
        ("https://127.0.0.1:8000", None, "ws", False),  # ... with another scheme
        ("http://127.0.0.1:8001", None, "ws", False),  # ... another port
        ("http://127.0.0.1", None, "ws", False),  # ... the default port is another port
        ("http://evil.example", None, "ws", False),
        ("null", None, "ws", False),
        ("http://127.0.0.1:99999", None, "ws", False),  # not an origin at all
        ("https://room.example.com", None, "wss", True),  # a trusted subdomain
        ("http://room.example.com", None, "ws", False),
        ("https://drills.example.org", "drills.example.org", "wss", True),  # the page's own origin
        ("https://drills.example.org:443", "drills.example.org", "wss", True),
        ("http://drills.example.org", "drills.example.org", "wss", False),  # wss is opened from https pages
        ("https://drills.example.org", "drills.example.org", "ws", False),
        ("http://drills.example.org:8080", "drills.example.org:8080", "ws", True),
        ("http://drills.example.org:8081", "drills.example.org:8080", "ws", False),
        ("https://evil.example", "evil.example", "wss", False),  # a host not in ALLOWED_HOSTS
    ],
)
def test_the_origin_must_match_in_scheme_host_and_port(settings, origin, host, scheme, allowed):
    settings.CSRF_TRUSTED_ORIGINS = TRUSTED
    settings.ALLOWED_HOSTS = ["127.0.0.1", "drills.example.org"]
    assert origin_allowed(scope(origin, host, scheme)) is allowed


@pytest.mark.django_db
def test_pages_may_connect_to_their_own_origin_only(cast):
    policy = Client().get("/login/")["Content-Security-Policy"]
    assert "connect-src 'self';" in policy and "ws:" not in policy and "wss:" not in policy
