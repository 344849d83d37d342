"""Keeps `Deal.first_response_at` (the owner's first activity on the deal since its creation) in step
with the activities, so lead response time is a column read instead of a search of each deal's activities.

It changes when the owner logs an activity, when the deal changes owner, and after bulk loads.
"""

from __future__ import annotations

import datetime as dt

from django.db import connections
from django.db.models import Min, OuterRef, Q, QuerySet, Subquery

from dealtrack.deals.models import Deal


def _activity_model() -> type:
    # Activities belong to the activities app, which builds on this one; reach them through the relation.
    return Deal._meta.get_field("activities").related_model


def note_activity(deal: Deal, user_id: int, at: dt.datetime) -> None:
    """An activity by `user_id` at `at` was logged on `deal`: the owner's earliest one counts."""
    if user_id != deal.owner_id or deal.created_at is None or at < deal.created_at:
        return
    Deal.objects.filter(Q(first_response_at__isnull=True) | Q(first_response_at__gt=at), pk=deal.pk).update(
        first_response_at=at
    )


def first_owner_activity() -> Subquery:
    """The earliest activity by the deal's owner at or after the deal's creation, for a Deal queryset."""
    return Subquery(
        _activity_model()
        .objects.filter(deal_id=OuterRef("pk"), user_id=OuterRef("owner_id"), occurred_at__gte=OuterRef("created_at"))
        .order_by()
        .values("deal_id")
        .annotate(first=Min("occurred_at"))
        .values("first")[:1]
    )


def recompute_first_responses(deals: QuerySet[Deal]) -> int:
    """Set the column from the activities for these deals (an owner change, a bulk load); returns the count."""
    return deals.update(first_response_at=first_owner_activity())


# One grouped pass over the activities, then an update of only the deals whose value differs: per-deal
# subqueries over a million deals would probe the activities a million times and rewrite every row.
_RECOMPUTE_ALL = """
UPDATE deals_deal SET first_response_at = firsts.first_at
FROM (
    SELECT d.id AS deal_id, MIN(a.occurred_at) AS first_at
    FROM deals_deal d
    LEFT JOIN activities_activity a
        ON a.deal_id = d.id AND a.user_id = d.owner_id AND a.occurred_at >= d.created_at
    GROUP BY d.id
) AS firsts
WHERE deals_deal.id = firsts.deal_id
    AND (deals_deal.first_response_at IS NULL) <> (firsts.first_at IS NULL)
    OR deals_deal.id = firsts.deal_id AND deals_deal.first_response_at <> firsts.first_at
"""


def recompute_all_first_responses(using: str = "default") -> int:
    """Every deal's column from the activities (migrations, bulk loads, restores); returns how many changed."""
    with connections[using].cursor() as cursor:
        cursor.execute(_RECOMPUTE_ALL)
        return cursor.rowcount
