"""Small shared shapes for report figures: rates, money rounding, medians from counts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

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
    """Median of `value` per `group` (or under the key None) over a `.values(...)` queryset.

    The database counts the rows per group and distinct value (cycle lengths in days: a few hundred per
    group however many deals), then keeps only the one or two counts per group that hold the middle
    position(s), found with running sums; the median is their mean.
    """
    fields = [group, value] if group else [value]
    histogram = rows.order_by().values(*fields).annotate(n=Count("*")).filter(**{f"{value}__isnull": False})
    inner, params = histogram.query.sql_with_params()
    q = connection.ops.quote_name
    key = q(group) if group else "0"
    # Only quoted column names and Django-compiled SQL (with its parameters) go into the text.
    sql = (
        f"SELECT g, v FROM (SELECT {key} AS g, {q(value)} AS v, n, "  # noqa: S608
        f"CAST(SUM(n) OVER (PARTITION BY {key} ORDER BY {q(value)}) AS BIGINT) AS upto, "
        f"CAST(SUM(n) OVER (PARTITION BY {key}) AS BIGINT) AS total FROM ({inner}) AS h) AS r "
        "WHERE upto >= (total + 1) / 2 AND upto - n < (total + 2) / 2"
    )
    middles: dict[Any, list[float]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for g, v in cursor.fetchall():
            middles.setdefault(g if group else None, []).append(float(v))
    return {key_: round(sum(values) / len(values), 1) for key_, values in middles.items()}


def median_of_counts(pairs: list[tuple[Any, int]]) -> float:
    """The median of a sorted list of (value, how many times) pairs."""
    total = sum(n for _v, n in pairs)
    wanted = {(total + 1) // 2, (total + 2) // 2}  # 1-based positions of the middle row(s)
    picked: list[Any] = []
    seen = 0
    for value_, n in pairs:
        picked += [value_ for position in wanted if seen < position <= seen + n]
        seen += n
    return round(sum(float(v) for v in picked) / len(picked), 1)
