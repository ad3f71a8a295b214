"""One-time websocket tickets: single use, valid 60 s wall, bound to a user, a drill and the sign-in that
asked for it (so signing out ends the socket too), and limited per user."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_noop
from rest_framework.authtoken.models import Token

from accounts import throttle

TICKET_TTL_S = 60
MSG_TOO_MANY_TICKETS = gettext_noop("Too many connection tickets. Wait a minute and try again.")


def request_credential(request) -> tuple[str, str] | None:
    """What a DRF request was signed in with: ("token", key) or ("session", key); None if neither is known."""
    if isinstance(request.auth, Token):
        return ("token", request.auth.key)
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    return ("session", session_key) if session_key else None


def ticket_issue(*, user, drill, credential: tuple[str, str] | None = None) -> str:
    throttle.require(
        f"ws-ticket:{user.pk}", limit=settings.WS_TICKETS_PER_MINUTE, window_s=60, message=MSG_TOO_MANY_TICKETS
    )
    ticket = secrets.token_urlsafe(24)
    cache.set(f"ws-ticket:{ticket}", (user.pk, drill.pk, credential), timeout=TICKET_TTL_S)
    return ticket


def ticket_redeem(*, ticket: str, drill_id: int) -> tuple[int, tuple[str, str] | None] | None:
    """(user id, credential) the ticket was issued to, once; None if unknown, used, expired or for another drill."""
    key = f"ws-ticket:{ticket}"
    value = cache.get(key)
    if value is None or not cache.delete(key):  # delete is the atomic claim: only one redeemer wins
        return None
    user_id, ticket_drill_id, credential = value
    return (user_id, credential) if ticket_drill_id == drill_id else None
