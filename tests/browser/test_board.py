"""What a rep does on the board and the deal page, in real Chromium."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from playwright.sync_api import expect

from dealtrack.deals.choices import DealStatus, EventType
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.deals.queries import deals_visible_to
from dealtrack.pipelines.choices import StageKind
from dealtrack.testing.factories import LostReasonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_stages(org):
    return list(org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position"))


def drag(page, deal, stage):
    card = page.locator(f"#deal-{deal.pk}")
    target = page.locator(f'.cards[data-stage="{stage.pk}"]')
    card.drag_to(target)


def test_sign_in_lands_on_my_work(login, org):
    page = login(org.rep_a)

    expect(page.locator("h1")).to_have_text("My work")
    expect(page.locator("nav.main-nav a[href='/reports/']")).to_be_visible()
    expect(page.locator("nav.main-nav a[href='/imports/']")).to_be_visible()


def test_wrong_password_says_so_and_stays_on_login(page, live_server, org):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", org.rep_a.username)
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")

    expect(page.locator(".error[role=alert]")).to_be_visible()
    assert page.url.endswith("/login/")


def test_create_deal_then_drag_to_next_stage_shows_in_timeline(login, live_server, org):
    page = login(org.rep_a)
    page.goto(f"{live_server.url}/deals/new/")
    page.fill("#id_name", "智慧园区项目")
    page.fill("#id_company_name", "华为科技有限公司")
    page.fill("#id_value", "880000")
    page.click("button:has-text('Create deal')")
    expect(page.locator("h1")).to_contain_text("智慧园区项目")
    deal = Deal.objects.get(name="智慧园区项目")
    first, second = open_stages(org)[:2]
    assert deal.stage == first

    page.goto(f"{live_server.url}/board/")
    drag(page, deal, second)

    expect(page.locator(f'.cards[data-stage="{second.pk}"] #deal-{deal.pk}')).to_be_visible()
    expect(page.locator(".toast.success")).to_contain_text("智慧园区项目")
    deal.refresh_from_db()
    assert deal.stage == second
    page.goto(f"{live_server.url}/deals/{deal.pk}/")
    expect(page.locator("#timeline .event-stage_changed").first).to_contain_text(f"{first.name} → {second.name}")


def test_drag_into_stage_with_required_field_asks_for_it_then_moves(login, live_server, org, make_deal):
    third = open_stages(org)[2]  # Building proposal requires a value
    assert third.required_fields == ["value"]
    deal = make_deal(owner=org.rep_a, name="缺少金额的商机", value="0")
    page = login(org.rep_a)
    page.goto(f"{live_server.url}/board/")

    drag(page, deal, third)

    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("Value")
    deal.refresh_from_db()
    assert deal.stage != third
    dialog.locator("input[name=value]").fill("120000")
    dialog.locator("button[type=submit]").click()
    expect(page.locator(f'.cards[data-stage="{third.pk}"] #deal-{deal.pk}')).to_be_visible()
    deal.refresh_from_db()
    assert deal.stage == third
    assert deal.value == Decimal("120000")


def test_drag_into_lost_asks_for_reason_and_marks_lost(login, live_server, org, make_deal):
    reason = LostReasonFactory(name="预算不足")
    lost = org.pipeline.stages.get(kind=StageKind.LOST)
    deal = make_deal(owner=org.rep_a, name="要丢的单")
    page = login(org.rep_a)
    page.goto(f"{live_server.url}/board/")

    drag(page, deal, lost)

    dialog = page.locator("dialog[open]")
    expect(dialog.locator("select[name=lost_reason]")).to_be_visible()
    dialog.locator("select[name=lost_reason]").select_option(str(reason.pk))
    dialog.locator("button[type=submit]").click()
    expect(page.locator(f"#deal-{deal.pk}")).to_have_count(0)  # the Lost column is collapsed
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST
    assert deal.lost_reason == reason
    assert DealEvent.objects.filter(deal=deal, type=EventType.LOST).count() == 1


def test_cancelled_lost_dialog_puts_the_card_back_and_changes_nothing(login, live_server, org, make_deal):
    LostReasonFactory(name="预算不足")
    lost = org.pipeline.stages.get(kind=StageKind.LOST)
    first = open_stages(org)[0]
    deal = make_deal(owner=org.rep_a, name="再想想")
    page = login(org.rep_a)
    page.goto(f"{live_server.url}/board/")

    drag(page, deal, lost)
    page.locator("dialog[open] button[data-close-dialog]").click()

    expect(page.locator(f'.cards[data-stage="{first.pk}"] #deal-{deal.pk}')).to_be_visible()
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN
    assert deal.stage == first


def test_board_column_totals_equal_database_sums(login, live_server, org, make_deal):
    stages = open_stages(org)
    for i in range(7):
        make_deal(owner=org.rep_a, name=f"商机{i}", value=str(10000 * (i + 1)) + ".55")
    make_deal(owner=org.rep_b, name="别的团队的单", value="999999")  # invisible to rep_a
    page = login(org.rep_a)
    page.goto(f"{live_server.url}/board/")

    for stage in stages:
        expected = deals_visible_to(org.rep_a).filter(stage=stage).aggregate(s=Sum("value_base"))["s"] or Decimal(0)
        shown = page.locator(f"#column-head-{stage.pk} [data-total]").get_attribute("data-total")
        assert Decimal(shown) == expected
        count = deals_visible_to(org.rep_a).filter(stage=stage).count()
        expect(page.locator(f"#column-head-{stage.pk} .badge")).to_have_text(str(count))
