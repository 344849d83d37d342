"""Snapshot totals: the sums of each day's snapshot that the period-end pipeline and the forecast read,
kept equal to the rows when a day is taken, taken again or loses deleted deals."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from dealtrack.deals import services
from dealtrack.reports import scope
from dealtrack.reports.forecast import forecast
from dealtrack.reports.models import PipelineSnapshot, SnapshotTotal
from dealtrack.reports.services import take_pipeline_snapshot
from dealtrack.reports.snapshot_totals import rebuild_all_snapshot_totals
from dealtrack.reports.summary import by_owner, summary
from dealtrack.reports.tests.conftest import Q2

pytestmark = pytest.mark.django_db


def totals() -> dict[tuple, tuple]:
    return {
        (t.day, t.owner_id, t.pipeline_id, t.forecast_category, t.close_month): (t.deal_count, t.value, t.weighted)
        for t in SnapshotTotal.objects.all()
    }


def summed_rows() -> dict[tuple, tuple]:
    """The totals worked out from the snapshot rows in Python."""
    found: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for row in PipelineSnapshot.objects.all():
        month = row.expected_close_date.replace(day=1) if row.expected_close_date else None
        total = found[(row.day, row.owner_id, row.pipeline_id, row.forecast_category, month)]
        total[0] += 1
        total[1] += row.value_base
        total[2] += row.value_base * row.probability
    return {key: tuple(value) for key, value in found.items()}


def test_a_snapshot_is_totalled_per_owner_category_and_month_of_expected_close(org, make_deal):
    make_deal(owner=org.rep_a, value="1000", probability_override=35, expected_close_date="2025-09-01")
    make_deal(owner=org.rep_a, value="300", probability_override=50, expected_close_date="2025-09-30")
    make_deal(owner=org.rep_a, value="7", expected_close_date="2025-10-01")
    make_deal(owner=org.rep_b, value="20")  # no expected close date

    take_pipeline_snapshot(day=dt.date(2025, 8, 1))

    found = totals()
    assert found == summed_rows()
    september = found[(dt.date(2025, 8, 1), org.rep_a.pk, org.pipeline.pk, "pipeline", dt.date(2025, 9, 1))]
    assert september == (2, Decimal("1300.00"), Decimal("50000.00"))  # 1000 × 35 + 300 × 50
    assert any(key[4] is None and key[1] == org.rep_b.pk for key in found)


def test_taking_a_day_again_and_deleting_deals_keep_the_totals_equal_to_the_rows(org, make_deal):
    deals = [make_deal(owner=org.rep_a, value=str(100 * n), expected_close_date="2025-09-15") for n in range(1, 5)]
    gone = make_deal(owner=org.rep_b, value="55")
    take_pipeline_snapshot(day=dt.date(2025, 8, 1))
    services.update_deal(deal=deals[0], actor=org.rep_a, changes={"value": "999"}, version=None)
    take_pipeline_snapshot(day=dt.date(2025, 8, 1))
    take_pipeline_snapshot(day=dt.date(2025, 8, 2))
    assert totals() == summed_rows()

    services.delete_deals(deals=[deals[1], gone], actor=org.admin)

    kept = totals()
    assert kept == summed_rows()
    assert not any(key[1] == org.rep_b.pk for key in kept)  # emptied totals go
    assert rebuild_all_snapshot_totals() == len(kept)
    assert totals() == kept


@pytest.mark.parametrize("reader", ["admin", "rep_a", "rep_b", "manager_a", "manager_b"])
def test_the_recorded_pipeline_and_forecast_equal_what_the_visible_snapshot_rows_hold(org, quarter, reader):
    # Owners' figures come from the totals, a collaborator's from the rows: together what the reader sees.
    services.add_collaborator(deal=quarter.d5, actor=org.rep_a2, user=org.manager_b)
    services.add_collaborator(deal=quarter.d7, actor=org.rep_a, user=org.rep_b)
    for deal, closing in ((quarter.d5, dt.date(2025, 6, 20)), (quarter.d7, dt.date(2025, 5, 31))):
        services.update_deal(deal=deal, actor=org.admin, changes={"expected_close_date": closing}, version=None)
    for day in (dt.date(2025, 5, 1), dt.date(2025, 6, 1), dt.date(2025, 7, 1)):
        take_pipeline_snapshot(day=day)
    services.mark_deal_won(deal=quarter.d5, actor=org.rep_a2)  # after the snapshots: still in them
    user = getattr(org, reader)
    rows = scope.report_snapshots(user, Q2)

    at_end = rows.filter(day=dt.date(2025, 7, 1)).aggregate(count=Count("*"), value=Sum("value_base"))
    figures = summary(user, Q2)
    assert (figures["open_count"], figures["pipeline_value"]) == (at_end["count"], at_end["value"] or Decimal(0))
    per_owner = {r["owner_id"]: r["open_count"] for r in by_owner(user, Q2) if r["open_count"]}
    expected = dict(rows.filter(day=dt.date(2025, 7, 1)).values_list("owner").annotate(count=Count("*")))
    assert per_owner == expected

    months = {m["month"]: m for m in forecast(user, replace(Q2), today=dt.date(2025, 6, 15))["months"]}
    for month, first, last in (("2025-05", dt.date(2025, 5, 1), dt.date(2025, 5, 31)),
                               ("2025-06", dt.date(2025, 6, 1), dt.date(2025, 6, 30))):  # fmt: skip
        then = rows.filter(day=first, expected_close_date__gte=first, expected_close_date__lte=last)
        weighted = sum((r.value_base * r.probability for r in then), start=Decimal(0)) / 100
        assert months[month]["forecast_at_start"] == weighted.quantize(Decimal("0.01"))
    if reader in ("admin", "rep_a", "rep_b", "manager_a"):  # they see d7 (expected to close in May)
        assert months["2025-05"]["forecast_at_start"] > 0
