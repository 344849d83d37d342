"""Imported deals: validated by the service rules, inserted in bulk with their dated history, all or nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from dealtrack.core.choices import CustomFieldEntity, CustomFieldType
from dealtrack.core.models import CustomFieldDefinition
from dealtrack.deals.choices import DealStatus, EventType, ForecastCategory, Health
from dealtrack.deals.exceptions import MissingRequiredFieldsError
from dealtrack.deals.models import Deal, DealEvent, DealLineItem, Product, Tag
from dealtrack.deals.services import Lookups, import_deals_bulk, prepare_imported_deal
from dealtrack.pipelines.choices import StageKind
from dealtrack.testing.factories import CompanyFactory, LostReasonFactory, ProductFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
CREATED = dt.datetime(2024, 1, 15, 9, 30, tzinfo=SHANGHAI)
CLOSED = dt.datetime(2024, 6, 30, 17, 0, tzinfo=SHANGHAI)
NOW = dt.datetime(2024, 7, 1, 12, 0, tzinfo=SHANGHAI)


def stage(org, kind=StageKind.OPEN, index=0):
    return org.pipeline.stages.filter(kind=kind).order_by("position")[index]


def prepare(org, **fields):
    fields.setdefault("owner", org.rep_a)
    fields.setdefault("pipeline", org.pipeline)
    if "stage" not in fields:
        fields["stage"] = stage(org)
    fields.setdefault("name", "云平台采购项目")
    fields.setdefault("value", "120000")
    fields.setdefault("created_at", CREATED)
    return prepare_imported_deal(actor=org.admin, now=NOW, **fields)


def history(deal):
    return [
        (e.type, e.occurred_at, e.from_stage_id, e.to_stage_id, e.actor_id, e.parameters)
        for e in DealEvent.objects.filter(deal=deal).order_by("occurred_at", "id")
    ]


def test_open_won_and_lost_deals_are_stored_with_their_dated_history(org):
    reason = LostReasonFactory(name="价格太高")
    entry = stage(org, index=1)
    opened = prepare(org, external_id="D-1", stage=entry, expected_close_date=dt.date(2024, 9, 1))
    won = prepare(org, external_id="D-2", stage=stage(org, StageKind.WON), entry_stage=entry, closed_at=CLOSED)
    lost = prepare(org, external_id="D-3", stage=stage(org, StageKind.LOST), closed_at=CLOSED, lost_reason=reason)

    deals = import_deals_bulk(actor=org.admin, deals=[opened, won, lost])

    assert [d.pk for d in deals] == list(Deal.objects.order_by("id").values_list("id", flat=True))
    stored = {d.external_id: d for d in Deal.objects.all()}
    assert stored["D-1"].created_at == CREATED
    assert stored["D-1"].stage_entered_at == CREATED
    assert (stored["D-1"].status, stored["D-1"].stage, stored["D-1"].closed_at) == (DealStatus.OPEN, entry, None)
    assert entry.rotting_days < (NOW - CREATED).days
    assert stored["D-1"].health == Health.RED  # idle in its stage since January
    assert stored["D-1"].expected_close_date == dt.date(2024, 9, 1)
    assert (stored["D-2"].status, stored["D-2"].closed_at, stored["D-2"].forecast_category) == (
        DealStatus.WON,
        CLOSED,
        ForecastCategory.CLOSED,
    )
    assert (stored["D-3"].status, stored["D-3"].lost_reason, stored["D-3"].health) == (
        DealStatus.LOST,
        reason,
        Health.GREEN,
    )
    assert all(d.value_base == Decimal("120000.00") and d.created_by == org.admin for d in stored.values())
    assert all(d.updated_at >= d.created_at and d.version == 1 for d in stored.values())
    created = {"value": "120000.00", "owner": org.rep_a.pk}
    seconds = int((CLOSED - CREATED).total_seconds())
    assert history(stored["D-1"]) == [(EventType.CREATED, CREATED, None, entry.pk, org.admin.pk, created)]
    assert history(stored["D-2"]) == [
        (EventType.CREATED, CREATED, None, entry.pk, org.admin.pk, created),
        (EventType.STAGE_CHANGED, CLOSED, entry.pk, stored["D-2"].stage_id, org.admin.pk,
         {"seconds_in_stage": seconds}),
        (EventType.WON, CLOSED, None, stored["D-2"].stage_id, org.admin.pk, {"value": "120000.00"}),
    ]  # fmt: skip
    first = stage(org).pk  # a lost deal without an entry stage entered at the first open stage
    assert history(stored["D-3"]) == [
        (EventType.CREATED, CREATED, None, first, org.admin.pk, created),
        (EventType.STAGE_CHANGED, CLOSED, first, stored["D-3"].stage_id, org.admin.pk, {"seconds_in_stage": seconds}),
        (EventType.LOST, CLOSED, None, stored["D-3"].stage_id, org.admin.pk,
         {"reason": reason.pk, "reason_name": "价格太高", "note": "", "value": "120000.00"}),
    ]  # fmt: skip


def test_returned_deals_behave_as_saved_ones(org):
    deal = import_deals_bulk(actor=org.admin, deals=[prepare(org)])[0]

    deal.name = "改名后的项目"
    deal.save(update_fields=["name"])

    assert Deal.objects.count() == 1
    assert Deal.objects.get(pk=deal.pk).name == "改名后的项目"


def test_tags_are_linked_once_and_products_become_line_items(org):
    Tag.objects.create(name="重点")
    product = ProductFactory(name="GTX Pro", price=Decimal("4821.00"))
    company = CompanyFactory()

    deal = import_deals_bulk(
        actor=org.admin,
        deals=[prepare(org, company=company, tags=["重点", " 重点 ", "VIP"], products=[product])],
    )[0]

    assert sorted(deal.tags.values_list("name", flat=True)) == ["VIP", "重点"]
    assert Tag.objects.count() == 2
    item = DealLineItem.objects.get(deal=deal)
    assert (item.product, item.quantity, item.unit_price, item.discount_percent) == (
        product,
        Decimal(1),
        Decimal("4821.00"),
        Decimal(0),
    )
    assert deal.company == company


def test_a_failure_while_writing_leaves_nothing_behind(org):
    unsaved = Product(name="不存在的产品", price=Decimal(1))  # no id: its line item cannot be stored
    good = prepare(org, external_id="D-1", tags=["新标签"])
    bad = prepare(org, external_id="D-2", products=[unsaved])

    with pytest.raises(IntegrityError):
        import_deals_bulk(actor=org.admin, deals=[good, bad])

    assert Deal.objects.count() == 0
    assert DealEvent.objects.count() == 0
    assert Tag.objects.count() == 0
    assert DealLineItem.objects.count() == 0


def test_a_closed_deal_needs_its_close_date_after_creation(org):
    won = stage(org, StageKind.WON)

    with pytest.raises(ValidationError) as missing:
        prepare(org, stage=won)
    with pytest.raises(ValidationError) as early:
        prepare(org, stage=won, closed_at=CREATED - dt.timedelta(days=1))

    assert list(missing.value.message_dict) == ["closed_at"]
    assert list(early.value.message_dict) == ["closed_at"]
    assert Deal.objects.count() == 0


def test_the_service_field_rules_apply_to_imported_deals(org):
    with pytest.raises(ValidationError) as exc:
        prepare(org, name=" ", value="-5", currency="XXX", owner=None)

    assert sorted(exc.value.message_dict) == ["currency", "name", "owner", "value"]


def test_an_open_deal_needs_what_its_stage_requires(org):
    proposal = stage(org, index=1)
    proposal.required_fields = ["expected_close_date"]
    proposal.save()

    with pytest.raises(MissingRequiredFieldsError):
        prepare(org, stage=proposal)

    yesterday = NOW - dt.timedelta(days=1)
    overdue = prepare(org, stage=proposal, created_at=yesterday, expected_close_date=dt.date(2024, 5, 1)).deal
    ahead = prepare(org, stage=proposal, created_at=yesterday, expected_close_date=dt.date(2024, 9, 1)).deal
    assert overdue.health == Health.RED  # its expected close date has passed
    assert ahead.health == Health.YELLOW  # no next step scheduled


def test_a_foreign_currency_is_converted_to_the_base_currency(org):
    deal = prepare(org, value="1000", currency="USD").deal

    assert (deal.currency, deal.value_base) == ("USD", Decimal("7100.00"))


def test_one_run_reads_rates_and_custom_fields_once_however_many_rows(org, django_assert_max_num_queries):
    CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.DEAL, key="region", label="区域", field_type=CustomFieldType.CHOICE, choices=["华南"]
    )
    first = stage(org)
    with CaptureQueriesContext(connection) as one_row:
        prepare(org, stage=first, value="1000", currency="USD", custom={"region": "华南"}, lookups=Lookups())
    lookups = Lookups()

    with django_assert_max_num_queries(len(one_row)):
        deals = [
            prepare(
                org, stage=first, value=str(n * 1000), currency="USD", custom={"region": "华南"}, lookups=lookups
            ).deal
            for n in range(1, 6)
        ]

    assert [d.value_base for d in deals] == [Decimal(7100) * n for n in range(1, 6)]
    assert all(d.custom == {"region": "华南"} for d in deals)
    with pytest.raises(ValidationError) as exc:
        prepare(org, custom={"region": "华北"}, lookups=lookups)
    assert list(exc.value.message_dict) == ["custom.region"]


def test_an_unknown_currency_is_refused_on_every_row_of_a_run(org):
    lookups = Lookups()

    for _row in range(2):
        with pytest.raises(ValidationError) as exc:
            prepare(org, currency="XXX", lookups=lookups)
        assert exc.value.message_dict == {"currency": ["未知币种 XXX。"]}  # zh-hans, the default language
