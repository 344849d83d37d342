"""The dashboard's breakdowns and the retention report: grouped aggregates over `report_deals`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from dealtrack.core.models import User
from dealtrack.deals.choices import DealStatus, DealType
from dealtrack.reports.expressions import LocalMonth
from dealtrack.reports.figures import money, rate
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.scope import report_deals
from dealtrack.reports.summary import WEIGHT, closed_in_period, created_in_period

TOP = 10


def won_by_month(user: User, filters: ReportFilters) -> list[dict[str, Any]]:
    """Won count and value per calendar month (local time) of the period, every month listed."""
    won = closed_in_period(report_deals(user, filters), filters).filter(status=DealStatus.WON)
    rows = (
        won.order_by()
        .annotate(month=LocalMonth("closed_at"))
        .values("month")
        .annotate(count=Count("*"), value=Sum("value_base"))
    )
    found = {r["month"]: r for r in rows}
    return [
        {"month": m, "won_count": found.get(m, {}).get("count", 0), "won_value": money(found.get(m, {}).get("value"))}
        for m in filters.months()
    ]


def pipeline_by_stage(user: User, filters: ReportFilters) -> list[dict[str, Any]]:
    """Open deals now, per stage (in pipeline and stage order): count, value and weighted value."""
    rows = (
        report_deals(user, filters)
        .filter(status=DealStatus.OPEN)
        .order_by()
        .values("stage_id", "stage__name", "stage__position", "pipeline_id", "pipeline__name", "pipeline__position")
        .annotate(
            count=Count("*"),
            value=Sum("value_base"),
            weighted=Sum(
                ExpressionWrapper(F("value_base") * Coalesce("probability_override", "stage__probability"), WEIGHT)
            ),
        )
        .order_by("pipeline__position", "pipeline_id", "stage__position", "stage_id")
    )
    return [
        {
            "stage_id": r["stage_id"],
            "stage": _(r["stage__name"]),
            "pipeline": _(r["pipeline__name"]),
            "count": r["count"],
            "value": money(r["value"]),
            "weighted_value": money((r["weighted"] or 0) / 100),
        }
        for r in rows
    ]


def lost_reasons(user: User, filters: ReportFilters) -> list[dict[str, Any]]:
    """Deals lost in the period per reason: count and value, most frequent first."""
    lost = closed_in_period(report_deals(user, filters), filters).filter(status=DealStatus.LOST)
    rows = (
        lost.order_by()
        .values("lost_reason_id", "lost_reason__name")
        .annotate(count=Count("*"), value=Sum("value_base"))
        .order_by("-count", "-value", "lost_reason_id")
    )
    return [
        {
            "reason": _(r["lost_reason__name"]) if r["lost_reason__name"] else _("No reason given"),
            "count": r["count"],
            "value": money(r["value"]),
        }
        for r in rows
    ]


def top_sources(user: User, filters: ReportFilters) -> list[dict[str, Any]]:
    """Deals created in the period per source: count, value, and the win rate of those closed so far."""
    rows = (
        created_in_period(report_deals(user, filters), filters)
        .order_by()
        .values("source_id", "source__name")
        .annotate(
            count=Count("*"),
            value=Sum("value_base"),
            won=Count("status", filter=Q(status=DealStatus.WON)),
            lost=Count("status", filter=Q(status=DealStatus.LOST)),
        )
        .order_by("-count", "-value", "source_id")[:TOP]
    )
    return [
        {
            "source": _(r["source__name"]) if r["source__name"] else _("Unknown source"),
            "count": r["count"],
            "value": money(r["value"]),
            "won_count": r["won"],
            "win_rate": rate(r["won"], r["won"] + r["lost"]),
        }
        for r in rows
    ]


def top_customers(user: User, filters: ReportFilters) -> list[dict[str, Any]]:
    """Companies by value won in the period, largest first."""
    won = closed_in_period(report_deals(user, filters), filters).filter(status=DealStatus.WON, company__isnull=False)
    rows = (
        won.order_by()
        .values("company_id", "company__name")
        .annotate(count=Count("*"), value=Sum("value_base"))
        .order_by("-value", "company_id")[:TOP]
    )
    return [
        {
            "company_id": r["company_id"],
            "company": r["company__name"],
            "won_count": r["count"],
            "won_value": money(r["value"]),
        }
        for r in rows
    ]


def retention(user: User, filters: ReportFilters) -> dict[str, Any]:
    """Per deal type, deals closed in the period: won/lost counts and values; renewal rate, churned value
    (renewals lost) and expansion value (expansions won)."""
    rows = (
        closed_in_period(report_deals(user, filters), filters)
        .order_by()
        .values("deal_type")
        .annotate(
            won_count=Count("status", filter=Q(status=DealStatus.WON)),
            lost_count=Count("status", filter=Q(status=DealStatus.LOST)),
            won_value=Sum("value_base", filter=Q(status=DealStatus.WON)),
            lost_value=Sum("value_base", filter=Q(status=DealStatus.LOST)),
        )
    )
    found = {r["deal_type"]: r for r in rows}
    types = []
    for deal_type in DealType:
        row = found.get(deal_type.value, {})
        won_count, lost_count = row.get("won_count", 0), row.get("lost_count", 0)
        won_value, lost_value = money(row.get("won_value")), money(row.get("lost_value"))
        types.append(
            {
                "deal_type": deal_type.value,
                "label": str(deal_type.label),
                "won_count": won_count,
                "lost_count": lost_count,
                "won_value": won_value,
                "lost_value": lost_value,
                "win_rate": rate(won_count, won_count + lost_count),
                "win_rate_by_value": rate(won_value, won_value + lost_value),
            }
        )
    by_type = {t["deal_type"]: t for t in types}
    renewal = by_type[DealType.RENEWAL]
    return {
        "types": types,
        "renewal_rate": renewal["win_rate"],
        "renewal_rate_by_value": renewal["win_rate_by_value"],
        "churned_value": renewal["lost_value"],
        "churned_count": renewal["lost_count"],
        "expansion_value": by_type[DealType.EXPANSION]["won_value"],
        "expansion_count": by_type[DealType.EXPANSION]["won_count"],
    }
