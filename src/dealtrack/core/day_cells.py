"""Recomputing roll-up rows kept per local day: the one mechanism behind the daily deal, stage and
activity totals (`deals.day_totals`, `deals.stage_totals`, `activities.totals`).

A writer names the cells its change touched: a key (owner and pipeline, stage and owner, person) and the
local days. Per batch of keys, the rows of those days are deleted and recomputed from the source rows of
the same days, in the writer's transaction. Recomputing rather than adding and subtracting keeps the totals
exact whatever path made the change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import reduce
from itertools import islice
from operator import or_
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

# Beyond this many days of one key, a refresh recomputes the whole span between the first and the last of
# them (one range) rather than each day (one condition per day).
MAX_DAYS = 16
# Keys recomputed per statement.
KEYS_PER_QUERY = 50


def day_start(day: dt.date) -> dt.datetime:
    """The moment a local day begins, in the organisation's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def day_spans(days: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Inclusive day ranges covering `days`: one per day, or a single range when there are many."""
    if len(days) > MAX_DAYS:
        return [(min(days), max(days))]
    return [(day, day) for day in sorted(days)]


def refresh_cells(
    model: type[models.Model],
    alias: str,
    cells: Iterable[tuple[dt.date, tuple[int, ...]]],
    *,
    keys: tuple[str, ...],
    rows: Q,
    moments: tuple[str, ...],
    recompute: Callable[..., list[Any]],
) -> None:
    """Recompute the `model` rows of these cells (a local day and the values of the `keys` fields) in one
    transaction. Per batch of keys: delete the rows that `rows` selects on the cells' days, and insert what
    `recompute` returns when given, for each of the `moments` fields of the source rows (`created_at` …),
    the condition that it falls on those days."""
    days: dict[tuple[int, ...], set[dt.date]] = defaultdict(set)
    for day, key in cells:
        days[key].add(day)
    with transaction.atomic(using=alias):
        for replaced, *sources in _batches(days, keys, rows, moments):
            model._default_manager.using(alias).filter(replaced).delete()
            model._default_manager.using(alias).bulk_create(recompute(*sources), batch_size=500)


def _batches(
    days: Mapping[tuple[int, ...], set[dt.date]], keys: tuple[str, ...], rows: Q, moments: tuple[str, ...]
) -> Iterator[tuple[Q, ...]]:
    """Per batch of keys, ORed over its keys and their spans of days: the condition on the rows to replace,
    then one per moment field on the source rows to recompute them from."""
    batches = iter(sorted(days.items()))
    while batch := list(islice(batches, KEYS_PER_QUERY)):
        parts = []
        for key, key_days in batch:
            cell = dict(zip(keys, key, strict=True))
            for first, last in day_spans(key_days):
                start, end = day_start(first), day_start(last + dt.timedelta(days=1))
                parts.append(
                    (
                        rows & Q(day__gte=first, day__lte=last, **cell),
                        *(Q(**{f"{field}__gte": start, f"{field}__lt": end}, **cell) for field in moments),
                    )
                )
        yield tuple(reduce(or_, column) for column in zip(*parts, strict=True))
