"""The headline figures (summary) and the same figures per owner, as defined in docs/metrics.md.

Every figure is an aggregate computed by the database over `report_deals` (or the snapshots).
Per-owner rows add up to the summary for every count and value.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from dealtrack.core.expressions import DaysBetween
from dealtrack.core.models import User
from dealtrack.core.side_by_side import side_by_side
from dealtrack.deals.choices import DealStatus
from dealtrack.deals.models import Deal
from dealtrack.pipelines.models import Stage
from dealtrack.reports.figures import mean, median_of_counts, medians, money, rate
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.models import SnapshotDay
from dealtrack.reports.scope import (
    OPEN_LINKS,
    closed_in,
    report_collaboration_snapshots,
    report_deal_parts,
    report_snapshot_totals,
)
from dealtrack.reports.totals import period_totals

WEIGHT = DecimalField(max_digits=24, decimal_places=2)


def closed_in_period(deals: QuerySet[Deal], filters: ReportFilters) -> QuerySet[Deal]:
    """Won or lost deals whose close time falls in the period."""
    return deals.filter(
        status__in=[DealStatus.WON, DealStatus.LOST],
        closed_at__gte=filters.start_at,
        closed_at__lt=filters.end_before,
    )


def created_in_period(deals: QuerySet[Deal], filters: ReportFilters) -> QuerySet[Deal]:
    return deals.filter(created_at__gte=filters.start_at, created_at__lt=filters.end_before)


def pipeline_source(filters: ReportFilters, today: dt.date | None = None) -> dt.date | None:
    """None when the period reaches today or later (the live pipeline counts); else the snapshot day
    that holds the state at the period's end (the morning after its last day)."""
    today = today or timezone.localdate()
    return None if filters.end >= today else filters.end + dt.timedelta(days=1)


def _won_cycles(deals: QuerySet[Deal], filters: ReportFilters) -> QuerySet[Deal]:
    """The deals won in the period with their sales cycle in whole local days (`cycle`)."""
    won = closed_in_period(deals, filters).filter(status=DealStatus.WON).order_by()
    return won.annotate(cycle=DaysBetween("created_at", "closed_at"))


def won_cycle_median(user: User, filters: ReportFilters) -> float | None:
    """The median sales cycle of the deals won in the period: the won deals counted per cycle length in
    whole days (a few hundred rows however many deals), read from the covering index."""
    counts: Counter[int] = Counter()
    for deals in report_deal_parts(user, filters, closed_in(filters)):
        for row in _won_cycles(deals, filters).values("cycle").annotate(count=Count("*")):
            if row["cycle"] is not None:
                counts[row["cycle"]] += row["count"]
    return median_of_counts(sorted(counts.items())) if counts else None


def month_totals(daily: dict[tuple[Any, ...], dict[str, Any]], filters: ReportFilters) -> list[dict[str, Any]]:
    """Won count and value per calendar month of the period, every month listed, from totals per day."""
    months: dict[str, dict[str, Any]] = {m: {"won_count": 0, "won_value": Decimal(0)} for m in filters.months()}
    for (day,), totals in daily.items():
        month = months[f"{day:%Y-%m}"]
        month["won_count"] += totals["won_count"]
        month["won_value"] += totals["won_value"]
    return [{"month": m, "won_count": t["won_count"], "won_value": money(t["won_value"])} for m, t in months.items()]


def open_pipeline_cells(user: User, filters: ReportFilters) -> list[dict[str, Any]]:
    """Open deals now, summed per owner and stage from one covering index (`deal_report_pipeline`):
    count, value, the value of deals weighted by their stage's probability (`plain`) and the value
    already weighted by a deal's own probability (`overridden`, in value × percent).

    The cells describe the pipeline now, whatever the period, so within one request (the dashboard wants
    them for its figures and for its pipeline by stage) they are read once per pipeline/team/owner filter.
    """
    memo: dict[Any, Any] | None = getattr(user, "request_memo", None)
    key = ("open_pipeline_cells", filters.pipeline_id, filters.team_id, filters.owner_id)
    if memo is not None and key in memo:
        return memo[key]
    cells = [
        cell
        for deals in report_deal_parts(user, filters, OPEN_LINKS)
        for cell in deals.filter(status=DealStatus.OPEN)
        .order_by()
        .values("owner_id", "stage_id")
        .annotate(
            count=Count("*"),
            value=Sum("value_base"),
            plain=Sum("value_base", filter=Q(probability_override__isnull=True)),
            overridden=Sum(ExpressionWrapper(F("value_base") * F("probability_override"), WEIGHT)),
        )
    ]
    if memo is not None:
        memo[key] = cells
    return cells


def weighted_total(cell: dict[str, Any], probabilities: dict[int, int]) -> Decimal:
    """A cell's Σ value × probability (in value × percent): its stage's probability where none is set."""
    return (cell["plain"] or Decimal(0)) * probabilities[cell["stage_id"]] + (cell["overridden"] or Decimal(0))


def _live_pipeline(user: User, filters: ReportFilters, group: str | None) -> dict[Any, dict[str, Any]]:
    probabilities = dict(Stage.objects.values_list("pk", "probability"))
    totals: dict[Any, dict[str, Any]] = {}
    for cell in open_pipeline_cells(user, filters):
        total = totals.setdefault(
            cell[group] if group else None,
            {"open_count": 0, "pipeline_value": Decimal(0), "weighted_total": Decimal(0)},
        )
        total["open_count"] += cell["count"]
        total["pipeline_value"] += cell["value"] or Decimal(0)
        total["weighted_total"] += weighted_total(cell, probabilities)
    return totals


def _snapshot_pipeline() -> dict[str, Any]:
    return {
        "open_count": Count("*"),
        "pipeline_value": Sum("value_base"),
        "weighted_total": Sum(ExpressionWrapper(F("value_base") * F("probability"), WEIGHT)),
    }


_SNAPSHOT_TOTALS = {"open_count": Sum("deal_count"), "pipeline_value": Sum("value"), "weighted_total": Sum("weighted")}


def _pipeline_rows(user: User, filters: ReportFilters, group: str | None) -> tuple[Any, dt.date | None]:
    """Open-deal aggregates at the period's end, and the day they stand for (None if unknown)."""
    day = pipeline_source(filters)
    if day is None:
        totals = _live_pipeline(user, filters, group)
        return (totals if group else totals.get(None, {})), timezone.localdate()
    taken_at = SnapshotDay.objects.filter(day=day).values_list("taken_at", flat=True).first()
    if taken_at is None:
        return {}, None
    # The owners' totals and the collaborations' rows; the two never share an owner.
    parts = [(report_snapshot_totals(user, filters).filter(day=day).order_by(), _SNAPSHOT_TOTALS)]
    collaborations = report_collaboration_snapshots(user, filters, taken_at)
    if collaborations is not None:
        parts.append((collaborations.filter(day=day).order_by(), _snapshot_pipeline()))
    if group:
        return {r[group]: r for rows, sums in parts for r in rows.values(group).annotate(**sums)}, day
    found = [rows.aggregate(**sums) for rows, sums in parts]
    return {name: sum((part[name] or 0 for part in found), start=0) for name in _SNAPSHOT_TOTALS}, day


def _figures(
    totals: dict[str, Any],
    pipeline: dict[str, Any],
    median: float | None,
    as_of: dt.date | None,
) -> dict[str, Any]:
    won_count = totals.get("won_count") or 0
    lost_count = totals.get("lost_count") or 0
    won_value = money(totals.get("won_value"))
    lost_value = money(totals.get("lost_value"))
    known = as_of is not None
    return {
        "won_count": won_count,
        "lost_count": lost_count,
        "win_rate": rate(won_count, won_count + lost_count),
        "win_rate_by_value": rate(won_value, won_value + lost_value),
        "won_value": won_value,
        "lost_value": lost_value,
        "avg_won_value": money(won_value / won_count) if won_count else None,
        "avg_cycle_days": mean(totals.get("won_cycle_days"), won_count),
        "median_cycle_days": median,
        "new_deals": totals.get("created_count") or 0,
        "new_deals_value": money(totals.get("created_value")),
        "open_count": (pipeline.get("open_count") or 0) if known else None,
        "pipeline_value": money(pipeline.get("pipeline_value")) if known else None,
        "weighted_pipeline_value": money(Decimal(str(pipeline.get("weighted_total") or 0)) / 100) if known else None,
        "pipeline_as_of": as_of,
    }


def _summed(daily: dict[tuple[Any, ...], dict[str, Any]]) -> dict[str, Any]:
    totals: dict[str, Any] = {}
    for row in daily.values():
        for name, value in row.items():
            totals[name] = totals.get(name, 0) + value
    return totals


def _headline(user: User, filters: ReportFilters, totals: dict[str, Any]) -> dict[str, Any]:
    """The headline figures from the period's summed daily totals, its median cycle and its pipeline."""
    pipeline, as_of = _pipeline_rows(user, filters, None)
    return _figures(totals, pipeline, won_cycle_median(user, filters), as_of)


def summary(user: User, filters: ReportFilters) -> dict[str, Any]:
    """The headline figures for the period (see docs/metrics.md for each definition)."""
    return _headline(user, filters, period_totals(user, filters).get((), {}))


def summary_and_months(user: User, filters: ReportFilters) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The headline figures and the won value per month of the period (the dashboard's chart), from one
    read of the daily totals."""
    daily = period_totals(user, filters, ("day",))
    return _headline(user, filters, _summed(daily)), month_totals(daily, filters)


def by_owner(user: User, filters: ReportFilters) -> list[dict[str, Any]]:
    """The summary's figures per owner of the deals counted; counts and values add up to the summary."""

    def cycle_medians() -> dict[Any, float]:
        found: dict[Any, float] = {}
        for deals in report_deal_parts(user, filters, closed_in(filters)):  # parts never share an owner
            found.update(medians(_won_cycles(deals, filters).values("owner_id", "cycle"), "cycle", "owner_id"))
        return found

    # Three independent reads, longest first, shared out over PARALLEL_READS connections.
    median, (pipeline, as_of), daily = side_by_side(
        cycle_medians,
        lambda: _pipeline_rows(user, filters, "owner_id"),
        lambda: period_totals(user, filters, ("owner_id",)),
    )
    totals = {key[0]: row for key, row in daily.items()}
    owner_ids = set(totals) | set(pipeline)
    names = {u.pk: u.name for u in User.objects.filter(pk__in=owner_ids)}
    rows = [
        {
            "owner_id": owner_id,
            "owner": names.get(owner_id, ""),
            **_figures(totals.get(owner_id, {}), pipeline.get(owner_id, {}), median.get(owner_id), as_of),
        }
        for owner_id in owner_ids
    ]
    return sorted(rows, key=lambda r: (-r["won_value"], r["owner"], r["owner_id"]))
