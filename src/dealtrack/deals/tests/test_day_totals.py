"""Daily deal totals: the roll-up the reports read, kept exact by every path that writes deals."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from decimal import Decimal

import pytest

from dealtrack.deals import services
from dealtrack.deals.choices import DealStatus, DealType
from dealtrack.deals.day_totals import FIGURES, rebuild_all_day_totals
from dealtrack.deals.models import DayTotal, Deal
from dealtrack.pipelines.choices import StageKind
from dealtrack.testing.factories import LostReasonFactory, SourceFactory
from dealtrack.testing.fixtures import import_won_deal

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def all_totals() -> list[tuple]:
    return sorted(
        DayTotal.objects.values_list(
            "day", "owner_id", "pipeline_id", "dimension", "source_id", "deal_type", "lost_reason_id", *FIGURES
        ),
        key=repr,
    )


def overall(owner, day) -> dict:
    row = DayTotal.objects.filter(owner=owner, day=day, dimension=DayTotal.Dimension.ALL).values(*FIGURES).first()
    return row or {}


def test_a_won_deal_counts_on_its_creation_day_and_its_close_day(org, make_deal):
    # 23:30 local is the next day in UTC: the local calendar decides.
    deal = make_deal(owner=org.rep_a, value="1000", created_at=dt.datetime(2026, 3, 2, 23, 30, tzinfo=SHANGHAI))
    assert overall(org.rep_a, dt.date(2026, 3, 2)) == {
        **dict.fromkeys(FIGURES, 0),
        "created_count": 1,
        "created_value": Decimal("1000.00"),
        "won_value": Decimal("0.00"),
        "lost_value": Decimal("0.00"),
    }

    services.mark_deal_won(deal=deal, actor=org.rep_a, at=dt.datetime(2026, 3, 12, 0, 30, tzinfo=SHANGHAI))

    created_day = overall(org.rep_a, dt.date(2026, 3, 2))
    assert (created_day["created_count"], created_day["created_won"], created_day["won_count"]) == (1, 1, 0)
    won_day = overall(org.rep_a, dt.date(2026, 3, 12))
    assert (won_day["created_count"], won_day["won_count"], won_day["won_value"]) == (0, 1, Decimal("1000.00"))
    assert won_day["won_cycle_days"] == 10


def test_each_dimension_splits_the_figures_it_carries(org, make_deal):
    referral, fair = SourceFactory(name="Referral"), SourceFactory(name="Fair")
    price = LostReasonFactory(name="Price")
    first = make_deal(owner=org.rep_a, value="100", source=referral, created_at=T0)
    second = make_deal(owner=org.rep_a, value="200", source=fair, deal_type=DealType.RENEWAL, created_at=T0)
    third = make_deal(owner=org.rep_a, value="400", created_at=T0)
    closing = T0 + dt.timedelta(days=2)
    services.mark_deal_won(deal=first, actor=org.rep_a, at=closing)
    services.mark_deal_lost(deal=second, actor=org.rep_a, reason=price, at=closing)
    services.mark_deal_lost(deal=third, actor=org.rep_a, reason=price, at=closing)
    created = DayTotal.objects.filter(owner=org.rep_a, day=T0.date())
    closed = DayTotal.objects.filter(owner=org.rep_a, day=closing.date())

    by_source = {
        r.source_id: (r.created_count, r.created_won, r.created_lost) for r in created.filter(dimension="source")
    }
    assert by_source == {referral.pk: (1, 1, 0), fair.pk: (1, 0, 1), None: (1, 0, 1)}
    by_type = {r.deal_type: (r.won_value, r.lost_value) for r in closed.filter(dimension="type")}
    assert by_type == {
        DealType.NEW: (Decimal("100.00"), Decimal("400.00")),
        DealType.RENEWAL: (Decimal("0.00"), Decimal("200.00")),
    }
    by_reason = {r.lost_reason_id: (r.lost_count, r.lost_value) for r in closed.filter(dimension="reason")}
    assert by_reason == {price.pk: (2, Decimal("600.00"))}
    # Each dimension carries only its figures: no reason rows on the creation day, no source rows on closing.
    assert not created.filter(dimension__in=["type", "reason"]).exists()
    assert not closed.filter(dimension="source").exists()
    overall_closed = closed.get(dimension="all")
    assert (overall_closed.won_count, overall_closed.lost_count, overall_closed.created_count) == (1, 2, 0)


def test_incremental_totals_equal_a_full_rebuild_after_random_work(org, make_deal):
    stages = list(org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position"))
    won = org.pipeline.stages.get(kind=StageKind.WON)
    reasons = [LostReasonFactory(), LostReasonFactory()]
    sources = [SourceFactory(), SourceFactory(), None]
    rng = random.Random(11)
    deals = [
        make_deal(
            owner=org.rep_a,
            value=str(100 * (i + 1)),
            created_at=T0 + dt.timedelta(hours=13 * i),
            expected_close_date=dt.date(2026, 6, 30),
        )
        for i in range(8)
    ]
    at = T0 + dt.timedelta(days=4)
    for _step in range(80):
        deal = Deal.objects.get(pk=rng.choice(deals).pk)
        at += dt.timedelta(hours=rng.randint(1, 40))
        action = rng.random()
        if action > 0.9:
            owner = org.rep_a2 if deal.owner_id == org.rep_a.pk else org.rep_a
            services.reassign_deal(deal=deal, actor=org.admin, owner=owner, at=at)
        elif action > 0.75:
            changes = {"value": str(rng.randint(1, 9) * 1000), "source": rng.choice(sources)}
            changes["deal_type"] = rng.choice(list(DealType))
            services.update_deal(deal=deal, actor=org.admin, changes=changes, version=None)
        elif deal.status != DealStatus.OPEN:
            services.reopen_deal(deal=deal, actor=org.rep_a)
        elif action < 0.3:
            services.move_deal_to_stage(deal=deal, stage=rng.choice(stages), actor=org.rep_a, at=at)
        elif action < 0.55:
            services.move_deal_to_stage(deal=deal, stage=won, actor=org.rep_a, at=at)
        else:
            services.mark_deal_lost(deal=deal, actor=org.rep_a, reason=rng.choice(reasons), at=at)
    services.delete_deals(deals=[deals[0]], actor=org.admin)
    incremental = all_totals()

    assert rebuild_all_day_totals() == len(incremental)
    assert all_totals() == incremental
    statuses = set(Deal.objects.values_list("status", flat=True))
    assert {DealStatus.WON, DealStatus.LOST} <= statuses  # the walk closed deals both ways
    assert {row[1] for row in incremental} == {org.rep_a.pk, org.rep_a2.pk}


def test_deleting_deals_takes_them_out_of_the_totals(org, make_deal):
    deal = make_deal(owner=org.rep_a, value="500", created_at=T0)
    services.mark_deal_won(deal=deal, actor=org.rep_a, at=T0 + dt.timedelta(days=3))
    assert DayTotal.objects.filter(owner=org.rep_a).exists()

    services.delete_deals(deals=[deal], actor=org.admin)

    assert not DayTotal.objects.filter(owner=org.rep_a).exists()


def test_imported_deals_are_totalled(org):
    created = dt.datetime(2024, 1, 15, 9, 30, tzinfo=SHANGHAI)
    import_won_deal(org, created=created, closed=dt.datetime(2024, 6, 30, 17, 0, tzinfo=SHANGHAI))

    assert overall(org.rep_a, dt.date(2024, 1, 15))["created_won"] == 1
    closing = overall(org.rep_a, dt.date(2024, 6, 30))
    assert (closing["won_count"], closing["won_value"], closing["won_cycle_days"]) == (1, Decimal("5000.00"), 167)


def test_a_save_that_changes_no_reported_field_leaves_the_totals_alone(org, make_deal, django_assert_num_queries):
    deal = make_deal(owner=org.rep_a, value="500", created_at=T0)
    deal.next_step = "打电话"
    with django_assert_num_queries(1):  # the UPDATE only
        deal.save(update_fields=["next_step"])
