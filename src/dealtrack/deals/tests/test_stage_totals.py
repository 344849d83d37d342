"""Daily stage totals: the funnel's roll-up of the stage visits, kept exact by every path that derives visits."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from dealtrack.deals import services
from dealtrack.deals.models import Deal, StageDayTotal, StageVisit
from dealtrack.deals.stage_totals import rebuild_all_stage_totals
from dealtrack.deals.stage_visits import CHUNK, rebuild_all_stage_visits
from dealtrack.pipelines.choices import StageKind
from dealtrack.testing.fixtures import walk_deals

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def all_totals() -> list[tuple]:
    return sorted(
        StageDayTotal.objects.values_list(
            "kind", "day", "stage_id", "owner_id", "previous_day", "visits", "moved_on", "seconds"
        ),
        key=repr,
    )


def open_stages(org):
    return list(org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position"))


def backdated_deals(org, make_deal, count: int) -> list[Deal]:
    deals = [make_deal(owner=org.rep_a, expected_close_date=dt.date(2026, 6, 30)) for _n in range(count)]
    for n, deal in enumerate(deals):
        at = T0 + dt.timedelta(hours=n)
        Deal.objects.filter(pk=deal.pk).update(created_at=at, stage_entered_at=at)
        deal.events.update(occurred_at=at)
    # Dates rewritten behind the services' back: re-derive as a restore would.
    rebuild_all_stage_visits()
    rebuild_all_stage_totals()
    return [Deal.objects.get(pk=deal.pk) for deal in deals]


def test_entries_and_stays_count_on_their_local_days(org, make_deal):
    first, second, *_rest = open_stages(org)
    (deal,) = backdated_deals(org, make_deal, 1)
    # 23:30 local is the next day in UTC: the local calendar decides.
    left = dt.datetime(2026, 3, 5, 23, 30, tzinfo=SHANGHAI)
    services.move_deal_to_stage(deal=deal, stage=second, actor=org.rep_a, at=left)
    back = dt.datetime(2026, 3, 9, 10, 0, tzinfo=SHANGHAI)
    services.move_deal_to_stage(deal=Deal.objects.get(pk=deal.pk), stage=first, actor=org.rep_a, at=back)
    seconds = int((left - T0).total_seconds())

    assert all_totals() == sorted(
        [
            ("entered", dt.date(2026, 3, 2), first.pk, org.rep_a.pk, None, 1, 1, 0),
            ("left", dt.date(2026, 3, 5), first.pk, org.rep_a.pk, None, 1, 0, seconds),
            ("entered", dt.date(2026, 3, 5), second.pk, org.rep_a.pk, None, 1, 0, 0),
            ("left", dt.date(2026, 3, 9), second.pk, org.rep_a.pk, None, 1, 0, int((back - left).total_seconds())),
            # The second entry into the first stage names the day of the first one.
            ("entered", dt.date(2026, 3, 9), first.pk, org.rep_a.pk, dt.date(2026, 3, 2), 1, 0, 0),
        ],
        key=repr,
    )


def test_incremental_totals_equal_a_full_rebuild_after_random_work(org, make_deal):
    deals = backdated_deals(org, make_deal, 8)
    walk_deals(org, deals, seed=11, steps=80, max_gap_hours=60, start=T0 + dt.timedelta(days=1))
    services.delete_deals(deals=[deals[0]], actor=org.admin)
    incremental = all_totals()

    assert rebuild_all_stage_totals() == len(incremental)
    assert all_totals() == incremental
    kinds = {row[0] for row in incremental}
    assert kinds == {"entered", "left"}
    assert any(row[4] is not None for row in incremental)  # re-entries happened
    # Every deal's visits moved with it to its current owner (each was reassigned along the way).
    assert {row[3] for row in incremental} == set(Deal.objects.values_list("owner_id", flat=True)) == {org.rep_a2.pk}
    assert sum(row[5] for row in incremental if row[0] == "entered") == StageVisit.objects.count()


def test_a_bulk_import_totals_its_visits(org):
    won = org.pipeline.stages.get(kind=StageKind.WON)
    first = open_stages(org)[0]
    created = dt.datetime(2024, 1, 15, 9, 30, tzinfo=SHANGHAI)
    items = [
        services.prepare_imported_deal(
            actor=org.admin,
            now=created + dt.timedelta(days=400),
            owner=org.rep_a,
            pipeline=org.pipeline,
            stage=won if n % 2 else first,
            name=f"导入 {n}",
            value="100",
            created_at=created + dt.timedelta(hours=n),
            closed_at=created + dt.timedelta(days=30, hours=n) if n % 2 else None,
        )
        for n in range(CHUNK + 20)  # the consecutive ids are derived as one range
    ]
    services.import_deals_bulk(actor=org.admin, deals=items)
    incremental = all_totals()

    entered_first = sum(row[5] for row in incremental if row[0] == "entered" and row[2] == first.pk)
    assert entered_first == CHUNK + 20
    assert rebuild_all_stage_totals() == len(incremental)
    assert all_totals() == incremental


def test_deleting_deals_takes_their_visits_out_of_the_totals(org, make_deal):
    second = open_stages(org)[1]
    keep, doomed = backdated_deals(org, make_deal, 2)
    for deal in (keep, doomed):
        services.move_deal_to_stage(deal=deal, stage=second, actor=org.rep_a, at=T0 + dt.timedelta(days=1))
    assert sum(StageDayTotal.objects.filter(kind="entered").values_list("visits", flat=True)) == 4

    services.delete_deals(deals=[doomed], actor=org.admin)

    assert sum(StageDayTotal.objects.filter(kind="entered").values_list("visits", flat=True)) == 2
    assert sum(StageDayTotal.objects.filter(kind="left").values_list("visits", flat=True)) == 1
