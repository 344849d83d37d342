"""Date arithmetic in the organisation's time zone, as native SQL on SQLite and PostgreSQL.

Django's own TruncDate runs a Python function per row on SQLite; for a zone without daylight saving
(Asia/Shanghai, the default) a fixed `+N minutes` modifier is exact and stays in SQL. Zones with
daylight saving fall back to Django's function on SQLite, still exact.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Any

from django.conf import settings
from django.db.models import Case, CharField, DateField, FloatField, Func, IntegerField, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone


@functools.cache
def fixed_offset_minutes(zone_name: str) -> int | None:
    """The zone's UTC offset in minutes if it was the same all year round from 2000 to 2040, else None."""
    zone = zoneinfo.ZoneInfo(zone_name)
    offsets = {
        dt.datetime(year, month, 1, 12, tzinfo=zone).utcoffset()
        for year in range(2000, 2041)
        for month in (1, 4, 7, 10)
    }
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return int(offset.total_seconds() // 60)


def _zone() -> str:
    return settings.TIME_ZONE


class LocalDate(Func):
    """The calendar date of a datetime column in the organisation's time zone."""

    output_field = DateField()
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        minutes = fixed_offset_minutes(_zone())
        if minutes is None:
            return TruncDate(self.source_expressions[0], tzinfo=zoneinfo.ZoneInfo(_zone())).as_sql(compiler, connection)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{minutes:+d} minutes')", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) AT TIME ZONE %s)::date", [*params, _zone()]


class DaysBetween(Func):
    """Whole calendar days from the local date of `start` to the local date of `end` (end − start)."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        minutes = fixed_offset_minutes(_zone())
        if minutes is None:
            end_sql, end_params = compiler.compile(LocalDate(self.source_expressions[1]))
            start_sql, start_params = compiler.compile(LocalDate(self.source_expressions[0]))
            return f"CAST(julianday({end_sql}) - julianday({start_sql}) AS INTEGER)", [*end_params, *start_params]
        # Integer day numbers from epoch seconds: exact, and several times cheaper than formatting dates.
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        shift = minutes * 60
        return (
            f"(((unixepoch({end_sql}) + {shift}) / 86400) - ((unixepoch({start_sql}) + {shift}) / 86400))",
            [*end_params, *start_params],
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        end_sql, end_params = compiler.compile(LocalDate(self.source_expressions[1]))
        start_sql, start_params = compiler.compile(LocalDate(self.source_expressions[0]))
        return f"({end_sql} - {start_sql})", [*end_params, *start_params]


class HoursBetween(Func):
    """Elapsed hours from `start` to `end` (two datetime expressions), as a float."""

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        return f"((julianday({end_sql}) - julianday({start_sql})) * 24.0)", [*end_params, *start_params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        return f"(EXTRACT(EPOCH FROM ({end_sql}) - ({start_sql})) / 3600.0)", [*end_params, *start_params]


class DateMonth(Func):
    """'YYYY-MM' of a date column."""

    arity = 1

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(expression, output_field=CharField(), **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"substr({sql}, 1, 7)", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char({sql}, 'YYYY-MM')", params


def month_of(field: str, months: list[str]) -> Case:
    """'YYYY-MM' (one of `months`, consecutive) of a datetime `field` for rows already limited to those
    months, by comparing it with each month's first local moment: no date is formatted per row."""
    whens = []
    for label, following in zip(months, months[1:], strict=False):
        year, month = map(int, following.split("-"))
        boundary = timezone.make_aware(dt.datetime.combine(dt.date(year, month, 1), dt.time.min))
        whens.append(When(**{f"{field}__lt": boundary}, then=Value(label)))
    return Case(*whens, default=Value(months[-1]), output_field=CharField())
