"""The deal list (sort, filters, columns, export, inline edit, bulk, saved views) and the deal page."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from dealtrack.core.choices import CustomFieldEntity
from dealtrack.core.models import CustomFieldDefinition, SavedView
from dealtrack.core.services import save_list_view
from dealtrack.deals.choices import DealStatus, EventType
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.deals.services import update_deal
from dealtrack.pipelines.choices import StageKind
from dealtrack.tasks.models import Task
from dealtrack.testing.factories import LostReasonFactory

pytestmark = pytest.mark.django_db


def rows(response):
    return [row["obj"] for row in response.context["table"]]


def test_list_sorts_by_value_both_ways(client, org, make_deal):
    for value in ("300", "100", "200"):
        make_deal(owner=org.rep_a, value=value, name=f"deal {value}")
    client.force_login(org.rep_a)

    down = client.get(reverse("deals:list"), {"sort": "-value"})
    up = client.get(reverse("deals:list"), {"sort": "value"})

    assert [d.value for d in rows(down)] == [Decimal("300"), Decimal("200"), Decimal("100")]
    assert [d.value for d in rows(up)] == [Decimal("100"), Decimal("200"), Decimal("300")]


def test_unknown_sort_and_page_fall_back_instead_of_failing(client, org, make_deal):
    make_deal(owner=org.rep_a)
    client.force_login(org.rep_a)

    response = client.get(reverse("deals:list"), {"sort": "password", "page": "999"})

    assert response.status_code == 200
    assert response.context["sort"] == "-value"


def test_list_shows_only_visible_deals_and_filters_by_custom_field(client, org, make_deal):
    CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.DEAL, key="region", label="区域", field_type="choice", choices=["华南", "华北"]
    )
    south = make_deal(owner=org.rep_a, name="南方", custom={"region": "华南"})
    make_deal(owner=org.rep_a, name="北方", custom={"region": "华北"})
    make_deal(owner=org.rep_b, name="别人的", custom={"region": "华南"})
    client.force_login(org.rep_a)

    response = client.get(reverse("deals:list"), {"cf_region": "华南", "cols": "name,cf_region"})

    assert [d.pk for d in rows(response)] == [south.pk]
    assert [c.key for c in response.context["columns"]] == ["name", "cf_region"]
    assert "华南" in response.content.decode()


def test_export_csv_has_the_chosen_columns_and_filtered_rows(client, org, make_deal):
    make_deal(owner=org.rep_a, name='=HYPERLINK("x")', value="1500")
    make_deal(owner=org.rep_a, name="其他", value="10", priority="low")
    client.force_login(org.rep_a)

    response = client.get(reverse("deals:list"), {"cols": "name,value", "priority": "normal", "export": "csv"})

    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ["Deal", "Value"] or table[0] == ["交易", "金额"]
    assert table[1:] == [['\'=HYPERLINK("x")', "1500.00"]]


def test_export_xlsx_is_a_workbook(client, org, make_deal):
    make_deal(owner=org.rep_a)
    client.force_login(org.rep_a)

    response = client.get(reverse("deals:list"), {"export": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_inline_edit_value_saves_through_the_service(client, org, make_deal):
    deal = make_deal(owner=org.rep_a, value="100")
    client.force_login(org.rep_a)

    response = client.post(reverse("deals:cell", args=[deal.pk, "value"]), {"value": "250", "version": deal.version})

    deal.refresh_from_db()
    assert deal.value == Decimal("250")
    assert "¥250" in response.content.decode()
    assert DealEvent.objects.filter(deal=deal, type=EventType.FIELD_CHANGED).count() == 1


def test_inline_edit_with_stale_version_keeps_input_and_changes_nothing(client, org, make_deal):
    deal = make_deal(owner=org.rep_a, value="100")
    old = deal.version
    update_deal(deal=deal, actor=org.manager_a, changes={"priority": "high"}, version=old)
    client.force_login(org.rep_a)

    response = client.post(reverse("deals:cell", args=[deal.pk, "value"]), {"value": "999", "version": old})

    deal.refresh_from_db()
    assert deal.value == Decimal("100")
    assert 'value="999"' in response.content.decode()
    assert response.context["error"]


def test_inline_edit_bad_value_shows_message(client, org, make_deal):
    deal = make_deal(owner=org.rep_a, value="100")
    client.force_login(org.rep_a)

    response = client.post(reverse("deals:cell", args=[deal.pk, "expected_close_date"]), {"value": "明天"})

    assert response.context["error"]
    assert Deal.objects.get(pk=deal.pk).expected_close_date is None


def test_inline_edit_of_a_field_not_offered_is_404(client, org, make_deal):
    deal = make_deal(owner=org.rep_a)
    client.force_login(org.rep_a)

    assert client.get(reverse("deals:cell", args=[deal.pk, "version"])).status_code == 404


def test_bulk_reassign_and_mark_lost(client, org, make_deal):
    deals = [make_deal(owner=org.rep_a, name=f"d{i}") for i in range(3)]
    reason = LostReasonFactory()
    client.force_login(org.manager_a)
    ids = [d.pk for d in deals]

    client.post(reverse("deals:bulk"), {"ids": ids[:2], "action": "reassign", "owner": org.rep_a2.pk})
    client.post(reverse("deals:bulk"), {"ids": ids[2:], "action": "lost", "lost_reason": reason.pk})

    assert list(Deal.objects.filter(pk__in=ids[:2]).values_list("owner", flat=True)) == [org.rep_a2.pk] * 2
    assert Deal.objects.get(pk=ids[2]).status == DealStatus.LOST


def test_bulk_lost_without_reason_changes_nothing(client, org, make_deal):
    deal = make_deal(owner=org.rep_a)
    client.force_login(org.rep_a)

    client.post(reverse("deals:bulk"), {"ids": [deal.pk], "action": "lost"})

    assert Deal.objects.get(pk=deal.pk).status == DealStatus.OPEN


def test_bulk_delete_asks_for_confirmation_first(client, org, make_deal):
    deal = make_deal(owner=org.rep_a)
    client.force_login(org.rep_a)

    asked = client.post(reverse("deals:bulk"), {"ids": [deal.pk], "action": "delete"})
    assert Deal.objects.filter(pk=deal.pk).exists()
    assert asked.templates[0].name == "deals/confirm_delete.html"

    client.post(reverse("deals:bulk"), {"ids": [deal.pk], "action": "delete", "confirmed": "1"})
    assert not Deal.objects.filter(pk=deal.pk).exists()


def test_collaborator_cannot_delete_a_deal_they_only_work_on(client, org, make_deal):
    from dealtrack.deals.services import add_collaborator

    deal = make_deal(owner=org.rep_b)
    add_collaborator(deal=deal, actor=org.rep_b, user=org.rep_a)
    client.force_login(org.rep_a)

    client.post(reverse("deals:bulk"), {"ids": [deal.pk], "action": "delete", "confirmed": "1"})
    page = client.post(reverse("deals:delete", args=[deal.pk]))

    assert page.status_code == 404
    assert Deal.objects.filter(pk=deal.pk).exists()


def test_bulk_ignores_deals_the_user_cannot_see(client, org, make_deal):
    other = make_deal(owner=org.rep_b)
    client.force_login(org.rep_a)

    client.post(reverse("deals:bulk"), {"ids": [other.pk], "action": "reassign", "owner": org.rep_a.pk})

    assert Deal.objects.get(pk=other.pk).owner == org.rep_b


def test_saved_views_are_mine_plus_those_shared_with_my_team(client, org):
    save_list_view(owner=org.rep_a, list_key="deals", name="我的大单", query="sort=-value")
    save_list_view(owner=org.rep_a2, list_key="deals", name="团队共享", query="priority=high", shared=True)
    save_list_view(owner=org.rep_a2, list_key="deals", name="私人的", query="priority=low")
    save_list_view(owner=org.rep_b, list_key="deals", name="别的团队", query="", shared=True)
    client.force_login(org.rep_a)

    response = client.get(reverse("deals:list"))

    assert sorted(v.name for v in response.context["saved_views"]) == sorted(["团队共享", "我的大单"])


def test_save_view_from_the_list(client, org):
    client.force_login(org.rep_a)

    client.post(
        reverse("save_list_view"),
        {"list_key": "deals", "name": "本月", "query": "close_from=2025-01-01", "next": "/deals/"},
    )

    view = SavedView.objects.get(owner=org.rep_a)
    assert (view.name, view.query, view.shared) == ("本月", "close_from=2025-01-01", False)


def test_deal_page_shows_stage_bar_health_and_timeline(client, org, make_deal):
    deal = make_deal(owner=org.rep_a)
    client.force_login(org.rep_a)

    response = client.get(reverse("deals:detail", args=[deal.pk]))

    assert [item["stage"].pk for item in response.context["stage_bar"]] == list(
        org.pipeline.stages.values_list("pk", flat=True)
    )
    assert response.context["health"] == "yellow"  # no next step scheduled
    assert [e.kind for e in response.context["entries"]] == [EventType.CREATED]


def test_deal_page_edit_with_stale_version_keeps_input(client, org, make_deal):
    deal = make_deal(owner=org.rep_a, value="100")
    old = deal.version
    update_deal(deal=deal, actor=org.manager_a, changes={"priority": "high"}, version=old)
    client.force_login(org.rep_a)
    data = {
        "name": "改过的名字",
        "value": "500",
        "priority": "normal",
        "deal_type": "new",
        "forecast_category": "pipeline",
        "currency": "CNY",
        "version": old,
    }

    response = client.post(reverse("deals:edit", args=[deal.pk]), data)

    deal.refresh_from_db()
    assert (deal.name, deal.value) != ("改过的名字", Decimal("500"))
    assert response.context["stale"]
    assert response.context["fields_form"]["name"].value() == "改过的名字"
    assert response.context["version"] == deal.version


def test_deal_page_edit_saves_and_links_the_company_by_name(client, org, make_deal):
    deal = make_deal(owner=org.rep_a, value="100")
    client.force_login(org.rep_a)
    data = {
        "name": deal.name,
        "company_name": "华为科技有限公司",
        "value": "100",
        "priority": "high",
        "deal_type": "new",
        "forecast_category": "commit",
        "currency": "CNY",
        "tags": "重点, 华南",
        "version": deal.version,
    }

    response = client.post(reverse("deals:edit", args=[deal.pk]), data)

    deal.refresh_from_db()
    assert response.status_code == 302
    assert (deal.company.name, deal.priority, deal.forecast_category) == ("华为科技有限公司", "high", "commit")
    assert sorted(deal.tags.values_list("name", flat=True)) == ["华南", "重点"]


def test_timeline_filters_by_type(client, org, make_deal):
    from dealtrack.activities.services import log_activity

    deal = make_deal(owner=org.rep_a)
    log_activity(actor=org.rep_a, kind="call", deal=deal, subject="首次电话")
    client.force_login(org.rep_a)

    response = client.get(reverse("deals:detail", args=[deal.pk]), {"type": "activities"})

    entries = response.context["entries"]
    assert [e.kind for e in entries] == [EventType.ACTIVITY_LOGGED]
    assert entries[0].title.endswith(": 首次电话")


def test_log_activity_with_follow_up_creates_task(client, org, make_deal):
    deal = make_deal(owner=org.rep_a)
    client.force_login(org.rep_a)

    client.post(
        reverse("deals:log_activity", args=[deal.pk]),
        {"kind": "meeting", "subject": "方案评审", "follow_up_title": "发报价", "follow_up_due": "2030-01-02"},
    )

    assert Task.objects.get(deal=deal).title == "发报价"
    assert DealEvent.objects.filter(deal=deal, type=EventType.ACTIVITY_LOGGED).count() == 1


def test_create_deal_form_creates_through_the_service(client, org):
    client.force_login(org.rep_a)
    first = org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position").first()
    data = {
        "name": "新商机",
        "company_name": "腾讯科技",
        "value": "1000",
        "currency": "CNY",
        "priority": "normal",
        "deal_type": "new",
        "pipeline": org.pipeline.pk,
        "stage": first.pk,
        "owner": org.rep_a.pk,
    }

    response = client.post(reverse("deals:create"), data)

    deal = Deal.objects.get(name="新商机")
    assert response.status_code == 302
    assert (deal.owner, deal.company.name) == (org.rep_a, "腾讯科技")
    assert DealEvent.objects.filter(deal=deal, type=EventType.CREATED).count() == 1


def test_rep_cannot_create_a_deal_for_another_team(client, org):
    client.force_login(org.rep_a)
    first = org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position").first()
    data = {
        "name": "越权",
        "value": "1",
        "currency": "CNY",
        "priority": "normal",
        "deal_type": "new",
        "pipeline": org.pipeline.pk,
        "stage": first.pk,
        "owner": org.rep_b.pk,
    }

    response = client.post(reverse("deals:create"), data)

    assert "owner" in response.context["form"].errors
    assert not Deal.objects.filter(name="越权").exists()


def test_deal_page_date_inputs_carry_iso_dates_in_every_language(client, org, make_deal):
    import datetime as dt

    deal = make_deal(owner=org.rep_a, expected_close_date=dt.date(2026, 12, 17))
    org.rep_a.language = "zh-hans"
    org.rep_a.save()
    client.force_login(org.rep_a)

    html = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()

    assert 'type="date" name="expected_close_date" value="2026-12-17"' in html
    assert "2026年12月17日" in html


def test_deal_page_of_a_deal_without_history_still_opens(client, org, make_deal):
    deal = make_deal(owner=org.rep_a)
    DealEvent.objects.filter(deal=deal).delete()  # as after a bulk load that wrote no events
    client.force_login(org.rep_a)

    response = client.get(reverse("deals:detail", args=[deal.pk]))

    assert response.status_code == 200
    assert response.context["entries"] == []
