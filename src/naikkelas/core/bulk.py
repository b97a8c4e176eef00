"""Fast inserts for large loads (imports, synthetic data).

Django's bulk_create splits rows so one statement stays under SQLite's 999 parameters, which for a model
of 30 columns means 33 rows a statement, and it prepares every value through the field's full conversion
chain. Here a prepared single-row INSERT runs with executemany on SQLite, and PostgreSQL gets the rows
through COPY, which is several times faster there than even a pipelined executemany. Only the field types
that need conversion (JSON, dates, UUIDs, decimals, auto_now, and foreign keys pointing at such a key) go
through the field's own preparation; plain text, numbers and foreign-key ids are passed as they are.

Three entry points: `bulk_insert` takes unsaved model instances; `bulk_insert_rows` takes tuples already in
database form (see `db_value`), for loaders that build millions of rows and cannot afford an instance each;
`bulk_insert_columns` takes the same values a column at a time, for loaders that judge their input a column
at a time: on PostgreSQL each distinct value is then formatted for COPY once, and whole rows are joined in C,
several times faster than formatting row by row.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter

from django.db import connections, models
from psycopg.copy import QueuedLibpqWriter

DEFAULT_DB = "default"
_CONVERTED = (models.JSONField, models.DateField, models.TimeField, models.UUIDField, models.DecimalField)


def _needs_conversion(field: models.Field) -> bool:
    # A foreign key is stored as its target's value, so a key pointing at a UUID primary key needs the
    # UUID's conversion (SQLite cannot bind a uuid.UUID).
    target = getattr(field, "target_field", None) if field.is_relation else field
    return (
        isinstance(target, _CONVERTED)
        or getattr(field, "auto_now", False)
        or getattr(field, "auto_now_add", False)
    )


def _value_getter(field: models.Field, connection) -> Callable:
    if _needs_conversion(field):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, add=True), connection)
    return attrgetter(field.attname)


def _insert_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]


def db_value(model: type[models.Model], attname: str, *, using: str = DEFAULT_DB) -> Callable:
    """A function turning a Python value of `model.attname` into what `bulk_insert_rows` expects."""
    connection = connections[using]
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    if _needs_conversion(field):
        return lambda value: field.get_db_prep_save(value, connection)
    return lambda value: value


def _write(connection, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Send the rows as they come (one COPY stream, or one executemany) and return how many there were."""
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(column) for column in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({column_list}) FROM STDIN") as copy:
                for written, row in enumerate(rows, start=1):
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({column_list}) VALUES ({placeholders})", rows)
            written = max(cursor.rowcount, 0)
    return written


@dataclass(frozen=True)
class Same:
    """A column with one value in every row (for `bulk_insert_columns`)."""

    value: object


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value as COPY's text format writes it."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    raise TypeError(f"bulk_insert_columns cannot send {type(value).__name__} to COPY; use bulk_insert_rows")


def _copy_texts(column, count: int) -> Iterable[str]:
    if isinstance(column, Same):
        return repeat(_copy_text(column.value), count)
    texts = {value: _copy_text(value) for value in set(column)}  # a column repeats itself: format each once
    return map(texts.__getitem__, column)


def bulk_insert_columns(
    model: type[models.Model],
    attnames: Sequence[str],
    columns: Sequence[Sequence | Same],
    *,
    while_storing: Callable[[], None] | None = None,
    using: str = DEFAULT_DB,
) -> int:
    """Insert rows given a column at a time: `columns[i]` holds the database values (see `db_value`) of
    `attnames[i]` for every row, or is `Same(value)`. `while_storing`, if given, is called once the rows are
    sent and before the database has stored them (on PostgreSQL the server works on them meanwhile), so that
    the caller can prepare its next batch. Call inside a transaction."""
    connection = connections[using]
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(by_attname[name].column) for name in attnames)
    table = quote(model._meta.db_table)
    count = next((len(column) for column in columns if not isinstance(column, Same)), 0)
    with connection.cursor() as cursor:
        if count and connection.vendor == "postgresql":
            lines = map("\t".join, zip(*(_copy_texts(column, count) for column in columns)))
            raw = cursor.cursor
            # The queued writer sends from a thread of its own, so `while_storing` runs as the server stores.
            with raw.copy(f"COPY {table} ({column_list}) FROM STDIN", writer=QueuedLibpqWriter(raw)) as copy:
                copy.write("\n".join(lines) + "\n")
                if while_storing:
                    while_storing()
            return count
        if count:
            placeholders = ", ".join(["%s"] * len(columns))
            rows = zip(*(repeat(column.value, count) if isinstance(column, Same) else column for column in columns))
            cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", rows)
    if while_storing:
        while_storing()
    return count


def bulk_insert(model: type[models.Model], objects: Iterable[models.Model], *, using: str = DEFAULT_DB) -> int:
    """Insert unsaved instances without fetching primary keys back. Call inside a transaction."""
    connection = connections[using]
    fields = _insert_fields(model)
    getters = [_value_getter(f, connection) for f in fields]
    rows = [tuple(get(obj) for get in getters) for obj in objects]
    if not rows:
        return 0
    return _write(connection, model._meta.db_table, [f.column for f in fields], rows)


def bulk_insert_rows(
    model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence], *, using: str = DEFAULT_DB
) -> int:
    """Insert rows given as tuples of database values for `attnames` (field attribute names; foreign keys
    as `village_id`). Values of fields that need conversion must come through `db_value`; fields left out
    take their database default, so list every NOT NULL one. `rows` may be a generator: it is consumed as it
    is sent, so a load of any size takes the memory of one row. Call inside a transaction."""
    connection = connections[using]
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    columns = [by_attname[name].column for name in attnames]
    if isinstance(rows, list) and not rows:
        return 0
    return _write(connection, model._meta.db_table, columns, rows)
