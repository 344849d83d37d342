"""Plain multi-row INSERTs for the benchmark data set, on SQLite and PostgreSQL alike.

`executemany` on the raw cursor with tuples is several times faster than `bulk_create` for millions
of rows (no model instances, no per-field preparation). Column names come from the models, and values
are adapted with the backend's own hooks, so the rows read back exactly like ORM-written ones.
Secondary indexes are dropped for the load and rebuilt from their own stored definitions afterwards:
building an index once over sorted keys is far cheaper than updating 40-odd B-trees row by row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone


class RowWriter:
    """INSERT of one model's listed fields (FK fields by name, written as ids), one tuple per row."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        meta = model._meta
        quote = connection.ops.quote_name
        columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608

    def write(self, cursor: Any, rows: Sequence[tuple[Any, ...]]) -> None:
        if rows:
            cursor.executemany(self.sql, rows)


class DbValues:
    """The database's representation of datetimes and JSON, as Django's backend would bind them."""

    def __init__(self) -> None:
        self._moment = connection.ops.adapt_datetimefield_value
        self._json = connection.ops.adapt_json_value

    def moment(self, value: dt.datetime | None) -> Any:
        return None if value is None else self._moment(value)

    def json(self, value: Any) -> Any:
        return self._json(value, None)

    def now(self) -> Any:
        return self._moment(timezone.now())


def next_id(model: type[models.Model]) -> int:
    """The first id after the rows already in the table; bulk rows take ids from here on."""
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past ids we assigned ourselves (SQLite's AUTOINCREMENT follows alone)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of a table's indexes that back no constraint (not pk, not unique)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Constraint indexes are SQLite's own "autoindex" entries, which have no SQL.
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
        else:
            return []
        return [(name, sql) for name, sql in cursor.fetchall() if "UNIQUE" not in sql.upper()]


@contextmanager
def indexes_rebuilt_after(model_list: Sequence[type[models.Model]]) -> Iterator[None]:
    """Drop the models' secondary indexes for the block and create them again after it, even if it fails."""
    definitions = [d for model in model_list for d in _secondary_indexes(model._meta.db_table)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, _sql in definitions:
            cursor.execute(f"DROP INDEX {quote(name)}")
    try:
        yield
    finally:
        if connection.in_atomic_block:
            # Inside an enclosing transaction (tests) PostgreSQL refuses CREATE INDEX while deferred
            # foreign-key checks are pending; running them now settles them (and proves the rows' keys).
            connection.check_constraints(table_names=[m._meta.db_table for m in model_list])
        with connection.cursor() as cursor, _sorting_on_disk(cursor):
            for _name, sql in definitions:
                cursor.execute(sql)


@contextmanager
def _sorting_on_disk(cursor: Any) -> Iterator[None]:
    """Let SQLite's index sorter spill to temporary files rather than RAM (the settings keep temp_store in
    memory, which would hold ~1 GB for a million deals' events). Not allowed inside a transaction, where
    the data set is small anyway."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    cursor.execute("PRAGMA temp_store")
    previous = int(cursor.fetchone()[0])
    cursor.execute("PRAGMA temp_store = FILE")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA temp_store = {previous}")


def checkpoint() -> None:
    """Fold SQLite's write-ahead log into the database file, so the file alone holds the data set.

    Only outside a transaction: inside one (a test) there is nothing committed to fold in yet.
    """
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
