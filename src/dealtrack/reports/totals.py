"""Sums of the daily deal totals (`DayTotal`) over a report's period: the figures counted per day, owner
and pipeline (created, won and lost deals, by source, type and lost reason) without reading the deals.

Rows for the owners in the reader's scope come from the roll-up; deals the reader sees only as a
collaborator are summed on the fly from the deals, grouped the same way, so the sums equal what
`report_deals` would give.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from dealtrack.core.expressions import DaysBetween, LocalDate
from dealtrack.core.models import User
from dealtrack.deals.choices import DealStatus
from dealtrack.deals.models import DayTotal, Deal
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.scope import report_collaborations, report_day_totals

FIGURES = (
    "created_count",
    "created_value",
    "created_won",
    "created_lost",
    "won_count",
    "won_value",
    "won_cycle_days",
    "lost_count",
    "lost_value",
)


def _empty() -> dict[str, Any]:
    return dict.fromkeys(FIGURES, 0)


def period_totals(
    user: User, filters: ReportFilters, by: tuple[str, ...] = (), dimension: str = DayTotal.Dimension.ALL
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The FIGURES summed over the period per value of the `by` fields (DayTotal fields: "owner_id",
    "day", "source_id" …), keyed by a tuple of those values (the empty tuple when `by` is empty)."""
    rows = report_day_totals(user, filters, dimension).order_by()
    sums = {name: Sum(name) for name in FIGURES}
    if by:
        totals = {tuple(row[k] for k in by): row for row in rows.values(*by).annotate(**sums)}
    else:
        found = rows.aggregate(**sums)
        totals = {(): found} if found["created_count"] is not None else {}
    _add_collaborations(totals, user, filters, by, dimension)
    return {key: {name: row.get(name) or 0 for name in FIGURES} for key, row in totals.items()}


def _grouped(deals: QuerySet[Deal], moment: str, by: tuple[str, ...], aggregates: dict[str, Any]) -> list[dict]:
    if "day" in by:
        deals = deals.annotate(day=LocalDate(moment))
    if by:
        return list(deals.values(*by).annotate(**aggregates))
    return [deals.aggregate(**aggregates)]


def _collaboration_rows(user: User, filters: ReportFilters, by: tuple[str, ...], dimension: str) -> list[dict]:
    """The figures of deals the reader sees only as a collaborator, grouped like the daily totals' rows:
    created ones by creation day, won and lost ones by close day; only the sides the dimension carries."""
    deals = report_collaborations(user, filters).order_by()
    rows = []
    if dimension in (DayTotal.Dimension.ALL, DayTotal.Dimension.SOURCE):
        created = deals.filter(created_at__gte=filters.start_at, created_at__lt=filters.end_before)
        rows += _grouped(created, "created_at", by, _CREATED)
    if dimension != DayTotal.Dimension.SOURCE:
        statuses = [DealStatus.LOST] if dimension == DayTotal.Dimension.REASON else [DealStatus.WON, DealStatus.LOST]
        closed = deals.filter(closed_at__gte=filters.start_at, closed_at__lt=filters.end_before, status__in=statuses)
        rows += _grouped(closed, "closed_at", by, _CLOSED)
    return rows


def _add_collaborations(
    totals: dict[tuple[Any, ...], dict[str, Any]],
    user: User,
    filters: ReportFilters,
    by: tuple[str, ...],
    dimension: str,
) -> None:
    for row in _collaboration_rows(user, filters, by, dimension):
        total = totals.setdefault(tuple(row[k] for k in by), _empty())
        for name in FIGURES:
            total[name] = (total.get(name) or 0) + (row.get(name) or 0)


_WON = Q(status=DealStatus.WON)
_LOST = Q(status=DealStatus.LOST)
_CREATED = {
    "created_count": Count("*"),
    "created_value": Sum("value_base"),
    "created_won": Count("status", filter=_WON),
    "created_lost": Count("status", filter=_LOST),
}
_CLOSED = {
    "won_count": Count("status", filter=_WON),
    "won_value": Sum("value_base", filter=_WON),
    "won_cycle_days": Sum(DaysBetween("created_at", "closed_at"), filter=_WON),
    "lost_count": Count("status", filter=_LOST),
    "lost_value": Sum("value_base", filter=_LOST),
}
