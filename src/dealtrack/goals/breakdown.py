"""Splitting a year's target into months, quarters and weeks, and pro-rating it over any span of days."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def monthly_split(target: Decimal, weights: Sequence[Decimal | int | str] | None) -> list[Decimal]:
    """Twelve month targets adding up exactly to `target` (the rounding remainder goes to December).

    No weights: evenly. Four weights: per quarter, each quarter split evenly over its months.
    Twelve weights: per month. Weights are relative (need not add up to anything).
    """
    if not weights:
        month_weights = [Decimal(1)] * 12
    elif len(weights) == 4:
        month_weights = [Decimal(str(weights[m // 3])) for m in range(12)]
    elif len(weights) == 12:
        month_weights = [Decimal(str(w)) for w in weights]
    else:
        raise ValueError("give 4 quarter weights or 12 month weights")
    total = sum(month_weights)
    if total <= 0 or any(w < 0 for w in month_weights):
        raise ValueError("weights must be zero or more and not all zero")
    months = [(target * w / total).quantize(CENT, ROUND_HALF_UP) for w in month_weights]
    months[11] += target - sum(months)
    return months


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
