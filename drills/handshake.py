"""What a socket's handshake says: whether its Origin may open it, the language of the page it serves, and
the user its session cookie signs in."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils import translation
from django.utils.crypto import constant_time_compare

from drills import rows


def origin_allowed(scope) -> bool:
    """Browsers always send Origin: it must be the page's own origin (the Host the socket was opened on, http
    for ws and https for wss, that host allowed) or one of CSRF_TRUSTED_ORIGINS, scheme, host and port alike.
    Non-browser clients may omit it."""
    headers = dict(scope.get("headers", []))
    origin = headers.get(b"origin")
    if origin is None:
        return True
    origin = web_origin(origin.decode("latin1"))
    if origin is None:
        return False
    allowed = [web_origin(trusted) for trusted in settings.CSRF_TRUSTED_ORIGINS]
    host = headers.get(b"host", b"").decode("latin1")
    if host and validate_host(split_domain_port(host)[0], settings.ALLOWED_HOSTS):
        allowed.append(web_origin(("https://" if scope.get("scheme") == "wss" else "http://") + host))
    return any(trusted is not None and same_origin(origin, trusted) for trusted in allowed)


DEFAULT_PORTS = {"http": 80, "https": 443}


def web_origin(text: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin such as `https://example.org:8443`; None if it is not one."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:
        return None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname or port is None:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def same_origin(origin: tuple[str, str, int], trusted: tuple[str, str, int]) -> bool:
    """`trusted` may name subdomains as `*.example.org`, as CSRF_TRUSTED_ORIGINS does."""
    scheme, host, port = trusted
    if host.startswith("*."):
        return (origin[0], origin[2]) == (scheme, port) and origin[1].endswith(host[1:])
    return origin == trusted


def socket_language(scope) -> str:
    """The language LocaleMiddleware picks for a page (the language menu's cookie, then Accept-Language,
    then English), read off the handshake: a socket says its messages in the language of the page it serves."""
    headers = dict(scope.get("headers", []))
    request = HttpRequest()
    request.COOKIES = parse_cookie(headers.get(b"cookie", b"").decode("latin1"))
    request.META["HTTP_ACCEPT_LANGUAGE"] = headers.get(b"accept-language", b"").decode("latin1")
    return translation.get_language_from_request(request)


def session_user(session):
    """The signed-in user of a Django session, as django.contrib.auth.get_user finds it, in one read of
    the session and one of the user with their membership. A session whose password hash no longer
    matches is refused but not flushed: a socket never writes the session; the next page request flushes it."""
    if session is None:
        return None
    try:
        user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])
        backend = session[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return None
    if backend not in settings.AUTHENTICATION_BACKENDS:
        return None
    user = rows.active_user(user_id)
    if user is None:
        return None
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash:
        return None
    hashes = (user.get_session_auth_hash(), *user.get_session_auth_fallback_hash())
    return user if any(constant_time_compare(session_hash, h) for h in hashes) else None
