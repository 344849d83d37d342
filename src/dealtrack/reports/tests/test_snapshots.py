"""The daily snapshot: what it records, replacing a re-run, and the scheduled job that only records today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from dealtrack.deals import services
from dealtrack.reports.models import PipelineSnapshot, SnapshotDay
from dealtrack.reports.services import take_pipeline_snapshot
from dealtrack.reports.tasks import snapshot_open_deals
from dealtrack.testing.factories import LostReasonFactory

pytestmark = pytest.mark.django_db


def test_snapshot_records_every_open_deal_with_effective_probability_and_category(org, make_deal):
    deal = make_deal(owner=org.rep_a, value="1000", probability_override=35, expected_close_date="2025-09-01")
    services.override_forecast_category(deal=deal, actor=org.manager_a, category="commit")
    closed = make_deal(owner=org.rep_b, value="5")
    services.mark_deal_lost(deal=closed, actor=org.rep_b, reason=LostReasonFactory())

    count = take_pipeline_snapshot(day=dt.date(2025, 8, 1))

    assert count == 1
    row = PipelineSnapshot.objects.get()
    assert (row.deal_id, row.owner_id, row.stage_id) == (deal.pk, org.rep_a.pk, deal.stage_id)
    assert row.pipeline_id == org.pipeline.pk
    assert (row.value_base, row.probability, row.forecast_category) == (Decimal("1000.00"), 35, "commit")
    assert row.expected_close_date == dt.date(2025, 9, 1)
    assert SnapshotDay.objects.get().deal_count == 1


def test_taking_a_day_again_replaces_it(org, make_deal):
    make_deal(owner=org.rep_a)
    take_pipeline_snapshot(day=dt.date(2025, 8, 1))
    make_deal(owner=org.rep_a)

    take_pipeline_snapshot(day=dt.date(2025, 8, 1))

    assert PipelineSnapshot.objects.filter(day=dt.date(2025, 8, 1)).count() == 2
    assert SnapshotDay.objects.count() == 1


def test_the_daily_job_records_today_and_skips_a_missed_past_day(org, make_deal):
    make_deal(owner=org.rep_a)
    today = timezone.localdate()

    snapshot_open_deals.enqueue(period=(today - dt.timedelta(days=3)).isoformat())
    snapshot_open_deals.enqueue(period=today.isoformat())

    assert list(SnapshotDay.objects.values_list("day", flat=True)) == [today]


def test_the_snapshot_job_is_scheduled_daily():
    assert ("dealtrack.reports.tasks.snapshot_open_deals", "daily") in settings.DEALTRACK_PERIODIC_JOBS
