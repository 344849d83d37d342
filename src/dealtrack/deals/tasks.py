"""Background jobs of the deals domain."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from dealtrack.deals.choices import DealStatus
from dealtrack.deals.health import assess_health
from dealtrack.deals.models import Deal
from dealtrack.tasks.choices import ACTIVE_STATUSES


@task()
def refresh_open_deal_health(period: str = "") -> int:
    """Recompute every open deal's health (stalled, overdue close, no next step); returns how many changed."""
    with_task = set(
        Deal.objects.filter(status=DealStatus.OPEN, tasks__status__in=ACTIVE_STATUSES).values_list("pk", flat=True)
    )
    changed: dict[str, list[int]] = {}
    deals = (
        Deal.objects.filter(status=DealStatus.OPEN)
        .select_related("stage")
        .only(
            "pk",
            "status",
            "health",
            "stage__rotting_days",
            "stage_entered_at",
            "last_activity_at",
            "expected_close_date",
            "created_at",
        )
    )
    for deal in deals.iterator(chunk_size=5000):
        health, _reasons = assess_health(deal, has_open_task=deal.pk in with_task)
        if health != deal.health:
            changed.setdefault(health, []).append(deal.pk)
    with transaction.atomic():
        for health, ids in changed.items():
            for start in range(0, len(ids), 900):
                Deal.objects.filter(pk__in=ids[start : start + 900]).update(health=health)
    return sum(len(ids) for ids in changed.values())
