"""The team table: per rep, activity, outcomes, quota attainment, lead response and stalled deals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, Sum

from dealtrack.activities.choices import ActivityKind
from dealtrack.activities.models import ActivityDayTotal
from dealtrack.core.expressions import HoursBetween
from dealtrack.core.models import User
from dealtrack.deals.queries import stalled_deals
from dealtrack.goals.choices import QuotaMetric
from dealtrack.goals.queries import quotas_for_span
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Stage
from dealtrack.reports.figures import mean, money, rate
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.scope import narrowing, report_activity_totals, report_deals, report_people, report_visits
from dealtrack.reports.summary import created_in_period
from dealtrack.reports.totals import period_totals

SORT_KEYS = (
    "name",
    "calls",
    "emails",
    "meetings",
    "visits",
    "notes",
    "follow_ups_per_deal",
    "won_count",
    "lost_count",
    "dropped",
    "win_rate",
    "won_value",
    "attainment",
    "lead_response_hours",
    "stalled",
)


def _grouped(rows: Any, key: str) -> dict[int, dict[str, Any]]:
    return {r[key]: r for r in rows}


def team_table(user: User, filters: ReportFilters, *, sort: str = "-won_value") -> list[dict[str, Any]]:
    """One row per rep or manager the reader may see in the filter (definitions in docs/metrics.md)."""
    people = list(report_people(user, filters))
    ids = [p.pk for p in people]
    kinds = Q(dimension=ActivityDayTotal.Dimension.KIND)
    activity = _grouped(
        report_activity_totals(filters, ids)
        .order_by()
        .values("user_id")
        .annotate(
            **{kind.value: Sum("count", filter=kinds & Q(kind=kind.value)) for kind in ActivityKind},
            on_deals=Sum("count", filter=kinds & Q(pipeline__isnull=False)),
            # Each deal once: its first activity by the person in the period (see Activity.previous_touch_at).
            deals_touched=Sum(
                "count",
                filter=Q(dimension=ActivityDayTotal.Dimension.TOUCH)
                & (Q(previous_day__isnull=True) | Q(previous_day__lt=filters.start)),
            ),
        ),
        "user_id",
    )
    deals = report_deals(user, filters).filter(owner_id__in=ids)
    closed = {key[0]: row for key, row in period_totals(user, filters, ("owner_id",)).items()}
    response = _grouped(
        created_in_period(deals, filters)
        .order_by()
        .values("owner_id")
        .annotate(
            hours=Avg(HoursBetween("created_at", "first_response_at")),
            created=Count("*"),
            unanswered=Count("status", filter=Q(first_response_at__isnull=True)),
        ),
        "owner_id",
    )
    dropped = _grouped(
        report_visits(user, filters)
        .filter(
            stage__in=Stage.objects.filter(kind=StageKind.FRIDGE).values("pk"),
            entered_at__gte=filters.start_at,
            entered_at__lt=filters.end_before,
            owner_id__in=ids,
        )
        .order_by()
        .values("owner_id")
        .annotate(count=Count("deal_id", distinct=True)),
        "owner_id",
    )
    stalled = _grouped(
        stalled_deals(user)
        .filter(narrowing(filters), owner_id__in=ids)
        .order_by()
        .values("owner_id")
        .annotate(count=Count("*")),
        "owner_id",
    )
    value_quota, _team = quotas_for_span(user, start=filters.start, end=filters.end, metric=QuotaMetric.VALUE)
    count_quota, _team = quotas_for_span(user, start=filters.start, end=filters.end, metric=QuotaMetric.COUNT)
    rows = []
    for person in people:
        acts = activity.get(person.pk, {})
        outcome = closed.get(person.pk, {})
        won_count, lost_count = outcome.get("won_count", 0), outcome.get("lost_count", 0)
        won_value = money(outcome.get("won_value"))
        quota = value_quota.get(person.pk)
        counted = count_quota.get(person.pk)
        lead = response.get(person.pk, {})
        rows.append(
            {
                "owner_id": person.pk,
                "name": person.name,
                **{f"{kind.value}s": acts.get(kind.value) or 0 for kind in ActivityKind},
                "follow_ups_per_deal": mean(acts.get("on_deals"), acts.get("deals_touched"), 2),
                "won_count": won_count,
                "lost_count": lost_count,
                "dropped": dropped.get(person.pk, {}).get("count", 0),
                "win_rate": rate(won_count, won_count + lost_count),
                "won_value": won_value,
                "quota": quota,
                "attainment": rate(won_value, quota) if quota else None,
                "count_quota": counted,
                "count_attainment": rate(won_count, counted) if counted else None,
                "lead_response_hours": round(lead["hours"], 1) if lead.get("hours") is not None else None,
                "leads_unanswered": lead.get("unanswered", 0),
                "stalled": stalled.get(person.pk, {}).get("count", 0),
            }
        )
    return sort_rows(rows, sort)


def sort_rows(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """Sort by a column of SORT_KEYS ('-' for descending); empty values always last, then by name."""
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        key, sort = "won_value", "-won_value"
    descending = sort.startswith("-")
    present = [r for r in rows if r[key] is not None]
    missing = [r for r in rows if r[key] is None]
    present.sort(key=lambda r: r["name"])
    present.sort(key=lambda r: r[key] if not isinstance(r[key], Decimal) else float(r[key]), reverse=descending)
    return present + sorted(missing, key=lambda r: r["name"])
