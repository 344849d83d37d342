"""Small shared shapes for report figures: rates, money rounding, median in SQL."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet

CENT = Decimal("0.01")


def money(value: Any) -> Decimal:
    """A database sum as Decimal rounded to cents (0 for an empty sum)."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def rate(part: Any, whole: Any) -> float | None:
    """part / whole in 0..1, or None when there is nothing to divide by."""
    if not whole:
        return None
    return round(float(part or 0) / float(whole), 4)


def mean(total: Any, count: Any, digits: int = 1) -> float | None:
    if not count:
        return None
    return round(float(total or 0) / float(count), digits)


def medians(rows: QuerySet, value: str, group: str | None = None) -> dict[Any, float]:
    """Median of `value` per `group` (or under the key None) over a `.values(...)` queryset, in SQL.

    The middle row (or the mean of the two middle rows) is picked with window functions, which SQLite
    and PostgreSQL both have, so no row reaches Python.
    """
    inner, params = rows.order_by().query.sql_with_params()
    q = connection.ops.quote_name
    key = q(group) if group else "0"
    # Only quoted column names and Django-compiled SQL (with its parameters) go into the text.
    sql = (
        f"SELECT g, AVG(v) FROM (SELECT {key} AS g, {q(value)} AS v, "  # noqa: S608
        f"ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY {q(value)}) AS rn, "
        f"COUNT(*) OVER (PARTITION BY {key}) AS c FROM ({inner}) AS t WHERE {q(value)} IS NOT NULL) AS ranked "
        "WHERE rn IN ((c + 1) / 2, (c + 2) / 2) GROUP BY g"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(g if group else None): round(float(v), 1) for g, v in cursor.fetchall()}
