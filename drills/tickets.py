"""One-time websocket tickets: single use, valid 60 s wall, bound to a user and a drill."""

import secrets

from django.core.cache import cache

TICKET_TTL_S = 60


def ticket_issue(*, user, drill) -> str:
    ticket = secrets.token_urlsafe(24)
    cache.set(f"ws-ticket:{ticket}", (user.pk, drill.pk), timeout=TICKET_TTL_S)
    return ticket


def ticket_redeem(*, ticket: str, drill_id: int) -> int | None:
    """The user id the ticket was issued to, once; None if unknown, used, expired or for another drill."""
    key = f"ws-ticket:{ticket}"
    value = cache.get(key)
    if value is None or not cache.delete(key):  # delete is the atomic claim: only one redeemer wins
        return None
    user_id, ticket_drill_id = value
    return user_id if ticket_drill_id == drill_id else None
