"""What the pipeline board shows: per-stage totals and pages of cards, all computed in SQL.

Every function takes a queryset that already went through `deals_visible_to(user)` (and the board's
filters), so the totals are exactly what the database says the reader may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from dealtrack.deals.annotations import weighted_value_expression, with_card_data
from dealtrack.deals.health import days_idle, is_stalled
from dealtrack.deals.models import Deal
from dealtrack.pipelines.choices import StageKind
from dealtrack.pipelines.models import Pipeline, Stage

CARDS_PER_PAGE = 30
COLLAPSED_KINDS = (StageKind.WON, StageKind.LOST, StageKind.FRIDGE)


@dataclass
class StageTotals:
    count: int = 0
    total: Decimal = Decimal(0)
    weighted: Decimal = Decimal(0)


@dataclass
class Column:
    stage: Stage
    totals: StageTotals
    collapsed: bool
    cards: list[Deal] = field(default_factory=list)
    next_offset: int | None = None


def stage_totals(deals: QuerySet[Deal]) -> dict[int, StageTotals]:
    """Count, total value and weighted value per stage id, in one GROUP BY query."""
    rows = (
        deals.order_by()
        .values("stage_id")
        .annotate(count=Count("id"), total=Sum("value_base"), weighted=Sum(weighted_value_expression()))
    )
    return {
        row["stage_id"]: StageTotals(
            count=row["count"],
            total=row["total"] or Decimal(0),
            weighted=(row["weighted"] or Decimal(0)).quantize(Decimal("0.01")),
        )
        for row in rows
    }


def card_page(deals: QuerySet[Deal], stage: Stage, *, offset: int = 0) -> tuple[list[Deal], int | None]:
    """One page of a column's cards, biggest first, and the offset of the next page (None at the end)."""
    page = list(
        with_card_data(deals.filter(stage=stage)).order_by("-value_base", "-id")[offset : offset + CARDS_PER_PAGE + 1]
    )
    mark_idle(page)
    if len(page) > CARDS_PER_PAGE:
        return page[:CARDS_PER_PAGE], offset + CARDS_PER_PAGE
    return page, None


def mark_idle(deals: list[Deal]) -> list[Deal]:
    """Set `idle_days` and `rotting` (idle past the stage's limit) on each deal, for cards and rows."""
    now = timezone.now()
    for deal in deals:
        deal.idle_days = days_idle(deal, now)
        deal.rotting = is_stalled(deal, now)
    return deals


def board_columns(
    deals: QuerySet[Deal], pipeline: Pipeline, *, expanded: set[int] | None = None, with_cards: bool = True
) -> list[Column]:
    """A column per stage; Won, Lost and Fridge start collapsed (totals only) unless `expanded` names them."""
    expanded = expanded or set()
    totals = stage_totals(deals)
    columns = []
    for stage in pipeline.stages.all():
        collapsed = stage.kind in COLLAPSED_KINDS and stage.pk not in expanded
        column = Column(stage=stage, totals=totals.get(stage.pk, StageTotals()), collapsed=collapsed)
        if with_cards and not collapsed and column.totals.count:
            column.cards, column.next_offset = card_page(deals, stage)
        columns.append(column)
    return columns
