"""Reads of quotas, with visibility, and the quota that applies to a span of days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, QuerySet

from dealtrack.core.models import User
from dealtrack.core.queries import managed_team_ids, owner_scope
from dealtrack.goals.breakdown import target_for_span
from dealtrack.goals.models import Quota


def quotas_visible_to(user: User) -> QuerySet[Quota]:
    """Own quota and own team's; a manager's teams (nested) and their reps'; admins all."""
    scope = owner_scope(user, "owner")
    quotas = Quota.objects.select_related("owner", "team")
    if scope is None:
        return quotas
    teams = managed_team_ids(user) | ({user.team_id} if user.team_id else set())
    return quotas.filter(scope | Q(team_id__in=teams))


def quota_for_span(quotas: Iterable[Quota], start: dt.date, end: dt.date) -> Decimal:
    """The sum of the given quotas' targets that fall in [start, end] (inclusive), pro-rated by days."""
    total = Decimal(0)
    for quota in quotas:
        span_start = max(start, dt.date(quota.year, 1, 1))
        span_end = min(end, dt.date(quota.year, 12, 31))
        if span_start <= span_end:
            total += target_for_span(quota.year, quota.months, span_start, span_end)
    return total


def quotas_for_span(
    user: User, *, start: dt.date, end: dt.date, metric: str
) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """({owner id: quota}, {team id: quota}) for the visible quotas of `metric` overlapping [start, end]."""
    quotas = quotas_visible_to(user).filter(metric=metric, year__gte=start.year, year__lte=end.year)
    return quota_totals(quotas, start, end)


def quota_totals(
    quotas: Iterable[Quota], start: dt.date, end: dt.date
) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """({owner id: quota}, {team id: quota}) of these quotas for [start, end], pro-rated by days."""
    by_owner: dict[int, Decimal] = {}
    by_team: dict[int, Decimal] = {}
    for quota in quotas:
        amount = quota_for_span([quota], start, end)
        if quota.owner_id:
            by_owner[quota.owner_id] = by_owner.get(quota.owner_id, Decimal(0)) + amount
        else:
            by_team[quota.team_id] = by_team.get(quota.team_id, Decimal(0)) + amount
    return by_owner, by_team
