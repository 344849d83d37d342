"""The dashboard's breakdowns and the retention report: sums of the daily totals (`reports.totals`), and
grouped aggregates over `report_deals` where a figure needs the deals themselves."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from dealtrack.core.models import User
from dealtrack.customers.models import Company
from dealtrack.deals.choices import DealStatus, DealType
from dealtrack.deals.models import DayTotal, LostReason, Source
from dealtrack.pipelines.models import Stage
from dealtrack.reports.figures import money, rate
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.scope import closed_in, report_deal_parts
from dealtrack.reports.summary import closed_in_period, month_totals, open_pipeline_cells, weighted_total
from dealtrack.reports.totals import period_totals

TOP = 10


def won_by_month(user: User, filters: ReportFilters) -> list[dict[str, Any]]:
    """Won count and value per calendar month (local time) of the period, every month listed."""
    return month_totals(period_totals(user, filters, ("day",)), filters)


def pipeline_by_stage(user: User, filters: ReportFilters) -> list[dict[str, Any]]:
    """Open deals now, per stage (in pipeline and stage order): count, value and weighted value."""
    by_stage: dict[int, dict[str, Any]] = {}
    stages = Stage.objects.select_related("pipeline").order_by("pipeline__position", "pipeline_id", "position", "id")
    probabilities = {stage.pk: stage.probability for stage in stages}
    for cell in open_pipeline_cells(user, filters):
        row = by_stage.setdefault(cell["stage_id"], {"count": 0, "value": Decimal(0), "weighted": Decimal(0)})
        row["count"] += cell["count"]
        row["value"] += cell["value"] or Decimal(0)
        row["weighted"] += weighted_total(cell, probabilities)
    return [
        {
            "stage_id": stage.pk,
            "stage": _(stage.name),
            "pipeline": _(stage.pipeline.name),
            "count": by_stage[stage.pk]["count"],
            "value": money(by_stage[stage.pk]["value"]),
            "weighted_value": money(by_stage[stage.pk]["weighted"] / 100),
        }
        for stage in stages
        if stage.pk in by_stage
    ]


def _names(model: Any, ids: Any) -> dict[int, str]:
    """Names of the rows a grouped aggregate returned, fetched afterwards so the aggregate needs no join."""
    return dict(model.objects.filter(pk__in=[pk for pk in ids if pk is not None]).values_list("pk", "name"))


def lost_reasons(user: User, filters: ReportFilters) -> list[dict[str, Any]]:
    """Deals lost in the period per reason: count and value, most frequent first."""
    totals = period_totals(user, filters, ("lost_reason_id",), DayTotal.Dimension.REASON)
    rows = sorted(
        ((key[0], row) for key, row in totals.items() if row["lost_count"]),
        key=lambda item: (-item[1]["lost_count"], -item[1]["lost_value"], item[0] or 0),
    )
    names = _names(LostReason, (reason_id for reason_id, _row in rows))
    return [
        {
            "reason": _(names[reason_id]) if reason_id in names else _("No reason given"),
            "count": row["lost_count"],
            "value": money(row["lost_value"]),
        }
        for reason_id, row in rows
    ]


def top_sources(user: User, filters: ReportFilters) -> list[dict[str, Any]]:
    """Deals created in the period per source: count, value, and the win rate of those closed so far."""
    totals = period_totals(user, filters, ("source_id",), DayTotal.Dimension.SOURCE)
    rows = sorted(
        ((key[0], row) for key, row in totals.items() if row["created_count"]),
        key=lambda item: (-item[1]["created_count"], -item[1]["created_value"], item[0] or 0),
    )[:TOP]
    names = _names(Source, (source_id for source_id, _row in rows))
    return [
        {
            "source": _(names[source_id]) if source_id in names else _("Unknown source"),
            "count": row["created_count"],
            "value": money(row["created_value"]),
            "won_count": row["created_won"],
            "win_rate": rate(row["created_won"], row["created_won"] + row["created_lost"]),
        }
        for source_id, row in rows
    ]


def top_customers(user: User, filters: ReportFilters) -> list[dict[str, Any]]:
    """Companies by value won in the period, largest first."""

    def won_per_company(deals: Any) -> Any:
        won = closed_in_period(deals, filters).filter(status=DealStatus.WON, company__isnull=False)
        return won.order_by().values("company_id").annotate(count=Count("*"), value=Sum("value_base"))

    owned, *collaborating = report_deal_parts(user, filters, closed_in(filters))
    totals = {r["company_id"]: r for r in won_per_company(owned).order_by("-value", "company_id")[:TOP]}
    if collaborating:
        extra = {r["company_id"]: r for r in won_per_company(collaborating[0])}
        outside = [pk for pk in extra if pk not in totals]
        owned_too: dict[int, Any] = {}  # with fewer than ten, the owners' part has no other companies
        if len(totals) == TOP and outside:
            # Exact without reading every company: one outside the owners' top ten won at most the tenth's
            # value through owners, so it can only reach the final ten if that plus its collaborated value
            # reaches the lowest total among the ten. Only those candidates' owner figures are read.
            most_owned = min(r["value"] for r in totals.values())
            lowest = min(r["value"] + (extra[pk]["value"] if pk in extra else 0) for pk, r in totals.items())
            outside = [pk for pk in outside if most_owned + extra[pk]["value"] >= lowest]
            if outside:
                owned_too = {r["company_id"]: r for r in won_per_company(owned.filter(company_id__in=outside))}
        empty = {"count": 0, "value": Decimal(0)}
        totals = {
            pk: {
                "company_id": pk,
                **{
                    name: (totals.get(pk) or owned_too.get(pk) or empty)[name] + extra.get(pk, empty)[name]
                    for name in ("count", "value")
                },
            }
            for pk in [*totals, *outside]
        }
    rows = sorted(totals.values(), key=lambda r: (-r["value"], r["company_id"]))[:TOP]
    names = _names(Company, (r["company_id"] for r in rows))
    return [
        {
            "company_id": r["company_id"],
            "company": names.get(r["company_id"], ""),
            "won_count": r["count"],
            "won_value": money(r["value"]),
        }
        for r in rows
    ]


def retention(user: User, filters: ReportFilters) -> dict[str, Any]:
    """Per deal type, deals closed in the period: won/lost counts and values; renewal rate, churned value
    (renewals lost) and expansion value (expansions won)."""
    rows = period_totals(user, filters, ("deal_type",), DayTotal.Dimension.TYPE)
    found = {key[0]: row for key, row in rows.items()}
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
