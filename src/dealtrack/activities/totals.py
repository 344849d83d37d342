"""Keeps `ActivityDayTotal` rows in step with the activities: a change recomputes the (local day, person)
cells it touched from the activities themselves, as the daily deal totals are kept from the deals.

Activities are only ever added by `log_activity` (which also moves the previous touches of the person's
other activities on that deal) and removed with their deals; bulk loads, restores and migrations rebuild
everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import router, transaction
from django.db.models import Count, F, Q, QuerySet

from dealtrack.activities.models import Activity, ActivityDayTotal
from dealtrack.core.day_cells import refresh_cells
from dealtrack.core.expressions import LocalDate

Cell = tuple[dt.date, int]  # (local day, user id)
KIND, TOUCH = ActivityDayTotal.Dimension.KIND, ActivityDayTotal.Dimension.TOUCH


def cells_of(activities: QuerySet[Activity]) -> set[Cell]:
    """The (local day, person) cells these activities count in."""
    rows = activities.annotate(cell_day=LocalDate("occurred_at")).order_by().values_list("cell_day", "user_id")
    return set(rows.distinct())


def compute_rows(activities: QuerySet[Activity]) -> list[ActivityDayTotal]:
    """Unsaved rows totalling these activities: per kind, and per previous touch day for those on deals."""
    dated = activities.annotate(cell_day=LocalDate("occurred_at"), cell_pipeline=F("deal__pipeline_id")).order_by()
    kinds = dated.values_list("cell_day", "user_id", "cell_pipeline", "kind").annotate(count=Count("*"))
    touches = (
        dated.filter(deal__isnull=False)
        .annotate(cell_previous=LocalDate("previous_touch_at"))
        .values_list("cell_day", "user_id", "cell_pipeline", "cell_previous")
        .annotate(count=Count("*"))
    )
    rows = [
        ActivityDayTotal(dimension=KIND, day=day, user_id=user_id, pipeline_id=pipeline_id, kind=kind, count=count)
        for day, user_id, pipeline_id, kind, count in kinds
    ]
    rows += [
        ActivityDayTotal(
            dimension=TOUCH, day=day, user_id=user_id, pipeline_id=pipeline_id, previous_day=previous, count=count
        )
        for day, user_id, pipeline_id, previous, count in touches
    ]
    return rows


def refresh_activity_totals(cells: Iterable[Cell], using: str | None = None) -> None:
    """Recompute these cells from the activities (call inside the writer's transaction)."""
    alias = using or router.db_for_write(ActivityDayTotal)
    refresh_cells(
        ActivityDayTotal,
        alias,
        ((day, (user_id,)) for day, user_id in cells),
        keys=("user_id",),
        rows=Q(dimension__in=[KIND, TOUCH]),
        moments=("occurred_at",),
        recompute=lambda activities: compute_rows(Activity.objects.using(alias).filter(activities)),
    )


def rebuild_all_activity_totals(using: str | None = None) -> int:
    """Replace every row with totals recomputed from all activities, a person at a time so memory stays
    bounded; returns how many rows there are."""
    alias = using or router.db_for_write(ActivityDayTotal)
    with transaction.atomic(using=alias):
        ActivityDayTotal.objects.using(alias).all().delete()
        users = Activity.objects.using(alias).order_by().values_list("user_id", flat=True).distinct()
        for user_id in sorted(users):
            mine = Activity.objects.using(alias).filter(user_id=user_id)
            ActivityDayTotal.objects.using(alias).bulk_create(compute_rows(mine), batch_size=2000)
    return ActivityDayTotal.objects.using(alias).count()


def forget_deals(deal_ids: Iterable[int], using: str | None = None, **_signal: Any) -> None:
    """Delete the activities of deals about to be deleted (the deletion would take them anyway) and
    recompute the cells they counted in: receives `deals.signals.deals_deleting`."""
    alias = using or router.db_for_write(ActivityDayTotal)
    doomed = Activity.objects.using(alias).filter(deal_id__in=list(deal_ids))
    cells = cells_of(doomed)
    doomed.delete()
    refresh_activity_totals(cells, alias)
