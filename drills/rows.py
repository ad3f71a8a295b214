"""Plain SQL for the statements every engine step runs (lock the drill, insert events and injects, save the
drill's log state) and for the reads of every socket connect (the seats, a page of the log).

The ORM compiles each query anew, and `bench/engine.py` measured that compiling at most of a step's CPU.
These statements are built once from the models' metadata (the same tables and columns), and the values go
through each field's own `get_db_prep_save`, so what lands in the database is what the ORM would write.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from accounts.models import User
from drills.models import Drill, DrillEvent, Seat
from scenarios.models import ScenarioVersion

# The version columns a drill step needs; its document (`spec`) is large and parsed once per process.
VERSION_FIELDS = ("id", "scenario_id", "organization_id", "number", "title", "language", "checksum")


def lock_drill(drill_id: int) -> Drill:
    """The drill with its version (without the document), its row locked for this transaction.

    Only the drill's row: locking the version too would make every drill of a scenario wait for the others.
    On SQLite the IMMEDIATE transaction already holds the database's write lock."""
    conn = connections[DEFAULT_DB_ALIAS]
    with conn.cursor() as cursor:
        cursor.execute(_lock_sql(conn.vendor), [drill_id])
        row = cursor.fetchone()
    if row is None:
        raise Drill.DoesNotExist(f"No drill {drill_id}.")
    return _drill_from_row(conn, row)


def drill_read(drill_id: int, *, organization_id: int, seated_user_id: int | None) -> Drill | None:
    """The drill with its version (without the document) if it is in the organization and, with
    `seated_user_id`, that user has a seat in it; else None. The access rule itself is drills.selectors'."""
    conn = connections[DEFAULT_DB_ALIAS]
    params = [drill_id, organization_id] + ([seated_user_id] if seated_user_id is not None else [])
    with conn.cursor() as cursor:
        cursor.execute(_read_sql(seated=seated_user_id is not None), params)
        row = cursor.fetchone()
    return None if row is None else _drill_from_row(conn, row)


def _drill_from_row(conn, row) -> Drill:
    drill_fields = Drill._meta.concrete_fields
    drill = Drill.from_db(conn.alias, None, _converted(conn, drill_fields, row[: len(drill_fields)]))
    # Plain integers and strings: no converter needed on any backend.
    drill.version = ScenarioVersion.from_db(conn.alias, VERSION_FIELDS, row[len(drill_fields) :])
    return drill


def _converted(conn, fields, values) -> list:
    """Database values as the ORM returns them (SQLite keeps datetimes as text, booleans as 0/1, JSON as text)."""
    converted = []
    for value, (column, converters) in zip(values, _converters(conn, tuple(fields)), strict=True):
        for convert in converters:
            value = convert(value, column, conn)
        converted.append(value)
    return converted


_converters_by_connection: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _converters(conn, fields: tuple) -> list:
    """Per field, its column and the converters the ORM would apply (bound to `conn`, so kept per connection)."""
    by_fields = _converters_by_connection.setdefault(conn, {})
    if fields not in by_fields:
        columns = [field.get_col(field.model._meta.db_table) for field in fields]
        by_fields[fields] = [
            (column, conn.ops.get_db_converters(column) + column.get_db_converters(conn)) for column in columns
        ]
    return by_fields[fields]


@functools.cache
def _lock_sql(vendor: str) -> str:
    sql = _drill_sql()
    return sql + " FOR UPDATE OF d" if connection.features.has_select_for_update_of else sql


@functools.cache
def _read_sql(*, seated: bool) -> str:
    quote = connection.ops.quote_name
    sql = _drill_sql() + f" AND d.{quote('organization_id')} = %s"
    if not seated:
        return sql
    return sql + (
        f" AND EXISTS (SELECT 1 FROM {quote(Seat._meta.db_table)} s"
        f" WHERE s.{quote('drill_id')} = d.{quote('id')} AND s.{quote('user_id')} = %s)"
    )


def _drill_sql() -> str:
    quote = connection.ops.quote_name
    drill_columns = ", ".join(f"d.{quote(field.column)}" for field in Drill._meta.concrete_fields)
    version_columns = ", ".join(f"v.{quote(name)}" for name in VERSION_FIELDS)
    return (
        f"SELECT {drill_columns}, {version_columns} FROM {quote(Drill._meta.db_table)} d"
        f" JOIN {quote(ScenarioVersion._meta.db_table)} v ON v.{quote('id')} = d.{quote('version_id')}"
        f" WHERE d.{quote('id')} = %s"
    )


def insert(model: type[models.Model], rows: Sequence[dict], *, returning_id: bool = False) -> list[int] | None:
    """One INSERT of `rows` (dicts by field attname, all with the same keys); with `returning_id`, their ids."""
    if not rows:
        return [] if returning_id else None
    names = tuple(rows[0])
    conn, adapters = connections[DEFAULT_DB_ALIAS], _adapters(model, names)
    params = [adapt(conn, row[name]) for row in rows for name, adapt in zip(names, adapters, strict=True)]
    sql = _insert_sql(model, names, len(rows))
    with conn.cursor() as cursor:
        if not returning_id:
            cursor.execute(sql, params)
            return None
        # Rows come back in VALUES order on PostgreSQL and SQLite (Django's bulk_create relies on it too).
        cursor.execute(sql + " RETURNING " + conn.ops.quote_name(model._meta.pk.column), params)
        return [pk for (pk,) in cursor.fetchall()]


def _insert_sql(model: type[models.Model], names: tuple[str, ...], count: int) -> str:
    row = "(" + ", ".join(["%s"] * len(names)) + ")"
    return _insert_head(model, names) + ", ".join([row] * count)


@functools.cache
def _insert_head(model: type[models.Model], names: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "


def update(obj: models.Model, names: Sequence[str]) -> None:
    """UPDATE of `names` on `obj`'s row (what `save(update_fields=names)` writes, without `pre_save` hooks)."""
    conn, adapters = connections[DEFAULT_DB_ALIAS], _adapters(type(obj), tuple(names))
    values = [getattr(obj, obj._meta.get_field(name).attname) for name in names]
    params = [adapt(conn, value) for value, adapt in zip(values, adapters, strict=True)]
    with conn.cursor() as cursor:
        cursor.execute(_update_sql(type(obj), tuple(names)), [*params, obj.pk])


@functools.cache
def _update_sql(model: type[models.Model], names: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in names)
    return f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"


# Types whose Python values the drivers take as they are; the ORM's preparation only re-checks them.
PLAIN_TYPES = frozenset(
    {"AutoField", "BigIntegerField", "BooleanField", "CharField", "FloatField", "ForeignKey", "IntegerField"}
    | {"PositiveIntegerField", "PositiveSmallIntegerField", "TextField"}
)


@functools.cache
def _adapters(model: type[models.Model], names: tuple[str, ...]) -> list:
    """Per field, how a value becomes a query parameter: as the ORM's `get_db_prep_save` makes it."""
    return [_adapter(model._meta.get_field(name)) for name in names]


def _adapter(field):
    kind = field.get_internal_type()
    if kind in PLAIN_TYPES:
        return lambda conn, value: value
    if kind == "DateTimeField":
        return lambda conn, value: conn.ops.adapt_datetimefield_value(value)
    if kind == "JSONField":
        return lambda conn, value: conn.ops.adapt_json_value(value, field.encoder)
    return lambda conn, value: field.get_db_prep_save(value, conn)


def seat_rows(drill_id: int) -> list[tuple[int, str, str, str, str, str]]:
    """(user id, role, username, display name, first name, last name) of the drill's seats, in seat order."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_seats_sql(), [drill_id])
        return cursor.fetchall()


@functools.cache
def _seats_sql() -> str:
    quote = connection.ops.quote_name
    user_columns = ", ".join(f"u.{quote(name)}" for name in ("username", "display_name", "first_name", "last_name"))
    return (
        f"SELECT s.{quote('user_id')}, s.{quote('role')}, {user_columns} FROM {quote(Seat._meta.db_table)} s"
        f" JOIN {quote(User._meta.db_table)} u ON u.{quote('id')} = s.{quote('user_id')}"
        f" WHERE s.{quote('drill_id')} = %s ORDER BY s.{quote('id')}"
    )


def event_rows(drill_id: int, after: int, limit: int) -> list[tuple[int, str, int, str, str]]:
    """(seq, kind, sim_ms, wall_at as the database's text, data as its JSON text) of up to `limit` events."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_events_sql(), [drill_id, after, limit])
        return cursor.fetchall()


@functools.cache
def _events_sql() -> str:
    quote = connection.ops.quote_name
    columns = f"{quote('seq')}, {quote('kind')}, {quote('sim_ms')}"
    columns += f", CAST({quote('wall_at')} AS text), CAST({quote('data')} AS text)"
    return (
        f"SELECT {columns} FROM {quote(DrillEvent._meta.db_table)}"
        f" WHERE {quote('drill_id')} = %s AND {quote('seq')} > %s ORDER BY {quote('seq')} LIMIT %s"
    )
