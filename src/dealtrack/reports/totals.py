"""Sums of the daily deal totals (`DayTotal`) over a report's period: the figures counted per day, owner
and pipeline (created, won and lost deals, by source, type and lost reason) without reading the deals.

Rows for the owners in the reader's scope come from the roll-up; deals the reader sees only as a
collaborator are totalled on the fly with the same computation, so the sums equal what `report_deals`
would give.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, Sum

from dealtrack.core.models import User
from dealtrack.deals.day_totals import FIGURES, Slot, compute_totals, dimension_field
from dealtrack.deals.models import DayTotal
from dealtrack.deals.queries import collaborates
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.scope import closed_in, created_in, report_collaborations, report_day_totals


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


def prefetch_collaboration_totals(user: User, filters: ReportFilters, keep: set[str]) -> None:
    """Total the collaborations once for a page that will ask for several splits of the same period (the
    dashboard: its days, lost reasons and sources); later reads within the request add up these rows."""
    memo: dict[Any, Any] | None = getattr(user, "request_memo", None)
    if memo is not None:
        memo[("collaboration_totals", filters)] = (frozenset(keep), _computed_collaborations(user, filters, keep))


def _collaboration_totals(user: User, filters: ReportFilters, keep: set[str]) -> dict[Slot, dict[str, Any]]:
    """Totals (every dimension) of the deals the reader sees only as a collaborator in the period, split
    only by the `keep` fields: grouped by what the reader sums, the database returns a row or a few per
    value instead of one per deal and day. Taken from what `prefetch_collaboration_totals` read when that
    was split by at least these fields."""
    memo: dict[Any, Any] | None = getattr(user, "request_memo", None)
    if memo is not None and ("collaboration_totals", filters) in memo:
        kept, totals = memo[("collaboration_totals", filters)]
        if keep <= kept:  # split finer than asked: the caller adds up by what it sums anyway
            return totals
    return _computed_collaborations(user, filters, keep)


def _computed_collaborations(user: User, filters: ReportFilters, keep: set[str]) -> dict[Slot, dict[str, Any]]:
    if user.is_admin or not collaborates(user):
        return {}  # nothing to total: skip building the queries as well
    created = Q(created_at__gte=filters.start_at, created_at__lt=filters.end_before)
    closed = Q(closed_at__gte=filters.start_at, closed_at__lt=filters.end_before)
    return compute_totals(
        report_collaborations(user, filters, created_in(filters)).filter(created),
        report_collaborations(user, filters, closed_in(filters)).filter(closed),
        keep,
    )


def _add_collaborations(
    totals: dict[tuple[Any, ...], dict[str, Any]],
    user: User,
    filters: ReportFilters,
    by: tuple[str, ...],
    dimension: str,
) -> None:
    split_by = dimension_field(dimension)
    keep = {*by, split_by} - {None}
    for (day, owner_id, pipeline_id, row_dimension, value), figures in _collaboration_totals(
        user, filters, keep
    ).items():
        if row_dimension != dimension:
            continue
        fields = {"day": day, "owner_id": owner_id, "pipeline_id": pipeline_id, split_by: value}
        total = totals.setdefault(tuple(fields[k] for k in by), _empty())
        for name, figure in figures.items():
            total[name] = (total.get(name) or 0) + figure
