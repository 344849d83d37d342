"""Plain bulk inserts: values stored exactly as the ORM stores them, reserved ids never collide."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from dealtrack.deals.bulk_insert import insert_rows, reserve_ids
from dealtrack.deals.choices import EventType
from dealtrack.deals.models import Deal, DealEvent, DealLineItem
from dealtrack.testing.factories import ProductFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
EVENT_COLUMNS = ("deal_id", "type", "actor_id", "occurred_at", "from_stage_id", "to_stage_id", "parameters")


def test_inserted_rows_read_back_as_the_orm_writes_them(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    stage = org.pipeline.stages.order_by("position")[1]
    at = dt.datetime(2024, 3, 31, 23, 30, 15, tzinfo=SHANGHAI)  # another day in UTC
    parameters = {"value": "100000.00", "名称": "云平台", "nested": [1, None, True]}

    count = insert_rows(
        DealEvent,
        EVENT_COLUMNS,
        [
            (deal.pk, EventType.STAGE_CHANGED, org.rep_a.pk, at, deal.stage_id, stage.pk, parameters),
            (deal.pk, EventType.WON, None, at, None, None, {}),
        ],
    )

    assert count == 2
    stored = list(DealEvent.objects.filter(deal=deal).exclude(type=EventType.CREATED).order_by("id"))
    assert [(e.type, e.actor_id, e.occurred_at, e.from_stage_id, e.to_stage_id, e.parameters) for e in stored] == [
        (EventType.STAGE_CHANGED, org.rep_a.pk, at, deal.stage_id, stage.pk, parameters),
        (EventType.WON, None, at, None, None, {}),
    ]
    assert DealEvent.objects.filter(occurred_at__date=dt.date(2024, 3, 31)).count() == 2  # local day lookups


def test_decimals_and_dates_keep_their_values(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    product = ProductFactory(price=Decimal("1999.99"))

    insert_rows(
        DealLineItem,
        ("deal_id", "product_id", "quantity", "unit_price", "discount_percent"),
        [(deal.pk, product.pk, Decimal("2.50"), Decimal("1999.99"), Decimal("12.5"))],
    )

    item = DealLineItem.objects.get(deal=deal)
    assert (item.quantity, item.unit_price, item.discount_percent) == (
        Decimal("2.50"),
        Decimal("1999.99"),
        Decimal("12.50"),
    )
    assert item.total == Decimal("4374.98")


def test_reserved_ids_are_unused_and_later_deals_get_higher_ones(org, make_deal):
    existing = make_deal(owner=org.rep_a)

    ids = reserve_ids(Deal, 3)

    assert len(set(ids)) == 3
    assert min(ids) > existing.pk
    assert not Deal.objects.filter(pk__in=ids).exists()
    columns = [field.attname for field in Deal._meta.concrete_fields]
    template = {column: getattr(existing, column) for column in columns}
    insert_rows(Deal, columns, [[{**template, "id": pk}[column] for column in columns] for pk in ids])
    later = make_deal(owner=org.rep_a)
    assert later.pk > max(ids)
    assert Deal.objects.count() == 5


def test_nothing_to_reserve_or_insert(org):
    assert reserve_ids(Deal, 0) == []
    assert insert_rows(DealEvent, EVENT_COLUMNS, []) == 0
    assert DealEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_refused_outside_a_transaction(org, make_deal):
    deal = make_deal(owner=org.rep_a)
    assert not transaction.get_connection().in_atomic_block

    with pytest.raises(TransactionManagementError):
        reserve_ids(Deal, 1)
    with pytest.raises(TransactionManagementError):
        insert_rows(DealEvent, EVENT_COLUMNS, [(deal.pk, EventType.WON, None, deal.created_at, None, None, {})])

    assert DealEvent.objects.filter(deal=deal).count() == 1  # only its `created` event
