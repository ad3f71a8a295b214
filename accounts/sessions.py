"""Django's database sessions, each read with one statement built once (SESSION_ENGINE).

Every page request and every websocket connect reads its session; building the ORM's query for it anew each
time was a third of a socket connect's CPU (bench/README.md, room). Writes stay Django's."""

from __future__ import annotations

import functools

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        """The session's row if it has not expired (what Django's query finds); else None, and no key."""
        with connection.cursor() as cursor:
            cursor.execute(_session_sql(), [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return Session(session_key=self.session_key, session_data=row[0])


@functools.cache
def _session_sql() -> str:
    quote = connection.ops.quote_name
    return (
        f"SELECT {quote('session_data')} FROM {quote(Session._meta.db_table)}"
        f" WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
    )
