"""Which quota a report's scope is measured against, and attainment (won in the period ÷ quota)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dealtrack.core.models import User
from dealtrack.goals.queries import quota_totals, quotas_visible_to
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.scope import report_people


def scope_quota(user: User, filters: ReportFilters, *, metric: str, start: dt.date, end: dt.date) -> Decimal | None:
    """The quota for [start, end] of what the report covers: the owner's, else the filtered team's own
    quota if it has one, else the sum of the quotas of the people in the scope; None if none is set."""
    return scope_quotas(user, filters, metric=metric, spans=[(start, end)])[0]


def scope_quotas(
    user: User, filters: ReportFilters, *, metric: str, spans: list[tuple[dt.date, dt.date]]
) -> list[Decimal | None]:
    """`scope_quota` for each of several spans (a forecast's months), reading the quotas and people once."""
    first, last = min(start for start, _end in spans), max(end for _start, end in spans)
    quotas = list(quotas_visible_to(user).filter(metric=metric, year__gte=first.year, year__lte=last.year))
    people: set[int] | None = None
    found: list[Decimal | None] = []
    for start, end in spans:
        by_owner, by_team = quota_totals(quotas, start, end)
        if filters.owner_id is not None:
            found.append(by_owner.get(filters.owner_id))
        elif filters.team_id is not None and filters.team_id in by_team:
            found.append(by_team[filters.team_id])
        elif not by_owner:
            found.append(None)  # no one has a quota then: whose they would be need not be read
        else:
            if people is None:
                people = set(report_people(user, filters).values_list("pk", flat=True))
            amounts = [amount for owner_id, amount in by_owner.items() if owner_id in people]
            found.append(sum(amounts, Decimal(0)) if amounts else None)
    return found
