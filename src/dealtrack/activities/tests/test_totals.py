"""Daily activity totals: the team table's roll-up of the activities, kept exact as they are logged and as
their deals are deleted."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import pytest

from dealtrack.activities.models import Activity, ActivityDayTotal
from dealtrack.activities.services import log_activity
from dealtrack.activities.totals import rebuild_all_activity_totals
from dealtrack.deals import services
from dealtrack.pipelines.models import Pipeline
from dealtrack.testing.factories import CompanyFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
KINDS = ["call", "email", "meeting", "visit", "note"]


def all_totals() -> list[tuple]:
    return sorted(
        ActivityDayTotal.objects.values_list(
            "dimension", "day", "user_id", "pipeline_id", "kind", "previous_day", "count"
        ),
        key=repr,
    )


def random_work(org, make_deal, seed: int) -> list:
    rng = random.Random(seed)
    other = Pipeline.objects.exclude(pk=org.pipeline.pk).first()
    deals = [make_deal(owner=org.rep_a) for _n in range(3)]
    if other is not None:
        deals.append(make_deal(owner=org.rep_a, pipeline=other))
    company = CompanyFactory()
    for _step in range(50):
        when = T0 + dt.timedelta(hours=rng.randint(0, 24 * 40))  # backdated in any order, across midnights
        actor = rng.choice([org.rep_a, org.rep_a2])
        if rng.random() < 0.2:
            log_activity(actor=actor, kind=rng.choice(KINDS), company=company, occurred_at=when)
        else:
            log_activity(actor=actor, kind=rng.choice(KINDS), deal=rng.choice(deals), occurred_at=when)
    return deals


def test_incremental_totals_equal_a_full_rebuild_after_random_logging_and_a_deletion(org, make_deal):
    deals = random_work(org, make_deal, seed=3)
    services.delete_deals(deals=[deals[0]], actor=org.admin)
    incremental = all_totals()

    assert rebuild_all_activity_totals() == len(incremental)
    assert all_totals() == incremental
    kinds = [row for row in incremental if row[0] == "kind"]
    assert sum(row[6] for row in kinds) == Activity.objects.count()
    assert any(row[3] is None for row in kinds)  # activities on no deal
    assert any(row[5] is not None for row in incremental if row[0] == "touch")  # repeat touches
