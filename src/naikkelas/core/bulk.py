"""Fast inserts for large loads (imports, synthetic data).

Django's bulk_create splits rows so one statement stays under SQLite's 999 parameters, which for a model
of 30 columns means 33 rows a statement, and it prepares every value through the field's full conversion
chain. Here a prepared single-row INSERT runs with executemany (pipelined by psycopg on PostgreSQL), and
only the field types that need conversion (JSON, dates, UUIDs, decimals, auto_now) go through the field's
own preparation; plain text, numbers and foreign-key ids are passed as they are.
"""

from collections.abc import Callable, Iterable
from operator import attrgetter

from django.db import connections, models

DEFAULT_DB = "default"
_CONVERTED = (models.JSONField, models.DateField, models.TimeField, models.UUIDField, models.DecimalField)


def _value_getter(field: models.Field, connection) -> Callable:
    if isinstance(field, _CONVERTED) or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, add=True), connection)
    return attrgetter(field.attname)


def bulk_insert(model: type[models.Model], objects: Iterable[models.Model], *, using: str = DEFAULT_DB) -> int:
    """Insert unsaved instances without fetching primary keys back. Call inside a transaction."""
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    getters = [_value_getter(f, connection) for f in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [tuple(get(obj) for get in getters) for obj in objects]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    return len(rows)
