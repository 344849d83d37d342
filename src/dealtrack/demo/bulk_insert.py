"""Plain multi-row INSERTs for the benchmark data set, on SQLite and PostgreSQL alike.

`executemany` on the raw cursor with tuples is several times faster than `bulk_create` for millions
of rows (no model instances, no per-field preparation). Column names come from the models, and values
are adapted with the backend's own hooks, so the rows read back exactly like ORM-written ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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
