"""Annotations the board, the deal list and Today put on deal querysets, computed in SQL (one query per page)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from dealtrack.deals.models import Deal
from dealtrack.tasks.choices import ACTIVE_STATUSES
from dealtrack.tasks.models import Task

MONEY = DecimalField(max_digits=20, decimal_places=2)


def weighted_value_expression() -> ExpressionWrapper:
    """value_base × (probability override, else the stage's probability) / 100, as SQL."""
    probability = Coalesce(F("probability_override"), F("stage__probability"))
    return ExpressionWrapper(F("value_base") * probability / Value(Decimal(100)), output_field=MONEY)


def with_next_step_due(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    """Adds `next_due`: the due time of the deal's earliest open or snoozed task (None when it has none)."""
    earliest = (
        Task.objects.filter(deal=OuterRef("pk"), status__in=ACTIVE_STATUSES).order_by("due_at").values("due_at")[:1]
    )
    return deals.annotate(next_due=Subquery(earliest))


def with_card_data(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    """What a board card or list row shows: company, owner, stage (for the rotting limit) and the next step."""
    return with_next_step_due(deals.select_related("company", "owner", "stage"))
