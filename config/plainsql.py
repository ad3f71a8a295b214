"""Rows read with plain SQL, turned into the values the ORM would give: shared by the statements built once for
the hot paths (drills.rows for the engine and the log, accounts.selectors for a socket's user)."""

from __future__ import annotations

import weakref

_converters_by_connection: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def orm_values(conn, fields, values) -> list:
    """Database values as the ORM returns them (SQLite keeps datetimes as text, booleans as 0/1, JSON as text)."""
    converted = []
    for value, (column, converters) in zip(values, _converters(conn, fields), strict=True):
        for convert in converters:
            value = convert(value, column, conn)
        converted.append(value)
    return converted


def _converters(conn, fields) -> list:
    """Per field, its column and the converters the ORM would apply (bound to `conn`, so kept per connection).

    Kept by the identity of `fields` (a model's `_meta.concrete_fields`, the same object on every call): hashing
    its dozens of fields cost more than the conversions, once per row read."""
    by_fields = _converters_by_connection.setdefault(conn, {})
    kept = by_fields.get(id(fields))
    if kept is None or kept[0] is not fields:
        columns = [field.get_col(field.model._meta.db_table) for field in fields]
        converters = [
            (column, conn.ops.get_db_converters(column) + column.get_db_converters(conn)) for column in columns
        ]
        kept = by_fields[id(fields)] = (fields, converters)
    return kept[1]
