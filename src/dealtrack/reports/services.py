"""The only writer of pipeline snapshots."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from dealtrack.deals.choices import DealStatus
from dealtrack.deals.models import Deal
from dealtrack.pipelines.models import Stage
from dealtrack.reports.models import PipelineSnapshot, SnapshotDay
from dealtrack.reports.snapshot_totals import total_snapshot_days


@transaction.atomic
def take_pipeline_snapshot(*, day: dt.date) -> int:
    """Record every open deal's present state as the snapshot of `day`, replacing any earlier one.

    One INSERT … SELECT in the database (no rows pass through Python). Probability is the deal's
    override or else its stage's; the forecast category is the manager's override or else the rep's.
    The day's totals (`SnapshotTotal`) are summed from the rows in the same transaction. Returns the number
    of deals recorded.
    """
    PipelineSnapshot.objects.filter(day=day).delete()
    snap = PipelineSnapshot._meta.db_table
    deal = Deal._meta.db_table
    stage = Stage._meta.db_table
    q = connection.ops.quote_name
    # Table names come from model metadata; values go as parameters.
    sql = (
        f"INSERT INTO {q(snap)} (day, deal_id, pipeline_id, stage_id, owner_id, value_base, probability, "  # noqa: S608
        "expected_close_date, forecast_category, deal_type) "
        f"SELECT %s, d.id, d.pipeline_id, d.stage_id, d.owner_id, d.value_base, "
        "COALESCE(d.probability_override, s.probability), d.expected_close_date, "
        "COALESCE(NULLIF(d.forecast_category_override, ''), d.forecast_category), d.deal_type "
        f"FROM {q(deal)} d JOIN {q(stage)} s ON s.id = d.stage_id WHERE d.status = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, DealStatus.OPEN])
        count = cursor.rowcount
    total_snapshot_days([day])
    SnapshotDay.objects.update_or_create(day=day, defaults={"taken_at": timezone.now(), "deal_count": count})
    return count
