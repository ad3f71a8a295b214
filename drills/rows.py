"""Plain SQL for the statements every engine step runs (lock the drill, insert events and injects, save the
drill's log state) and for the drills' reads of every socket connect (the drill, its seats, a page of the log;
the user is accounts.selectors.active_user's).

The ORM compiles each query anew, and `bench/engine.py` measured that compiling at most of a step's CPU.
These statements are built once from the models' metadata (the same tables and columns), and the values go
through each field's own preparation (on PostgreSQL into one JSON document per statement: `_insert_many`), so what
lands in the database is what the ORM would write.
"""

from __future__ import annotations

import contextlib
import functools
import json
import weakref
from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from accounts.models import User
from config.plainsql import orm_values
from drills.models import Drill, DrillEvent, DrillStatus, Seat
from scenarios.models import ScenarioVersion

# The version columns a drill step needs; its document (`spec`) is large and parsed once per process.
VERSION_FIELDS = ("id", "scenario_id", "organization_id", "number", "title", "language", "checksum")


def lock_drill(drill_id: int) -> Drill:
    """The drill with its version (without the document), its row locked for this transaction.

    Only the drill's row: locking the version too would make every drill of a scenario wait for the others.
    On SQLite the IMMEDIATE transaction already holds the database's write lock."""
    drills = lock_drills([drill_id])
    if not drills:
        raise Drill.DoesNotExist(f"No drill {drill_id}.")
    return drills[0]


def lock_drills(drill_ids: Sequence[int]) -> list[Drill]:
    """`lock_drill` for several drills in one statement, in id order (so two lockers never wait in a cycle);
    ids with no drill are left out."""
    where = "d.{id} IN (" + ", ".join(["%s"] * len(drill_ids)) + ") ORDER BY d.{id}"
    return _drills(_select_sql(where, lock=True), drill_ids)


def claim_due_drills(*, now, limit: int) -> list[Drill]:
    """Up to `limit` running drills whose next due moment has come, most overdue first, locked; drills another
    transaction holds are skipped, not waited for (on SQLite nobody else can hold any)."""
    where = "d.{status} = %s AND d.{next_due_at} <= %s ORDER BY d.{next_due_at} LIMIT %s"
    conn = connections[DEFAULT_DB_ALIAS]
    params = [DrillStatus.RUNNING, conn.ops.adapt_datetimefield_value(now), limit]
    return _drills(_select_sql(where, lock=True, skip_locked=True), params)


def drill_read(drill_id: int, *, organization_id: int, seated_user_id: int | None) -> Drill | None:
    """The drill with its version (without the document) if it is in the organization and, with
    `seated_user_id`, that user has a seat in it; else None. The access rule itself is drills.selectors'."""
    where = "d.{id} = %s AND d.{organization} = %s" + (_SEATED if seated_user_id is not None else "")
    params = [drill_id, organization_id] + ([seated_user_id] if seated_user_id is not None else [])
    drills = _drills(_select_sql(where), params)
    return drills[0] if drills else None


_SEATED = " AND EXISTS (SELECT 1 FROM {seat_table} s WHERE s.{seat_drill} = d.{id} AND s.{seat_user} = %s)"


def _drills(sql: str, params: Sequence) -> list[Drill]:
    conn = connections[DEFAULT_DB_ALIAS]
    with conn.cursor() as cursor:
        with _one_round_trip(conn):  # a step's first statement: its BEGIN goes with it
            cursor.execute(sql, params)
        found = cursor.fetchall()
    drill_fields = Drill._meta.concrete_fields
    drills = []
    for row in found:
        drill = Drill.from_db(conn.alias, None, orm_values(conn, drill_fields, row[: len(drill_fields)]))
        # Plain integers and strings: no converter needed on any backend.
        drill.version = ScenarioVersion.from_db(conn.alias, VERSION_FIELDS, row[len(drill_fields) :])
        drills.append(drill)
    return drills


@functools.cache
def _select_sql(where: str, *, lock: bool = False, skip_locked: bool = False) -> str:
    """The drill and version columns of the drills matching `where`, whose `{name}`s are Drill fields' columns
    (and `{seat_*}` the seat table's): locked, or skipping rows others hold, where the database can."""
    quote = connection.ops.quote_name
    drill_columns = ", ".join(f"d.{quote(field.column)}" for field in Drill._meta.concrete_fields)
    version_columns = ", ".join(f"v.{quote(name)}" for name in VERSION_FIELDS)
    names = {field.name: quote(field.column) for field in Drill._meta.concrete_fields}
    names.update(seat_table=quote(Seat._meta.db_table), seat_drill=quote("drill_id"), seat_user=quote("user_id"))
    sql = (
        f"SELECT {drill_columns}, {version_columns} FROM {quote(Drill._meta.db_table)} d"
        f" JOIN {quote(ScenarioVersion._meta.db_table)} v ON v.{quote('id')} = d.{quote('version_id')}"
        f" WHERE {where.format(**names)}"
    )
    if not lock or not connection.features.has_select_for_update_of:
        return sql
    return sql + " FOR UPDATE OF d" + (" SKIP LOCKED" if skip_locked else "")


def insert(model: type[models.Model], rows: Sequence[dict], *, returning_id: bool = False) -> list[int] | None:
    """An INSERT of `rows` (dicts by field attname, all with the same keys) in one statement; with
    `returning_id`, their ids, in the order of `rows`."""
    if not rows:
        return [] if returning_id else None
    names = tuple(rows[0])
    conn, adapters = connections[DEFAULT_DB_ALIAS], _adapters(model, names)
    params = [[adapt(conn, row[name]) for name, adapt in zip(names, adapters, strict=True)] for row in rows]
    pending = _pending.get(conn)
    if pending is not None and not returning_id:
        pending.inserts.setdefault((model, names), []).extend(params)
        return None
    with conn.cursor() as cursor:
        if not returning_id:
            _insert_many(cursor, model, names, params)
            return None
        # Rows come back in the order given, from a VALUES list (SQLite) as from a set returning function
        # (PostgreSQL): Django's bulk_create relies on both.
        returning = " RETURNING " + conn.ops.quote_name(model._meta.pk.column)
        if conn.vendor == "postgresql":
            cursor.execute(_document_insert_sql(model, names) + returning, [_document(names, params)])
        else:
            cursor.execute(_insert_sql(model, names, len(rows)) + returning, [value for row in params for value in row])
        return [pk for (pk,) in cursor.fetchall()]


def _insert_many(cursor, model: type[models.Model], names: tuple[str, ...], params: list[list]) -> None:
    """Every row in one statement and one round trip.

    On PostgreSQL the rows go as one JSON document, a single parameter: the statement's text is the same whatever
    the number of rows, and the values are encoded in C. (psycopg converts a statement's text once per process, but
    a long one, such as a VALUES list of over 50 parameters, anew on every call: a tenth of an engine step's CPU at
    500 drills; and it quotes array parameters in Python: as much again.) SQLite has no round trips to save: the
    one-row INSERT, once per row."""
    if cursor.db.vendor == "postgresql":
        cursor.execute(_document_insert_sql(model, names), [_document(names, params)])
    else:
        cursor.executemany(_insert_sql(model, names, 1), params)


def _document(names: tuple[str, ...], params: Iterable[list]) -> str:
    return json.dumps([dict(zip(names, row, strict=True)) for row in params], separators=(",", ":"))


@functools.cache
def _document_insert_sql(model: type[models.Model], names: tuple[str, ...]) -> str:
    columns = ", ".join(f"r.{connection.ops.quote_name(name)}" for name in names)
    return _insert_head(model, names) + f" SELECT {columns} FROM {_recordset(model, names)}"


def _recordset(model: type[models.Model], names: tuple[str, ...]) -> str:
    """The rows of the JSON document parameter as a table `r`, a column per attname, typed as the model's columns."""
    quote = connection.ops.quote_name
    # Without a length (varchar, not varchar(50)): the statement itself refuses a value too long for its column. An
    # id's type, not its column's (bigint, not bigserial).
    types = (model._meta.get_field(name).rel_db_type(connection).split("(")[0] for name in names)
    record = ", ".join(f"{quote(name)} {db_type}" for name, db_type in zip(names, types, strict=True))
    return f"jsonb_to_recordset(%s::jsonb) AS r({record})"


@contextlib.contextmanager
def _one_round_trip(conn):
    """On PostgreSQL, the statements sent within (and the BEGIN psycopg adds before the first of a transaction) go
    out together, and their results come back together at the end of the block; errors are Django's, as the
    cursor's own. SQLite has no round trips to save."""
    if conn.vendor != "postgresql":
        yield
        return
    with conn.wrap_database_errors, conn.connection.pipeline():
        yield


def _insert_sql(model: type[models.Model], names: tuple[str, ...], count: int) -> str:
    row = "(" + ", ".join(["%s"] * len(names)) + ")"
    return _insert_head(model, names) + " VALUES " + ", ".join([row] * count)


@functools.cache
def _insert_head(model: type[models.Model], names: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns})"


def update(obj: models.Model, names: Sequence[str]) -> None:
    """UPDATE of `names` on `obj`'s row (what `save(update_fields=names)` writes, without `pre_save` hooks)."""
    conn, adapters = connections[DEFAULT_DB_ALIAS], _adapters(type(obj), tuple(names))
    values = [getattr(obj, obj._meta.get_field(name).attname) for name in names]
    params = [*(adapt(conn, value) for value, adapt in zip(values, adapters, strict=True)), obj.pk]
    pending = _pending.get(conn)
    if pending is not None:
        pending.updates.setdefault((type(obj), tuple(names)), []).append(params)
        return
    with conn.cursor() as cursor:
        _update_many(cursor, type(obj), tuple(names), [params])


def _update_many(cursor, model: type[models.Model], names: tuple[str, ...], params: list[list]) -> None:
    """Each row's UPDATE (its values, then its id), in one statement on PostgreSQL as `_insert_many`'s rows are."""
    if cursor.db.vendor != "postgresql":
        cursor.executemany(_update_sql(model, names), params)
        return
    last = {row[-1]: row for row in params}  # a row updated twice: its last values, as one UPDATE after another
    cursor.execute(_document_update_sql(model, names), [_document((*names, model._meta.pk.attname), last.values())])


@functools.cache
def _document_update_sql(model: type[models.Model], names: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    pk = model._meta.pk
    assignments = ", ".join(f"{quote(model._meta.get_field(name).column)} = r.{quote(name)}" for name in names)
    return (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} FROM {_recordset(model, (*names, pk.attname))}"
        f" WHERE {quote(model._meta.db_table)}.{quote(pk.column)} = r.{quote(pk.attname)}"
    )


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
    if connection.vendor == "postgresql":
        return _document_adapter(field, kind)
    if kind == "DateTimeField":
        return lambda conn, value: conn.ops.adapt_datetimefield_value(value)
    if kind == "JSONField":
        return lambda conn, value: conn.ops.adapt_json_value(value, field.encoder)
    return lambda conn, value: field.get_db_prep_save(value, conn)


def _document_adapter(field, kind: str):
    """How a value goes into the JSON document of PostgreSQL's inserts (`_insert_many`), which `update` shares:
    the database reads each member as its column's type from the member's JSON (text for a datetime)."""
    if kind == "DateTimeField":
        return lambda conn, value: None if value is None else conn.ops.adapt_datetimefield_value(value).isoformat()
    if kind == "JSONField" and field.encoder is None:
        return lambda conn, value: value
    raise TypeError(f"drills.rows has no JSON form for {field} ({kind}): add one to _document_adapter")


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


# ---- writes sent together -------------------------------------------------------------------------------


@contextlib.contextmanager
def deferred_writes():
    """Within this block `insert` (without ids) and `update` are held back, then sent together in one round trip
    (on PostgreSQL one pipeline; SQLite has no round trips). An engine batch thus pays one for all its writes
    instead of a few per drill.

    Any other statement on the connection sends them first, so every read still sees every write. Nested
    blocks share the outer one. After an error nothing held back is sent: the transaction is rolled back."""
    conn = connections[DEFAULT_DB_ALIAS]
    if conn in _pending:
        yield
        return
    pending = _pending[conn] = _Pending()
    try:
        with conn.execute_wrapper(pending.flush_first):
            yield
            pending.flush(conn)
    finally:
        del _pending[conn]


class _Pending:
    def __init__(self) -> None:
        self.inserts: dict[tuple, list[list]] = {}  # (model, names) -> params per row, in order
        self.updates: dict[tuple, list[list]] = {}  # (model, names) -> params per row
        self.flushing = False

    def flush_first(self, execute, sql, params, many, context):
        if not self.flushing and (self.inserts or self.updates):
            self.flush(context["connection"])
        return execute(sql, params, many, context)

    def flush(self, conn) -> None:
        self.flushing = True
        try:
            with conn.cursor() as cursor, _one_round_trip(conn):
                for (model, names), rows in self.inserts.items():
                    _insert_many(cursor, model, names, rows)
                for (model, names), rows in self.updates.items():
                    _update_many(cursor, model, names, rows)
        finally:
            self.inserts, self.updates, self.flushing = {}, {}, False


_pending: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
