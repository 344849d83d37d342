"""Small shared shapes for report figures: rates, money rounding, medians from counts."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

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


def medians(rows: QuerySet, value: str, group: str) -> dict[Any, float]:
    """Median of `value` per `group` over a `.values(...)` queryset.

    The database counts the rows per group and distinct value (cycle lengths in days: a few hundred per
    group however many deals); the medians are read from those counts. Reading them in Python measured
    faster than running sums in SQL, on SQLite and PostgreSQL alike (no window, no sort in the database).
    """
    histogram = rows.order_by().values_list(group, value).annotate(n=Count("*")).filter(**{f"{value}__isnull": False})
    per_group: dict[Any, list[tuple[Any, int]]] = defaultdict(list)
    for key, found, count in histogram:
        per_group[key].append((found, count))
    return {key: median_of_counts(sorted(pairs)) for key, pairs in per_group.items()}


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
