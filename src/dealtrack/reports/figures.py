"""Small shared shapes for report figures: rates, money rounding, medians from counts."""

from __future__ import annotations

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


def medians(rows: QuerySet, value: str, group: str | None = None) -> dict[Any, float]:
    """Median of `value` per `group` (or under the key None) over a `.values(...)` queryset.

    The database counts the rows per distinct value (cycle lengths in days: a few hundred values however
    many deals), and the middle one (or the mean of the two middle ones) is found by walking those counts.
    """
    fields = [group, value] if group else [value]
    counts: dict[Any, list[tuple[Any, int]]] = {}
    for row in rows.order_by().values(*fields).annotate(rows=Count("*")):
        if row[value] is not None:
            counts.setdefault(row[group] if group else None, []).append((row[value], row["rows"]))
    return {key: median_of_counts(sorted(pairs)) for key, pairs in counts.items()}


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
