"""Keeps `SnapshotTotal` rows in step with the pipeline snapshots: written from a day's rows when its
snapshot is taken, and lowered by the snapshot rows of deals about to be deleted (which take their
snapshots with them). Snapshot rows are never edited otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.db import connections, router

from dealtrack.reports.models import PipelineSnapshot, SnapshotTotal

CHUNK = 500

_MONTH = {
    "sqlite": "date(expected_close_date, 'start of month')",
    "postgresql": "CAST(date_trunc('month', expected_close_date) AS date)",
}
_KEYS = "day, owner_id, pipeline_id, forecast_category, close_month"
_SUMS = "COUNT(*) AS c, SUM(value_base) AS v, SUM(value_base * probability) AS w"
# Only placeholders and this module's own column names are formatted into these statements.
_SUBTRACT = """
UPDATE reports_snapshottotal AS t
SET deal_count = t.deal_count - gone.c, value = t.value - gone.v, weighted = t.weighted - gone.w
FROM ({gone}) gone
WHERE {match}
"""
# Matching a total to the rows being taken out of it (the close month may be null).
_MATCH = " AND ".join(f"t.{key} {{same}} gone.{key}" for key in _KEYS.split(", "))


def _grouped(vendor: str, where: str) -> str:
    """Snapshot rows under `where` summed per total's key."""
    return (
        f"SELECT {_KEYS}, {_SUMS} FROM (SELECT day, owner_id, pipeline_id, forecast_category, "  # noqa: S608
        f"{_MONTH.get(vendor, _MONTH['sqlite'])} AS close_month, value_base, probability "
        f"FROM reports_pipelinesnapshot WHERE {where}) rows GROUP BY {_KEYS}"
    )


def total_snapshot_days(days: Iterable[dt.date], using: str | None = None) -> None:
    """Replace the totals of these days with sums of their snapshot rows (call in the writer's transaction)."""
    alias = using or router.db_for_write(SnapshotTotal)
    connection = connections[alias]
    for day in sorted(set(days)):
        SnapshotTotal.objects.using(alias).filter(day=day).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO reports_snapshottotal ({_KEYS}, deal_count, value, weighted) "
                + _grouped(connection.vendor, "day = %s"),
                [connection.ops.adapt_datefield_value(day)],
            )


def rebuild_all_snapshot_totals(using: str | None = None) -> int:
    """Total every day that has snapshot rows (migrations); returns how many rows there are."""
    alias = using or router.db_for_write(SnapshotTotal)
    SnapshotTotal.objects.using(alias).all().delete()
    days = PipelineSnapshot.objects.using(alias).order_by().values_list("day", flat=True).distinct()
    total_snapshot_days(list(days), alias)
    return SnapshotTotal.objects.using(alias).count()


def subtract_deals(deal_ids: Iterable[int], using: str | None = None, **_signal: Any) -> None:
    """Take these deals' snapshot rows out of the totals, before the deals (and so the rows) are deleted."""
    alias = using or router.db_for_write(SnapshotTotal)
    connection = connections[alias]
    same = "IS NOT DISTINCT FROM" if connection.vendor == "postgresql" else "IS"
    ids = iter(sorted(set(deal_ids)))
    while chunk := list(islice(ids, CHUNK)):
        where = f"deal_id IN ({', '.join(['%s'] * len(chunk))})"
        statement = _SUBTRACT.format(gone=_grouped(connection.vendor, where), match=_MATCH.format(same=same))
        with connection.cursor() as cursor:
            cursor.execute(statement, chunk)
    SnapshotTotal.objects.using(alias).filter(deal_count__lte=0).delete()
