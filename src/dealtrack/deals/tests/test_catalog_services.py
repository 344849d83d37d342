"""Products, line items, and the settings lists (lost reasons, sources, tags)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dealtrack.deals import services
from dealtrack.deals.choices import EventType
from dealtrack.deals.models import DealLineItem, LostReason, Product

pytestmark = pytest.mark.django_db


def test_line_items_set_the_deal_value_and_log_the_change(org, make_deal):
    deal = make_deal(owner=org.rep_a, value="0")
    server = services.save_product(name="服务器", price="20000")
    licence = services.save_product(name="软件许可", price="5000")

    services.add_line_item(deal=deal, actor=org.rep_a, product=server, quantity=2, discount_percent=10)
    item = services.add_line_item(deal=deal, actor=org.rep_a, product=licence, quantity=3, unit_price="4000")

    deal.refresh_from_db()
    assert deal.value == Decimal("48000.00")  # 2 × 20000 × 0.9 + 3 × 4000
    services.remove_line_item(item=item, actor=org.rep_a)
    deal.refresh_from_db()
    assert deal.value == Decimal("36000.00")
    assert deal.events.filter(type=EventType.FIELD_CHANGED).count() == 3


@pytest.mark.parametrize(("quantity", "discount"), [(0, 0), ("x", 0), (1, 120)])
def test_bad_line_items_are_refused(org, make_deal, quantity, discount):
    deal = make_deal(owner=org.rep_a, value="10")
    product = services.save_product(name="服务器", price="1")

    with pytest.raises(ValidationError):
        services.add_line_item(
            deal=deal, actor=org.rep_a, product=product, quantity=quantity, discount_percent=discount
        )

    assert DealLineItem.objects.count() == 0
    deal.refresh_from_db()
    assert deal.value == Decimal("10.00")


def test_product_names_are_unique_and_prices_valid():
    services.save_product(name="GTX Pro", price="4821")

    with pytest.raises(ValidationError):
        services.save_product(name="gtx pro", price="1")
    with pytest.raises(ValidationError):
        services.save_product(name="GTX Basic", price="-5")
    assert Product.objects.count() == 1


def test_lost_reasons_are_unique_and_can_be_retired():
    reason = services.save_lost_reason(name="预算不足")

    with pytest.raises(ValidationError):
        services.save_lost_reason(name="预算不足")
    services.save_lost_reason(name="预算不足", reason=reason, is_active=False)

    assert not LostReason.objects.get(pk=reason.pk).is_active
