"""Stage visits and first responses: derived rows the reports read, kept in step by the writers."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from dealtrack.activities.choices import ActivityKind
from dealtrack.activities.services import log_activity
from dealtrack.deals import services
from dealtrack.deals.first_response import recompute_all_first_responses
from dealtrack.deals.models import Deal, StageVisit
from dealtrack.deals.stage_visits import CHUNK, rebuild_all_stage_visits
from dealtrack.pipelines.choices import StageKind
from dealtrack.testing.factories import LostReasonFactory
from dealtrack.testing.fixtures import import_won_deal, walk_deals

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def open_stages(org):
    return list(org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position"))


def visits(deal):
    return list(
        StageVisit.objects.filter(deal=deal)
        .order_by("entered_at", "id")
        .values_list("stage_id", "entered_at", "left_at", "seconds", "moved_on")
    )


def all_visits():
    return sorted(
        StageVisit.objects.values_list(
            "deal_id", "stage_id", "entered_at", "previous_entry_at", "left_at", "seconds", "moved_on", "owner_id"
        )
    )


def backdated_deal(org, make_deal, at):
    deal = make_deal(owner=org.rep_a, expected_close_date=dt.date(2026, 6, 30))
    # Deals are created "now"; move the creation and its event back so later moves can be dated.
    Deal.objects.filter(pk=deal.pk).update(created_at=at, stage_entered_at=at)
    deal.events.update(occurred_at=at)
    rebuild_all_stage_visits()
    deal.refresh_from_db()
    return deal


def test_each_stage_entry_is_a_visit_that_ends_at_the_next_move(org, make_deal):
    first, second, third, *_rest = open_stages(org)
    deal = backdated_deal(org, make_deal, T0)
    moved = T0 + dt.timedelta(days=3, hours=2)
    services.move_deal_to_stage(deal=deal, stage=second, actor=org.rep_a, at=moved)
    back = moved + dt.timedelta(days=1)
    services.move_deal_to_stage(deal=deal, stage=first, actor=org.rep_a, at=back)

    assert visits(deal) == [
        (first.pk, T0, moved, 3 * 86400 + 7200, True),  # got further (to the second stage) later
        (second.pk, moved, back, 86400, False),  # went backwards only
        (first.pk, back, None, None, False),  # still there
    ]
    assert third.position > second.position


def test_winning_from_an_early_stage_moves_every_earlier_visit_on(org, make_deal):
    first, second, *_rest = open_stages(org)
    deal = backdated_deal(org, make_deal, T0)
    services.move_deal_to_stage(deal=deal, stage=second, actor=org.rep_a, at=T0 + dt.timedelta(days=1))
    services.move_deal_to_stage(deal=deal, stage=first, actor=org.rep_a, at=T0 + dt.timedelta(days=2))
    deal = services.mark_deal_won(deal=deal, actor=org.rep_a, at=T0 + dt.timedelta(days=5))

    rows = visits(deal)
    assert [r[0] for r in rows] == [first.pk, second.pk, first.pk, deal.stage_id]
    assert [r[4] for r in rows] == [True, True, True, False]
    assert rows[2][3] == 3 * 86400


def test_losing_is_not_moving_on(org, make_deal):
    first, *_rest = open_stages(org)
    deal = backdated_deal(org, make_deal, T0)
    services.mark_deal_lost(deal=deal, actor=org.rep_a, reason=LostReasonFactory(), at=T0 + dt.timedelta(days=2))

    rows = visits(deal)
    assert rows[0] == (first.pk, T0, T0 + dt.timedelta(days=2), 2 * 86400, False)


def test_a_failed_move_leaves_the_visits_as_they_were(org, make_deal):
    deal = backdated_deal(org, make_deal, T0)
    before = visits(deal)
    with pytest.raises(Exception):  # noqa: B017, PT011 - the lost stage refuses a move without a reason
        services.move_deal_to_stage(
            deal=deal, stage=org.pipeline.stages.get(kind=StageKind.LOST), actor=org.rep_a, lost_reason=None
        )
    assert visits(deal) == before


def test_imported_history_has_its_visits(org):
    first = open_stages(org)[0]
    created = dt.datetime(2024, 1, 15, 9, 30, tzinfo=SHANGHAI)
    closed = dt.datetime(2024, 6, 30, 17, 0, tzinfo=SHANGHAI)
    won = org.pipeline.stages.get(kind=StageKind.WON)
    deal = import_won_deal(org, created=created, closed=closed)

    assert visits(deal) == [
        (first.pk, created, closed, int((closed - created).total_seconds()), True),
        (won.pk, closed, None, None, False),
    ]


def test_incremental_visits_equal_a_full_rebuild_after_random_work(org, make_deal):
    deals = [backdated_deal(org, make_deal, T0 + dt.timedelta(hours=i)) for i in range(6)]
    walk_deals(org, deals, seed=7, steps=60, max_gap_hours=90, start=T0 + dt.timedelta(days=1))
    incremental = all_visits()

    assert rebuild_all_stage_visits() == len(incremental)
    assert all_visits() == incremental
    assert any(v[6] for v in incremental) and not all(v[6] for v in incremental)
    assert {v[7] for v in incremental} == {org.rep_a.pk, org.rep_a2.pk}


def test_deleting_a_deal_deletes_its_visits(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    services.delete_deals(deals=[deal], actor=org.admin)
    assert not StageVisit.objects.exists()


def test_first_response_is_the_owners_first_activity_since_creation(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    created = deal.created_at
    assert deal.first_response_at is None

    log_activity(actor=org.rep_b, kind=ActivityKind.CALL, deal=deal, occurred_at=created + dt.timedelta(hours=1))
    deal.refresh_from_db()
    assert deal.first_response_at is None  # someone else's call is not the owner's response

    log_activity(actor=org.rep_a, kind=ActivityKind.CALL, deal=deal, occurred_at=created + dt.timedelta(hours=5))
    log_activity(actor=org.rep_a, kind=ActivityKind.EMAIL, deal=deal, occurred_at=created + dt.timedelta(hours=9))
    deal.refresh_from_db()
    assert deal.first_response_at == created + dt.timedelta(hours=5)

    # A backdated entry that is still after creation is the new first response; one before creation is not.
    log_activity(actor=org.rep_a, kind=ActivityKind.NOTE, deal=deal, occurred_at=created + dt.timedelta(hours=2))
    log_activity(actor=org.rep_a, kind=ActivityKind.NOTE, deal=deal, occurred_at=created - dt.timedelta(hours=2))
    deal.refresh_from_db()
    assert deal.first_response_at == created + dt.timedelta(hours=2)


def test_reassigning_moves_the_visits_and_recomputes_the_first_response(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    created = deal.created_at
    log_activity(actor=org.rep_a, kind=ActivityKind.CALL, deal=deal, occurred_at=created + dt.timedelta(hours=1))

    services.reassign_deal(deal=Deal.objects.get(pk=deal.pk), actor=org.admin, owner=org.rep_a2)
    deal.refresh_from_db()
    assert deal.first_response_at is None
    assert set(StageVisit.objects.filter(deal=deal).values_list("owner_id", flat=True)) == {org.rep_a2.pk}

    log_activity(actor=org.rep_a2, kind=ActivityKind.VISIT, deal=deal, occurred_at=created + dt.timedelta(hours=3))
    services.reassign_deal(deal=Deal.objects.get(pk=deal.pk), actor=org.admin, owner=org.rep_a)
    services.reassign_deal(deal=Deal.objects.get(pk=deal.pk), actor=org.admin, owner=org.rep_a2)
    deal.refresh_from_db()
    assert deal.first_response_at == created + dt.timedelta(hours=3)


def test_full_recompute_matches_what_the_services_kept(org, make_deal):
    deals = [make_deal(owner=org.rep_a) for _i in range(3)]
    for minutes, deal in enumerate(deals[:2], start=1):
        at = deal.created_at + dt.timedelta(minutes=minutes)
        log_activity(actor=org.rep_a, kind=ActivityKind.CALL, deal=deal, occurred_at=at)
    kept = dict(Deal.objects.values_list("pk", "first_response_at"))
    assert kept[deals[0].pk] is not None
    Deal.objects.update(first_response_at=None)

    assert recompute_all_first_responses() == 2  # the two deals whose value changed back
    assert dict(Deal.objects.values_list("pk", "first_response_at")) == kept
    assert kept[deals[2].pk] is None


def test_a_large_import_derives_its_visits_over_the_id_range(org):
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
        for n in range(CHUNK + 20)  # more than one chunk: the consecutive ids are read as one range
    ]
    services.import_deals_bulk(actor=org.admin, deals=items)
    derived = all_visits()

    assert len(derived) == (CHUNK + 20) // 2 * 2 + (CHUNK + 20) // 2  # won: first stage and won; open: first
    assert rebuild_all_stage_visits() == len(derived)
    assert all_visits() == derived
