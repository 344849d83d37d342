"""Keeps `DayTotal` rows in step with the deals: a change to a deal's reported fields recomputes the
(day, owner, pipeline) cells it left and entered, from the deals themselves.

Recomputing cells from the deals, rather than adding and subtracting each change, keeps the totals exact
whatever path changed a deal: `Deal.save` refreshes the cells of the deal it saves, bulk writers refresh the
cells of their rows, and migrations, demo loads and restores rebuild everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

from django.db import router, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from dealtrack.core.day_cells import refresh_cells
from dealtrack.core.expressions import DaysBetween, LocalDate
from dealtrack.deals.choices import DealStatus
from dealtrack.deals.models import DayTotal, Deal

# The deal fields the totals depend on: a save that changes none of them leaves its cells as they are.
REPORTED_FIELDS = (
    "created_at",
    "closed_at",
    "status",
    "owner_id",
    "pipeline_id",
    "value_base",
    "source_id",
    "deal_type",
    "lost_reason_id",
)
Cell = tuple[dt.date, int, int]  # (local day, owner id, pipeline id)
_CREATED_FIGURES = ("created_count", "created_value", "created_won", "created_lost")
_CLOSED_FIGURES = ("won_count", "won_value", "won_cycle_days", "lost_count", "lost_value")
FIGURES = (*_CREATED_FIGURES, *_CLOSED_FIGURES)  # every summed column of DayTotal
# Each dimension's rows carry only what its reports read: sources the created figures (top sources), types
# the won and lost ones (retention), reasons the lost ones; "all" carries everything.
_FIELD_OF = {
    DayTotal.Dimension.ALL: None,
    DayTotal.Dimension.SOURCE: "source_id",
    DayTotal.Dimension.TYPE: "deal_type",
    DayTotal.Dimension.REASON: "lost_reason_id",
}
_CLOSED = (DealStatus.WON, DealStatus.LOST)


def dimension_field(dimension: str) -> str | None:
    """The DayTotal (and Deal) field a dimension's rows are split by; None for "all"."""
    return _FIELD_OF[dimension]


def reported_state(deal: Deal) -> tuple[Any, ...]:
    return tuple(getattr(deal, name) for name in REPORTED_FIELDS)


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day of `moment` in the organisation's time zone (the one `LocalDate` uses in SQL)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def cells_of(state: tuple[Any, ...] | None) -> set[Cell]:
    """The cells a deal in `state` (a `reported_state`) counts in: its creation day's, and its close day's
    once won or lost."""
    if state is None:
        return set()
    values = dict(zip(REPORTED_FIELDS, state, strict=True))
    if values["created_at"] is None or values["owner_id"] is None or values["pipeline_id"] is None:
        return set()
    cells = {(local_day(values["created_at"]), values["owner_id"], values["pipeline_id"])}
    if values["status"] in _CLOSED and values["closed_at"] is not None:
        cells.add((local_day(values["closed_at"]), values["owner_id"], values["pipeline_id"]))
    return cells


Slot = tuple[dt.date, int, int, str, Any]  # (day, owner id, pipeline id, dimension, the dimension's value)


def compute_totals(
    created: QuerySet[Deal], closed: QuerySet[Deal], keep: Collection[str] | None = None
) -> dict[Slot, dict[str, Any]]:
    """The daily totals per slot, with the non-zero figures its dimension carries, of the deals in `created`
    counted on their creation day and of those in `closed` that are won or lost, on their close day.

    Two grouped reads, each split only by the fields its dimensions need; plain dicts, as readers add a
    few thousand deals seen as a collaborator on the fly and model instances would cost most of the time.
    `keep` names the slot fields to split by ("day", "owner_id", "pipeline_id", "source_id", "deal_type",
    "lost_reason_id"; all when None): the others are None in every slot, and the database adds up across
    them, so a reader that sums a period needs no row per day.
    """
    created_keys, created_names = _split(
        {"day": LocalDate("created_at"), "owner_id": F("owner_id"), "pipeline_id": F("pipeline_id")},
        {"source_id": F("source_id")},
        keep,
    )
    created_rows = _grouped(
        created.annotate(**created_keys),
        list(created_keys),
        created_count=Count("*"),
        created_value=Sum("value_base"),
        created_won=Count("status", filter=Q(status=DealStatus.WON)),
        created_lost=Count("status", filter=Q(status=DealStatus.LOST)),
    )
    closed_keys, closed_names = _split(
        {"day": LocalDate("closed_at"), "owner_id": F("owner_id"), "pipeline_id": F("pipeline_id")},
        {"deal_type": F("deal_type"), "lost_reason_id": F("lost_reason_id")},
        keep,
    )
    closed_rows = _grouped(
        closed.filter(status__in=_CLOSED).annotate(cycle=DaysBetween("created_at", "closed_at"), **closed_keys),
        list(closed_keys),
        won_count=Count("status", filter=Q(status=DealStatus.WON)),
        won_value=Sum("value_base", filter=Q(status=DealStatus.WON)),
        won_cycle_days=Sum("cycle", filter=Q(status=DealStatus.WON)),
        lost_count=Count("status", filter=Q(status=DealStatus.LOST)),
        lost_value=Sum("value_base", filter=Q(status=DealStatus.LOST)),
    )
    totals: dict[Slot, dict[str, Any]] = {}

    def add(slot: Slot, figures: Iterable[tuple[str, Any]]) -> None:
        total = totals.setdefault(slot, {})
        for name, value in figures:
            if value:
                total[name] = total.get(name, 0) + value

    dimension = DayTotal.Dimension
    for row in created_rows:
        day, owner_id, pipeline_id, source_id = _keys(row, created_names)
        figures = tuple(zip(_CREATED_FIGURES, row[len(created_keys) :], strict=True))
        add((day, owner_id, pipeline_id, dimension.ALL, None), figures)
        add((day, owner_id, pipeline_id, dimension.SOURCE, source_id), figures)
    for row in closed_rows:
        day, owner_id, pipeline_id, deal_type, reason_id = _keys(row, closed_names)
        figures = tuple(zip(_CLOSED_FIGURES, row[len(closed_keys) :], strict=True))
        add((day, owner_id, pipeline_id, dimension.ALL, None), figures)
        add((day, owner_id, pipeline_id, dimension.TYPE, deal_type), figures)
        if figures[3][1]:  # lost_count
            add((day, owner_id, pipeline_id, dimension.REASON, reason_id), figures[3:])
    return totals


def _split(
    slot: dict[str, Any], split: dict[str, Any], keep: Collection[str] | None
) -> tuple[dict[str, Any], list[str | None]]:
    """The grouping expressions to annotate (under names that clash with no field), and per slot field in
    order the annotation holding it, or None where the field is not kept."""
    annotations: dict[str, Any] = {}
    names: list[str | None] = []
    for field, expression in {**slot, **split}.items():
        if keep is None or field in keep:
            annotations[f"slot_{field}"] = expression
            names.append(f"slot_{field}")
        else:
            names.append(None)
    return annotations, names


def _grouped(deals: QuerySet[Deal], keys: list[str], **aggregates: Any) -> list[tuple[Any, ...]]:
    """Rows of the `keys` annotations followed by the aggregates, per distinct keys; with no keys, the one
    row of the whole set (none if it is empty)."""
    if keys:
        return list(deals.order_by().values_list(*keys).annotate(**aggregates))
    found = deals.order_by().aggregate(**aggregates)
    return [tuple(found.values())] if any(found.values()) else []


def _keys(row: tuple[Any, ...], names: list[str | None]) -> list[Any]:
    """A grouped row's slot fields in order, None where not kept (the kept ones lead the row)."""
    values = iter(row)
    return [next(values) if name else None for name in names]


def compute_rows(deals: QuerySet[Deal], created: Q, closed: Q) -> list[DayTotal]:
    """`compute_totals` as unsaved `DayTotal` rows."""
    rows = []
    totals = compute_totals(deals.filter(created), deals.filter(closed))
    for (day, owner_id, pipeline_id, dimension, value), figures in totals.items():
        field = _FIELD_OF[dimension]
        rows.append(
            DayTotal(
                day=day,
                owner_id=owner_id,
                pipeline_id=pipeline_id,
                dimension=dimension,
                **({field: value} if field else {}),
                **figures,
            )
        )
    return rows


def refresh_day_totals(cells: Iterable[Cell], using: str | None = None) -> None:
    """Recompute these cells from the deals (call inside the writer's transaction)."""
    alias = using or router.db_for_write(DayTotal)
    refresh_cells(
        DayTotal,
        alias,
        ((day, (owner_id, pipeline_id)) for day, owner_id, pipeline_id in cells),
        keys=("owner_id", "pipeline_id"),
        rows=Q(dimension__in=DayTotal.Dimension.values),
        moments=("created_at", "closed_at"),
        recompute=lambda created, closed: compute_rows(Deal.objects.using(alias), created, closed),
    )


def refresh_deal_cells(deals: Iterable[Deal], using: str | None = None) -> None:
    """Recompute the cells of these deals as they are now (bulk writers, after inserting them)."""
    refresh_day_totals({cell for deal in deals for cell in cells_of(reported_state(deal))}, using)


def rebuild_all_day_totals(using: str | None = None) -> int:
    """Replace every row with totals recomputed from all deals, a pipeline and owner at a time so memory
    stays bounded; returns how many rows there are."""
    alias = using or router.db_for_write(DayTotal)
    with transaction.atomic(using=alias):
        DayTotal.objects.using(alias).all().delete()
        pairs = Deal.objects.using(alias).order_by().values_list("owner_id", "pipeline_id").distinct()
        for owner_id, pipeline_id in sorted(pairs):
            mine = Deal.objects.using(alias).filter(owner_id=owner_id, pipeline_id=pipeline_id)
            DayTotal.objects.using(alias).bulk_create(compute_rows(mine, Q(), Q()), batch_size=2000)
    return DayTotal.objects.using(alias).count()


def loaded_state(deal: Deal) -> tuple[Any, ...] | None:
    """The reported fields as loaded from the database, or None when some were deferred."""
    deferred = deal.get_deferred_fields()
    if any(name in deferred for name in REPORTED_FIELDS):
        return None
    return reported_state(deal)


def state_before_save(deal: Deal) -> tuple[Any, ...] | None:
    """The reported fields as the database holds them now (None for a deal not stored yet)."""
    if deal._state.adding:
        return None
    loaded = getattr(deal, "_reported_as_loaded", None)
    if loaded is not None:
        return loaded
    return Deal.objects.using(deal._state.db).filter(pk=deal.pk).values_list(*REPORTED_FIELDS).first()


def after_save(deal: Deal, before: tuple[Any, ...] | None, update_fields: Iterable[str] | None) -> tuple[Any, ...]:
    """Refresh the cells the save changed; returns the reported fields as now stored."""
    if update_fields is None or before is None:
        after = reported_state(deal)
    else:
        saved = {Deal._meta.get_field(name).attname for name in update_fields}
        after = tuple(
            getattr(deal, name) if name in saved else old for name, old in zip(REPORTED_FIELDS, before, strict=True)
        )
    if before != after:
        refresh_day_totals(cells_of(before) | cells_of(after), using=deal._state.db)
    return after
