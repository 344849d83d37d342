"""Deal services: events written, required fields enforced, stale versions refused, bulk ops atomic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dealtrack.core.exceptions import StaleVersionError
from dealtrack.deals import services
from dealtrack.deals.choices import DealStatus, EventType, ForecastCategory
from dealtrack.deals.exceptions import MissingRequiredFieldsError
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.deals.queries import stage_history, time_in_stages
from dealtrack.pipelines.choices import StageKind
from dealtrack.testing.factories import LostReasonFactory

pytestmark = pytest.mark.django_db


def stage(org, kind=StageKind.OPEN, index=0):
    return org.pipeline.stages.filter(kind=kind).order_by("position")[index]


def event_types(deal):
    return list(DealEvent.objects.filter(deal=deal).order_by("occurred_at", "id").values_list("type", flat=True))


def test_create_deal_writes_created_event_in_first_open_stage(org, make_deal):
    deal = make_deal(owner=org.rep_a, value="250000.50")

    assert deal.stage == stage(org)
    assert deal.status == DealStatus.OPEN
    assert deal.value_base == Decimal("250000.50")
    assert event_types(deal) == [EventType.CREATED]
    assert deal.version == 1


def test_create_deal_converts_foreign_currency_to_base(org, make_deal):
    deal = make_deal(owner=org.rep_a, value="1000", currency="USD")

    assert deal.value_base == Decimal("7100.00")


def test_create_deal_without_name_is_refused_and_writes_nothing(org, make_deal):
    with pytest.raises(ValidationError) as exc:
        make_deal(owner=org.rep_a, name="  ")

    assert "name" in exc.value.message_dict
    assert Deal.objects.count() == 0
    assert DealEvent.objects.count() == 0


def test_create_deal_with_bad_value_is_refused(org, make_deal):
    with pytest.raises(ValidationError) as exc:
        make_deal(owner=org.rep_a, value="一百万")

    assert "value" in exc.value.message_dict
    assert Deal.objects.count() == 0


def test_update_deal_records_old_and_new_values_and_bumps_version(org, make_deal):
    deal = make_deal(owner=org.rep_a, value="100")

    updated = services.update_deal(deal=deal, actor=org.rep_a, version=1, changes={"value": "200", "priority": "high"})

    assert updated.version == 2
    event = DealEvent.objects.get(deal=deal, type=EventType.FIELD_CHANGED)
    assert event.parameters["changes"] == {"value": ["100.00", "200.00"], "priority": ["normal", "high"]}
    assert event.actor == org.rep_a


def test_update_deal_with_stale_version_is_refused_and_overwrites_nothing(org, make_deal):
    deal = make_deal(owner=org.rep_a, value="100")
    services.update_deal(deal=deal, actor=org.rep_a, version=1, changes={"value": "200"})

    with pytest.raises(StaleVersionError) as exc:
        services.update_deal(deal=deal, actor=org.rep_a2, version=1, changes={"value": "300"})

    assert exc.value.current_version == 2
    deal.refresh_from_db()
    assert deal.value == Decimal("200.00")
    assert DealEvent.objects.filter(deal=deal, type=EventType.FIELD_CHANGED).count() == 1


def test_update_deal_with_unchanged_values_writes_no_event(org, make_deal):
    deal = make_deal(owner=org.rep_a, value="100")

    services.update_deal(deal=deal, actor=org.rep_a, version=1, changes={"value": "100.00"})

    assert event_types(deal) == [EventType.CREATED]
    deal.refresh_from_db()
    assert deal.version == 1


def test_move_to_stage_writes_stage_changed_with_from_and_to(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    target = stage(org, index=1)

    services.move_deal_to_stage(deal=deal, stage=target, actor=org.rep_a)

    deal.refresh_from_db()
    assert deal.stage == target
    event = DealEvent.objects.get(deal=deal, type=EventType.STAGE_CHANGED)
    assert (event.from_stage, event.to_stage, event.actor) == (stage(org), target, org.rep_a)


def test_move_into_stage_with_missing_required_fields_is_refused_with_the_list(org, make_deal):
    deal = make_deal(owner=org.rep_a, value="0")
    negotiating = stage(org, index=3)  # requires value and expected close date

    with pytest.raises(MissingRequiredFieldsError) as exc:
        services.move_deal_to_stage(deal=deal, stage=negotiating, actor=org.rep_a)

    assert exc.value.missing == ["value", "expected_close_date"]
    deal.refresh_from_db()
    assert deal.stage == stage(org)
    assert event_types(deal) == [EventType.CREATED]


def test_move_with_values_for_required_fields_fills_them_and_moves(org, make_deal):
    deal = make_deal(owner=org.rep_a, value="0")
    negotiating = stage(org, index=3)

    services.move_deal_to_stage(
        deal=deal, stage=negotiating, actor=org.rep_a, values={"value": "50000", "expected_close_date": "2026-12-31"}
    )

    deal.refresh_from_db()
    assert deal.stage == negotiating
    assert deal.value == Decimal("50000.00")
    assert deal.expected_close_date == dt.date(2026, 12, 31)
    assert event_types(deal) == [EventType.CREATED, EventType.FIELD_CHANGED, EventType.STAGE_CHANGED]


def test_mark_won_closes_deal_and_writes_stage_and_won_events(org, make_deal):
    deal = make_deal(owner=org.rep_a, value="900")

    services.mark_deal_won(deal=deal, actor=org.rep_a)

    deal.refresh_from_db()
    assert deal.status == DealStatus.WON
    assert deal.stage.kind == StageKind.WON
    assert deal.closed_at is not None
    assert deal.forecast_category == ForecastCategory.CLOSED
    assert event_types(deal) == [EventType.CREATED, EventType.STAGE_CHANGED, EventType.WON]


def test_mark_lost_requires_a_reason(org, make_deal):
    deal = make_deal(owner=org.rep_a)

    with pytest.raises(ValidationError) as exc:
        services.mark_deal_lost(deal=deal, actor=org.rep_a, reason=None)

    assert "lost_reason" in exc.value.message_dict
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN


def test_mark_lost_records_the_reason_in_the_event(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    reason = LostReasonFactory(name="价格太高")

    services.mark_deal_lost(deal=deal, actor=org.rep_a, reason=reason, note="对手便宜两成")

    deal.refresh_from_db()
    assert (deal.status, deal.lost_reason, deal.lost_note) == (DealStatus.LOST, reason, "对手便宜两成")
    event = DealEvent.objects.get(deal=deal, type=EventType.LOST)
    assert event.parameters["reason"] == reason.pk
    assert event.parameters["note"] == "对手便宜两成"


def test_reopen_returns_to_the_stage_before_closing(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    services.move_deal_to_stage(deal=deal, stage=stage(org, index=1), actor=org.rep_a)
    services.mark_deal_lost(deal=deal, actor=org.rep_a, reason=LostReasonFactory())

    services.reopen_deal(deal=deal, actor=org.manager_a)

    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN
    assert deal.stage == stage(org, index=1)
    assert (deal.closed_at, deal.lost_reason) == (None, None)
    assert event_types(deal)[-1] == EventType.REOPENED


def test_reopen_an_open_deal_is_refused(org, make_deal):
    deal = make_deal(owner=org.rep_a)

    with pytest.raises(ValidationError):
        services.reopen_deal(deal=deal, actor=org.rep_a)


def test_reassign_writes_owner_changed(org, make_deal):
    deal = make_deal(owner=org.rep_a)

    services.reassign_deal(deal=deal, actor=org.manager_a, owner=org.rep_a2)

    deal.refresh_from_db()
    assert deal.owner == org.rep_a2
    event = DealEvent.objects.get(deal=deal, type=EventType.OWNER_CHANGED)
    assert (event.parameters["from"], event.parameters["to"]) == (org.rep_a.pk, org.rep_a2.pk)


def test_bulk_move_is_all_or_nothing(org, make_deal):
    ready = make_deal(owner=org.rep_a, value="100", expected_close_date=dt.date(2026, 12, 1))
    not_ready = make_deal(owner=org.rep_a, value="0")
    negotiating = stage(org, index=3)

    with pytest.raises(ValidationError) as exc:
        services.bulk_move_deals(deals=[ready, not_ready], stage=negotiating, actor=org.rep_a)

    assert str(not_ready.pk) in exc.value.message_dict
    assert set(Deal.objects.values_list("stage", flat=True)) == {stage(org).pk}
    assert not DealEvent.objects.filter(type=EventType.STAGE_CHANGED).exists()


def test_bulk_reassign_and_mark_lost(org, make_deal):
    deals = [make_deal(owner=org.rep_a) for _ in range(3)]
    services.bulk_reassign_deals(deals=deals, owner=org.rep_a2, actor=org.manager_a)
    services.bulk_mark_deals_lost(deals=deals, reason=LostReasonFactory(), actor=org.manager_a)

    assert set(Deal.objects.values_list("owner", "status")) == {(org.rep_a2.pk, DealStatus.LOST)}


def test_time_in_stage_comes_from_the_event_log(org, make_deal):
    start = timezone.now() - dt.timedelta(days=10)
    deal = make_deal(owner=org.rep_a, created_at=start)
    services.move_deal_to_stage(deal=deal, stage=stage(org, index=1), actor=org.rep_a, at=start + dt.timedelta(days=3))
    services.mark_deal_won(deal=deal, actor=org.rep_a, at=start + dt.timedelta(days=8))

    spent = time_in_stages(deal)

    assert spent[stage(org).pk] == dt.timedelta(days=3)
    assert spent[stage(org, index=1).pk] == dt.timedelta(days=5)
    assert [e.to_stage.kind for e in stage_history(deal)] == [StageKind.OPEN, StageKind.WON]
