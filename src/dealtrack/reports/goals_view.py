"""What the Goals page shows per visible quota: its breakdown and how much of it is won so far."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dealtrack.core.models import User
from dealtrack.goals.breakdown import quarter_targets, week_targets
from dealtrack.goals.choices import QuotaMetric
from dealtrack.goals.queries import quota_for_span, quotas_visible_to
from dealtrack.reports.figures import rate
from dealtrack.reports.filters import ReportFilters, quarter_of
from dealtrack.reports.summary import summary


def quota_rows(user: User, year: int) -> list[dict[str, Any]]:
    """Each visible quota of `year` with quarters, months, weeks, and attainment for the year to date and
    the current quarter (won value or count, within the reader's visibility)."""
    today = timezone.localdate()
    year_end = dt.date(year, 12, 31)
    upto = min(today, year_end)
    q_start, q_end = quarter_of(upto)
    rows = []
    for quota in quotas_visible_to(user).filter(year=year):
        scope = {"owner_id": quota.owner_id} if quota.owner_id else {"team_id": quota.team_id}
        key = "won_value" if quota.metric == QuotaMetric.VALUE else "won_count"
        year_won = quarter_won = Decimal(0)
        if dt.date(year, 1, 1) <= upto:
            year_won = Decimal(summary(user, ReportFilters(start=dt.date(year, 1, 1), end=upto, **scope))[key])
            quarter_won = Decimal(summary(user, ReportFilters(start=q_start, end=q_end, **scope))[key])
        quarter_quota = quota_for_span([quota], q_start, q_end)
        rows.append(
            {
                "id": quota.pk,
                "name": quota.owner.name if quota.owner else quota.team.name,
                "is_team": quota.team_id is not None,
                "year": quota.year,
                "metric": quota.get_metric_display(),
                "target": quota.target,
                "quarters": quarter_targets(quota.months),
                "months": quota.months,
                "weeks": week_targets(quota.year, quota.months),
                "year_won": year_won,
                "year_attainment": rate(year_won, quota.target),
                "quarter": f"Q{(q_start.month - 1) // 3 + 1}",
                "quarter_quota": quarter_quota,
                "quarter_won": quarter_won,
                "quarter_attainment": rate(quarter_won, quarter_quota),
            }
        )
    return rows
