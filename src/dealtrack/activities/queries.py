"""Reads of activities: own and managed teams', and those on visible deals or companies."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dealtrack.activities.models import Activity
from dealtrack.core.models import User
from dealtrack.core.queries import owner_scope
from dealtrack.customers.queries import companies_visible_to
from dealtrack.deals.queries import deals_visible_to


def activities_visible_to(user: User) -> QuerySet[Activity]:
    scope = owner_scope(user, "user")
    if scope is None:
        return Activity.objects.all()
    on_visible_deal = Q(deal__in=deals_visible_to(user).values("pk"))
    on_visible_company = Q(deal__isnull=True, company__in=companies_visible_to(user).values("pk"))
    return Activity.objects.filter(scope | on_visible_deal | on_visible_company)
