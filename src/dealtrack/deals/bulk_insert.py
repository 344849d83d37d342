"""Plain multi-row INSERTs for bulk imports, where `bulk_create`'s per-object work is most of the cost.

`bulk_create` compiles every value of every object through the ORM (defaults, `pre_save`, field
preparation): for 100,000 deals and their events that is millions of calls. Here the statement is built
once per table and column list, each column gets one converter chosen from its field type (most need
none), and the rows go to `cursor.executemany`. Callers pass values exactly as the model instance holds
them (`attname`s: `owner_id`, not `owner`); nothing here calls `save()`, signals or `auto_now`, so the
caller fills `created_at`/`updated_at` itself.

Ids are reserved before inserting (`reserve_ids`), so the caller knows each row's id without relying on
the order of a RETURNING clause: PostgreSQL hands out values of the table's sequence; SQLite takes the
ids after the highest ever used, which is safe because the surrounding transaction holds SQLite's single
write lock (Dealtrack opens SQLite transactions IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import TransactionManagementError

Converter = Callable[[Any], Any] | None

# Field types whose Python value is already what both database drivers take (None included).
PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "URLField",
    }
)
CHUNK_ROWS = 5000


def _connection(model: type[models.Model]) -> BaseDatabaseWrapper:
    connection = connections[router.db_for_write(model)]
    if not connection.in_atomic_block:
        raise TransactionManagementError("Bulk inserts run inside transaction.atomic().")
    return connection


def _converter(field: models.Field, connection: BaseDatabaseWrapper) -> Converter:
    """How one column's Python values become driver values; None when they go as they are."""
    kind = field.get_internal_type()
    if kind in PLAIN_TYPES:
        return None
    ops = connection.ops
    if kind == "DateTimeField":
        # SQLite stores naive UTC text; PostgreSQL takes aware datetimes as they are.
        return _once_per_value(ops.adapt_datetimefield_value)
    if kind == "DateField":
        return _once_per_value(ops.adapt_datefield_value)
    if kind == "DecimalField":
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    if kind == "JSONField":
        # What JSONField.get_db_prep_value does with a prepared value (JSON text, or psycopg's Jsonb).
        encoder = field.encoder
        return lambda value: ops.adapt_json_value(value, encoder)
    # Anything rarer: the field's own preparation, exactly as save() would do it.
    return lambda value: field.get_db_prep_save(value, connection)


def _once_per_value(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert`, remembered per value: imported dates repeat over thousands of rows. Only for dates and
    times, where equal values (the same instant in any time zone) always convert alike."""
    converted: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        if value not in converted:
            converted[value] = convert(value)
        return converted[value]

    return remembered


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """INSERT `rows` (one value per column of `columns`, by attname) into `model`'s table; returns the count.

    Values are not validated here: callers insert only rows their service has validated.
    """
    connection = _connection(model)
    fields = [model._meta.get_field(column) for column in columns]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (table and column names come from the model)
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    converters = [(index, convert) for index, field in enumerate(fields) if (convert := _converter(field, connection))]
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(iterator, CHUNK_ROWS)):
            if converters:
                chunk = [_convert(row, converters) for row in chunk]
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def _convert(row: Sequence[Any], converters: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    values = list(row)
    for index, convert in converters:
        value = values[index]
        if value is not None:
            values[index] = convert(value)
    return values


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys no other row of `model` has or will get, for rows inserted in this transaction."""
    connection = _connection(model)
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # AUTOINCREMENT tables never reuse an id: start after both the highest row and the sequence.
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            sequence = cursor.fetchone()
            start = max(highest, sequence[0] if sequence else 0) + 1
            return list(range(start, start + count))
    raise NotImplementedError(f"Reserving ids is not implemented for {connection.vendor}.")
