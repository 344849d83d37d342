"""Keeps `StageDayTotal` rows in step with the stage visits: whenever a deal's visits are re-derived or
change owner, the (kind, day, stage, owner) cells they left and entered are recomputed from the visits.

As with the daily deal totals, recomputing cells rather than adding and subtracting keeps them exact
whatever path changed the visits; bulk loads, restores and migrations rebuild everything.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import router, transaction
from django.db.models import Count, Q, QuerySet, Sum

from dealtrack.core.day_cells import refresh_cells
from dealtrack.core.expressions import LocalDate
from dealtrack.deals.models import StageDayTotal, StageVisit

Cell = tuple[str, dt.date, int, int]  # (kind, local day, stage id, owner id)
ENTERED, LEFT = StageDayTotal.Kind.ENTERED, StageDayTotal.Kind.LEFT


def cells_of(visits: QuerySet[StageVisit]) -> set[Cell]:
    """The cells these visits count in: their entry day's, and their leaving day's once they ended."""
    entered = visits.annotate(cell_day=LocalDate("entered_at")).order_by()
    left = visits.filter(left_at__isnull=False).annotate(cell_day=LocalDate("left_at")).order_by()
    return {
        (kind, day, stage_id, owner_id)
        for kind, rows in ((ENTERED, entered), (LEFT, left))
        for day, stage_id, owner_id in rows.values_list("cell_day", "stage_id", "owner_id").distinct()
    }


Counted = tuple[int, int, dt.date, dt.date | None, bool, dt.date | None, int | None]


def counted(visits: QuerySet[StageVisit]) -> Counter[Counted]:
    """What each of these visits adds to the totals (stage, owner, entry day, previous entry day, moved on,
    leaving day, seconds): comparing them before and after re-deriving a deal's visits tells which cells
    changed, so a move recomputes two or three cells rather than every cell of the deal's history."""
    return Counter(
        visits.annotate(
            cell_day=LocalDate("entered_at"),
            cell_previous=LocalDate("previous_entry_at"),
            cell_left=LocalDate("left_at"),
        )
        .order_by()
        .values_list("stage_id", "owner_id", "cell_day", "cell_previous", "moved_on", "cell_left", "seconds")
    )


def changed_cells(before: Counter[Counted], after: Counter[Counted]) -> set[Cell]:
    """The cells of the visits in one of `counted` and not the other."""
    cells: set[Cell] = set()
    for stage_id, owner_id, day, _previous, _moved_on, left_day, _seconds in (before - after) + (after - before):
        cells.add((ENTERED, day, stage_id, owner_id))
        if left_day is not None:
            cells.add((LEFT, left_day, stage_id, owner_id))
    return cells


def compute_rows(visits: QuerySet[StageVisit], entered: Q, left: Q) -> list[StageDayTotal]:
    """Unsaved rows totalling the visits entered under `entered` and those left under `left`."""
    entries = (
        visits.filter(entered)
        .annotate(cell_day=LocalDate("entered_at"), cell_previous=LocalDate("previous_entry_at"))
        .order_by()
        .values_list("cell_day", "stage_id", "owner_id", "cell_previous")
        .annotate(count=Count("*"), moved_on=Count("id", filter=Q(moved_on=True)))
    )
    stays = (
        visits.filter(left, left_at__isnull=False)
        .annotate(cell_day=LocalDate("left_at"))
        .order_by()
        .values_list("cell_day", "stage_id", "owner_id")
        .annotate(count=Count("*"), seconds=Sum("seconds"))
    )
    rows = [
        StageDayTotal(
            kind=ENTERED,
            day=day,
            stage_id=stage_id,
            owner_id=owner_id,
            previous_day=previous,
            visits=count,
            moved_on=moved_on,
        )
        for day, stage_id, owner_id, previous, count, moved_on in entries
    ]
    rows += [
        StageDayTotal(kind=LEFT, day=day, stage_id=stage_id, owner_id=owner_id, visits=count, seconds=seconds or 0)
        for day, stage_id, owner_id, count, seconds in stays
    ]
    return rows


def refresh_stage_totals(cells: Iterable[Cell], using: str | None = None) -> None:
    """Recompute these cells from the visits (call inside the writer's transaction). Both kinds of a day
    are recomputed together, from the visits entered and left that day."""
    alias = using or router.db_for_write(StageDayTotal)
    refresh_cells(
        StageDayTotal,
        alias,
        ((day, (stage_id, owner_id)) for _kind, day, stage_id, owner_id in cells),
        keys=("stage_id", "owner_id"),
        rows=Q(kind__in=StageDayTotal.Kind.values),
        moments=("entered_at", "left_at"),
        recompute=lambda entered, left: compute_rows(StageVisit.objects.using(alias), entered, left),
    )


def rebuild_all_stage_totals(using: str | None = None) -> int:
    """Replace every row with totals recomputed from all visits in one pass (the result is a few rows per
    stage, owner and day, whatever the number of visits); returns how many rows there are."""
    alias = using or router.db_for_write(StageDayTotal)
    with transaction.atomic(using=alias):
        StageDayTotal.objects.using(alias).all().delete()
        rows = compute_rows(StageVisit.objects.using(alias), Q(), Q())
        StageDayTotal.objects.using(alias).bulk_create(rows, batch_size=2000)
    return len(rows)
