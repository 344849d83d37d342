"""The forecast by month of expected close, against quota, and the accuracy of past forecasts (from the
snapshot taken on each month's first morning)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from dealtrack.core.expressions import DateMonth, month_of
from dealtrack.core.models import User
from dealtrack.deals.choices import DealStatus, ForecastCategory
from dealtrack.goals.choices import QuotaMetric
from dealtrack.reports.attainment import scope_quotas
from dealtrack.reports.figures import money, rate
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.models import SnapshotDay
from dealtrack.reports.scope import (
    OPEN_LINKS,
    closed_in,
    report_collaboration_snapshots,
    report_deal_parts,
    report_snapshot_totals,
)
from dealtrack.reports.summary import WEIGHT

CATEGORIES = [ForecastCategory.COMMIT, ForecastCategory.BEST_CASE, ForecastCategory.PIPELINE, ForecastCategory.OMITTED]


def _month_bounds(month: str) -> tuple[dt.date, dt.date]:
    year, number = (int(part) for part in month.split("-"))
    return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])


def _category_sums(rows: Any, month_field: str) -> dict[str, dict[str, Any]]:
    """Value per category, weighted value and count per month, from rows per month and category (the
    same month and category may come from several parts of the reader's deals)."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        month = found.setdefault(row[month_field], {"weighted": Decimal(0), "count": 0, "value": Decimal(0)})
        month[row["category"]] = month.get(row["category"], Decimal("0.00")) + money(row["value"])
        month["value"] += money(row["value"])
        month["weighted"] += Decimal(str(row["weighted"] or 0)) / 100  # rounded once, where it is shown
        month["count"] += row["count"]
    return found


def accuracy(forecast: Decimal, actual: Decimal) -> float | None:
    """min ÷ max of forecast and actual: 1 when they match, towards 0 as they part; None if both are 0."""
    high = max(forecast, actual)
    return rate(min(forecast, actual), high) if high else None


def _recorded_rows(
    user: User, filters: ReportFilters, months: list[tuple[dt.date, dt.date]], taken: dict[dt.date, dt.datetime]
) -> Iterator[dict[str, Any]]:
    """Per month and category, what each month's first-morning snapshot held expected to close in that
    month: the owners' snapshot totals, and the rows of deals seen only as a collaborator."""
    months = [(start, end) for start, end in months if start in taken]
    if not months:
        return
    totals = reduce(or_, (Q(day=start, close_month=start) for start, _end in months))
    yield from (
        report_snapshot_totals(user, filters)
        .filter(totals)
        .order_by()
        .annotate(month=DateMonth("day"), category=F("forecast_category"))
        .values("month", "category")
        .annotate(value=Sum("value"), weighted=Sum("weighted"), count=Sum("deal_count"))
    )
    collaborations = report_collaboration_snapshots(user, filters, min(taken[start] for start, _end in months))
    if collaborations is None:
        return
    rows = reduce(
        or_, (Q(day=start, expected_close_date__gte=start, expected_close_date__lte=end) for start, end in months)
    )
    yield from (
        collaborations.filter(rows)
        .order_by()
        .annotate(month=DateMonth("day"), category=F("forecast_category"))
        .values("month", "category")
        .annotate(
            value=Sum("value_base"),
            weighted=Sum(ExpressionWrapper(F("value_base") * F("probability"), WEIGHT)),
            count=Count("*"),
        )
    )


def forecast(user: User, filters: ReportFilters, *, today: dt.date | None = None) -> dict[str, Any]:
    """Per month the period touches: open deals expected to close in it (value per category, weighted
    value), won value closed in it, the quota, and for months that have begun the forecast recorded on
    the month's first morning with, once the month is over, its accuracy."""
    today = today or timezone.localdate()
    months = filters.months()
    first, _last = _month_bounds(months[0])
    _first, last = _month_bounds(months[-1])
    category = Coalesce(NullIf("forecast_category_override", Value("")), "forecast_category")
    weighted = Sum(ExpressionWrapper(F("value_base") * Coalesce("probability_override", "stage__probability"), WEIGHT))
    live = _category_sums(
        (
            row
            for deals in report_deal_parts(user, filters, OPEN_LINKS)
            for row in deals.filter(
                status=DealStatus.OPEN, expected_close_date__gte=first, expected_close_date__lte=last
            )
            .order_by()
            .annotate(month=DateMonth("expected_close_date"), category=category)
            .values("month", "category")
            .annotate(value=Sum("value_base"), weighted=weighted, count=Count("*"))
        ),
        "month",
    )
    whole_months = replace(filters, start=first, end=last)
    won: dict[str, dict[str, Any]] = {}
    for deals in report_deal_parts(user, whole_months, closed_in(whole_months)):
        for row in (
            deals.filter(
                status=DealStatus.WON, closed_at__gte=whole_months.start_at, closed_at__lt=whole_months.end_before
            )
            .order_by()
            .annotate(month=month_of("closed_at", months))
            .values("month")
            .annotate(value=Sum("value_base"), count=Count("*"))
        ):
            month = won.setdefault(row["month"], {"value": Decimal(0), "count": 0})
            month["value"] += row["value"] or Decimal(0)
            month["count"] += row["count"]
    started = [m for m in months if _month_bounds(m)[0] <= today]
    firsts = [_month_bounds(m)[0] for m in started]
    taken = dict(SnapshotDay.objects.filter(day__in=firsts).values_list("day", "taken_at"))
    recorded = _category_sums(_recorded_rows(user, filters, [_month_bounds(m) for m in started], taken), "month")
    rows = []
    quotas = scope_quotas(user, filters, metric=QuotaMetric.VALUE, spans=[_month_bounds(m) for m in months])
    for month, quota in zip(months, quotas, strict=True):
        start, end = _month_bounds(month)
        now = live.get(month, {})
        won_value = money(won.get(month, {}).get("value"))
        row: dict[str, Any] = {
            "month": month,
            "open_count": now.get("count", 0),
            **{c.value: now.get(c.value, Decimal("0.00")) for c in CATEGORIES},
            "weighted_value": money(now.get("weighted")),
            "won_value": won_value,
            "won_count": won.get(month, {}).get("count", 0),
            "quota": quota,
            "attainment": rate(won_value, quota) if quota else None,
            "forecast_at_start": None,
            "commit_at_start": None,
            "accuracy": None,
        }
        if start in taken:
            then = recorded.get(month, {})
            row["forecast_at_start"] = money(then.get("weighted"))
            row["commit_at_start"] = then.get(ForecastCategory.COMMIT.value, Decimal("0.00"))
            if end < today:
                row["accuracy"] = accuracy(row["forecast_at_start"], won_value)
        rows.append(row)
    return {"months": rows}
