"""An open socket's standing: who its user is now, re-read before each of its actions (PROTOCOL.md section 3).

A socket authenticates once, at connect; its user's account, membership, seats and sign-in change later. One
statement, built once, reads all of it (the user, their membership, their seats in the drill, and whether
the session or token the socket connected with still stands), so an action costs one small read more."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from rest_framework.authtoken.models import Token

from accounts.models import Membership, Role, User
from accounts.tokens import issued_after
from drills.models import Seat

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


@dataclass(frozen=True)
class Standing:
    active: bool
    password: str  # the stored hash: a new password signs every socket out, as it does every session
    signed_in: bool  # the session or token the socket connected with still exists and has not expired
    organization_id: int | None
    role: str | None  # the membership's
    seat_roles: list[str]


def standing_read(*, user_id: int, drill_id: int, credential: tuple[str, str] | None) -> Standing | None:
    """The user's standing in the drill; None if the user is gone."""
    kind, key = credential or ("none", "")
    params = {"session": [key, timezone.now()], "token": [key, issued_after()], "none": []}[kind]
    conn = connections[DEFAULT_DB_ALIAS]
    params = [conn.ops.adapt_datetimefield_value(p) if not isinstance(p, str) else p for p in params]
    with conn.cursor() as cursor:
        cursor.execute(_standing_sql(kind), [*params, drill_id, user_id])
        found = cursor.fetchall()
    if not found:
        return None
    active, password, signed_in, organization_id, role, _ = found[0]
    return Standing(
        active=bool(active),
        password=password,
        signed_in=bool(signed_in),
        organization_id=organization_id,
        role=role,
        seat_roles=[row[5] for row in found if row[5] is not None],
    )


def refusal(standing: Standing | None, *, password: str, organization_id: int) -> int | None:
    """The close code for a socket whose user may no longer act in the drill (signed out: 4401; no longer in
    its organization, or neither its instructor nor seated: 4403); None while they may."""
    if standing is None or not standing.active or not standing.signed_in:
        return CLOSE_UNAUTHENTICATED
    if not constant_time_compare(standing.password, password):
        return CLOSE_UNAUTHENTICATED
    if standing.organization_id != organization_id:
        return CLOSE_FORBIDDEN
    if standing.role != Role.INSTRUCTOR and not standing.seat_roles:
        return CLOSE_FORBIDDEN
    return None


@functools.cache
def _standing_sql(credential_kind: str) -> str:
    quote = connection.ops.quote_name
    signed_in = {
        "session": f"EXISTS (SELECT 1 FROM {quote(Session._meta.db_table)} WHERE {quote('session_key')} = %s"
        f" AND {quote('expire_date')} > %s)",
        "token": f"EXISTS (SELECT 1 FROM {quote(Token._meta.db_table)} t WHERE t.{quote('key')} = %s"
        f" AND t.{quote('user_id')} = u.{quote('id')} AND t.{quote('created')} > %s)",
        "none": "1 = 1",
    }[credential_kind]
    return (
        f"SELECT u.{quote('is_active')}, u.{quote('password')}, {signed_in},"
        f" m.{quote('organization_id')}, m.{quote('role')}, s.{quote('role')}"
        f" FROM {quote(User._meta.db_table)} u"
        f" LEFT JOIN {quote(Membership._meta.db_table)} m ON m.{quote('user_id')} = u.{quote('id')}"
        f" LEFT JOIN {quote(Seat._meta.db_table)} s"
        f" ON s.{quote('drill_id')} = %s AND s.{quote('user_id')} = u.{quote('id')}"
        f" WHERE u.{quote('id')} = %s ORDER BY s.{quote('id')}"
    )
