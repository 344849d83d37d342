"""The team table's activity columns, read from the daily activity totals, against the activities."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.db.models import Count, Q

from dealtrack.activities.models import Activity
from dealtrack.activities.tests.test_totals import KINDS, random_work
from dealtrack.reports.filters import ReportFilters
from dealtrack.reports.team import team_table

pytestmark = pytest.mark.django_db


def test_the_team_table_counts_what_the_activities_hold(org, make_deal):
    random_work(org, make_deal, seed=8)
    period = ReportFilters(start=dt.date(2026, 3, 10), end=dt.date(2026, 3, 31))
    for filters in (period, replace(period, pipeline_id=org.pipeline.pk)):
        rows = {row["owner_id"]: row for row in team_table(org.admin, filters)}
        activities = Activity.objects.filter(occurred_at__gte=filters.start_at, occurred_at__lt=filters.end_before)
        if filters.pipeline_id is not None:
            activities = activities.filter(deal__pipeline_id=filters.pipeline_id)
        expected = activities.values("user_id").annotate(
            **{kind: Count("id", filter=Q(kind=kind)) for kind in KINDS},
            on_deals=Count("deal_id"),
            touched=Count(
                "id",
                filter=Q(deal__isnull=False)
                & (Q(previous_touch_at__isnull=True) | Q(previous_touch_at__lt=filters.start_at)),
            ),
        )
        assert expected
        for row in expected:
            found = rows[row["user_id"]]
            assert [found[f"{kind}s"] for kind in KINDS] == [row[kind] for kind in KINDS]
            per_deal = round(row["on_deals"] / row["touched"], 2) if row["touched"] else None
            assert found["follow_ups_per_deal"] == per_deal
