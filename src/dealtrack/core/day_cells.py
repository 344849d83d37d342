"""Recomputing roll-up rows kept per local day: the one mechanism behind the daily deal, stage and
activity totals (`deals.day_totals`, `deals.stage_totals`, `activities.totals`).

A writer names the cells its change touched: a key (owner and pipeline, stage and owner, person) and the
local days. Per batch of keys, the rows of those days are deleted and recomputed from the source rows of
the same days, in the writer's transaction. Recomputing rather than adding and subtracting keeps the totals
exact whatever path made the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from functools import reduce
from itertools import islice
from operator import or_
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

# Beyond this many days of one key, a refresh recomputes the whole span between the first and the last of
# them (one range) rather than each day (one condition per day).
MAX_DAYS = 16
# Keys recomputed per statement.
KEYS_PER_QUERY = 50

Key = TypeVar("Key", bound=Hashable)


def day_start(day: dt.date) -> dt.datetime:
    """The moment a local day begins, in the organisation's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def day_spans(days: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Inclusive day ranges covering `days`: one per day, or a single range when there are many."""
    if len(days) > MAX_DAYS:
        return [(min(days), max(days))]
    return [(day, day) for day in sorted(days)]


def span_conditions(
    days: Mapping[Key, set[dt.date]],
    conditions: Callable[[Key, dt.date, dt.date, dt.datetime, dt.datetime], tuple[Q, ...]],
    keys_per_query: int = KEYS_PER_QUERY,
) -> Iterator[tuple[Q, ...]]:
    """Per batch of keys: each of the conditions that `conditions(key, first, last, start, end)` gives
    for one key and span of days (inclusive, and the moments the span starts and ends), ORed over the
    batch. The first is on the roll-up rows to replace, the others on the rows to recompute them from."""
    keys = iter(sorted(days.items()))
    while batch := list(islice(keys, keys_per_query)):
        parts = [
            conditions(key, first, last, day_start(first), day_start(last + dt.timedelta(days=1)))
            for key, key_days in batch
            for first, last in day_spans(key_days)
        ]
        yield tuple(reduce(or_, column) for column in zip(*parts, strict=True))


def replace_cells(
    model: type[models.Model],
    alias: str,
    batches: Iterable[tuple[Q, ...]],
    recompute: Callable[..., list[Any]],
) -> None:
    """Per batch from `span_conditions`, in one transaction: delete the `model` rows the first condition
    selects and insert what `recompute(*the other conditions)` returns."""
    with transaction.atomic(using=alias):
        for rows, *sources in batches:
            model._default_manager.using(alias).filter(rows).delete()
            model._default_manager.using(alias).bulk_create(recompute(*sources), batch_size=500)
