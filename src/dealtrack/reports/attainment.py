"""Which quota a report's scope is measured against, and attainment (won in the period ÷ quota)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dealtrack.core.models import User
from dealtrack.goals.queries import quotas_for_span
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.scope import report_people


def scope_quota(user: User, filters: ReportFilters, *, metric: str, start: dt.date, end: dt.date) -> Decimal | None:
    """The quota for [start, end] of what the report covers: the owner's, else the filtered team's own
    quota if it has one, else the sum of the quotas of the people in the scope; None if none is set."""
    by_owner, by_team = quotas_for_span(user, start=start, end=end, metric=metric)
    if filters.owner_id is not None:
        return by_owner.get(filters.owner_id)
    if filters.team_id is not None and filters.team_id in by_team:
        return by_team[filters.team_id]
    people = set(report_people(user, filters).values_list("pk", flat=True))
    found = [amount for owner_id, amount in by_owner.items() if owner_id in people]
    return sum(found, Decimal(0)) if found else None
