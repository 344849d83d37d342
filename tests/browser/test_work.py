"""Logging work, Today, languages and visibility, in real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dealtrack.activities.models import Activity
from dealtrack.deals.choices import EventType
from dealtrack.deals.models import DealEvent
from dealtrack.tasks.choices import TaskStatus
from dealtrack.tasks.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_activity_with_follow_up_then_complete_it_from_today(login, live_server, org, make_deal):
    deal = make_deal(owner=org.rep_a, name="回访客户的单")
    page = login(org.rep_a)
    page.goto(f"{live_server.url}/deals/{deal.pk}/")

    page.check("#log-activity input[name=kind][value=visit]")
    page.fill("#id_subject", "上门拜访")
    page.fill("#id_outcome", "客户同意试用")
    page.fill("#id_follow_up_title", "发送试用账号")
    page.fill("#id_follow_up_due", "2020-01-02")  # long overdue, so it shows under Overdue
    page.click("#log-activity button[type=submit]")

    expect(page.locator("#timeline")).to_contain_text("上门拜访")
    activity = Activity.objects.get(deal=deal)
    assert activity.kind == "visit"
    task = Task.objects.get(deal=deal)
    assert task.title == "发送试用账号"

    page.goto(f"{live_server.url}/today/")
    row = page.locator(f"#task-{task.pk}")
    expect(row).to_contain_text("发送试用账号")
    row.locator("button:has-text('Done')").click()

    expect(page.locator(f"#task-{task.pk}")).to_have_count(0)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert DealEvent.objects.filter(deal=deal, type=EventType.TASK_DONE).count() == 1


def test_activity_form_with_follow_up_but_no_due_date_shows_message_and_logs_nothing(
    login, live_server, org, make_deal
):
    deal = make_deal(owner=org.rep_a)
    page = login(org.rep_a)
    page.goto(f"{live_server.url}/deals/{deal.pk}/")

    page.fill("#id_follow_up_title", "没有日期的任务")
    page.click("#log-activity button[type=submit]")

    expect(page.locator("#log-activity .errorlist")).to_contain_text("due date")
    expect(page.locator("#id_follow_up_title")).to_have_value("没有日期的任务")
    assert Activity.objects.filter(deal=deal).count() == 0
    assert Task.objects.filter(deal=deal).count() == 0


def test_switch_to_traditional_chinese_shows_the_board_translated(login, live_server, org, make_deal):
    make_deal(owner=org.rep_a)
    page = login(org.rep_a)

    page.goto(f"{live_server.url}/profile/")
    page.select_option("#id_language", "zh-hant")
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/board/")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.locator("h1")).to_have_text("看板")
    first_column = page.locator(".column h2 span").first
    expect(first_column).to_have_text("評估中")
    expect(page.locator("nav.main-nav")).to_contain_text("我的工作")


def test_rep_opening_another_teams_deal_gets_404(login, live_server, org, make_deal):
    other = make_deal(owner=org.rep_b, name="华东的秘密项目")
    page = login(org.rep_a)

    response = page.goto(f"{live_server.url}/deals/{other.pk}/")

    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("华东的秘密项目")


def test_phone_width_board_and_menu_work(browser, live_server, org, make_deal):
    make_deal(owner=org.rep_a, name="手机上看的单")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", org.rep_a.username)
    page.fill("#id_password", "pass")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/board/")

    expect(page.locator(".deal-card").first).to_be_visible()
    expect(page.locator("nav.main-nav")).to_be_hidden()
    page.click(".nav-toggle")
    expect(page.locator("nav.main-nav a[href='/deals/']")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
