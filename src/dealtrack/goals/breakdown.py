"""Splitting a year's target into months, quarters and weeks, and pro-rating it over any span of days."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def split(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`total` shared by relative `weights`, in cents, adding up exactly (the remainder goes to the last)."""
    weight_sum = sum(weights, Decimal(0))
    if weight_sum <= 0 or any(w < 0 for w in weights):
        raise ValueError("weights must be zero or more and not all zero")
    parts = [(total * w / weight_sum).quantize(CENT, ROUND_HALF_UP) for w in weights]
    parts[-1] += total - sum(parts, Decimal(0))
    return parts


def monthly_split(target: Decimal, weights: Sequence[Decimal | int | str] | None) -> list[Decimal]:
    """Twelve month targets adding up exactly to `target`.

    No weights: evenly by quarter, then evenly over each quarter's months (so every quarter gets exactly a
    quarter). Four weights: by quarter, then evenly within. Twelve weights: by month. Weights are relative.
    """
    if weights and len(weights) == 12:
        return split(target, [Decimal(str(w)) for w in weights])
    if weights and len(weights) != 4:
        raise ValueError("give 4 quarter weights or 12 month weights")
    quarters = split(target, [Decimal(str(w)) for w in weights] if weights else [Decimal(1)] * 4)
    return [month for quarter in quarters for month in split(quarter, [Decimal(1)] * 3)]


def quarter_targets(months: Sequence[Decimal]) -> list[Decimal]:
    return [sum(months[q * 3 : q * 3 + 3], Decimal(0)) for q in range(4)]


def target_for_span(year: int, months: Sequence[Decimal], start: dt.date, end: dt.date) -> Decimal:
    """The part of the year's target that falls in [start, end] (inclusive), month by month, by days."""
    total = Decimal(0)
    for month in range(1, 13):
        days = calendar.monthrange(year, month)[1]
        first, last = dt.date(year, month, 1), dt.date(year, month, days)
        overlap = (min(end, last) - max(start, first)).days + 1
        if overlap > 0:
            total += months[month - 1] * overlap / days
    return total.quantize(CENT, ROUND_HALF_UP)


def week_targets(year: int, months: Sequence[Decimal]) -> list[tuple[dt.date, dt.date, Decimal]]:
    """Monday-to-Sunday weeks of `year` (clipped to the year) with their targets."""
    first = dt.date(year, 1, 1)
    last = dt.date(year, 12, 31)
    start = first
    weeks = []
    while start <= last:
        end = min(start + dt.timedelta(days=6 - start.weekday()), last)
        weeks.append((start, end, target_for_span(year, months, start, end)))
        start = end + dt.timedelta(days=1)
    return weeks
