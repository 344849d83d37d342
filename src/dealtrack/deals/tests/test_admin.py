"""The admin site leaves the reports' totals to the services: the deal fields the reports total cannot be
edited there, deals are deleted in the app, not there, and sources are switched off rather than deleted."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from dealtrack.deals import services
from dealtrack.deals.models import DayTotal, Deal
from dealtrack.testing.factories import SourceFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def won_deal(org, make_deal):
    deal = make_deal(owner=org.rep_a, value="500", created_at=T0)
    return services.mark_deal_won(deal=deal, actor=org.rep_a, at=T0 + dt.timedelta(days=3))


def test_the_fields_the_reports_total_are_read_only_there(org, won_deal, client):
    client.force_login(org.admin)

    form = client.get(f"/admin/deals/deal/{won_deal.pk}/change/").content.decode()

    for field in ("value_base", "status", "owner", "source", "deal_type", "lost_reason", "stage", "pipeline"):
        assert f'name="{field}"' not in form
    assert 'name="name"' in form


def test_deals_cannot_be_deleted_there_and_nothing_changes(org, won_deal, client):
    client.force_login(org.admin)
    before = list(DayTotal.objects.values_list("day", "dimension", "won_count", "won_value"))

    page = client.post(f"/admin/deals/deal/{won_deal.pk}/delete/", {"post": "yes"})
    action = client.post(
        "/admin/deals/deal/", {"action": "delete_selected", "_selected_action": [won_deal.pk], "post": "yes"}
    )

    assert page.status_code == 403
    assert b"delete_selected" not in client.get("/admin/deals/deal/").content
    assert action.status_code in (200, 302)  # the unknown action is ignored
    assert Deal.objects.filter(pk=won_deal.pk).exists()
    assert list(DayTotal.objects.values_list("day", "dimension", "won_count", "won_value")) == before


def test_sources_are_switched_off_there_not_deleted(org, make_deal, client):
    source = SourceFactory(name="Trade show")
    make_deal(owner=org.rep_a, value="800", created_at=T0, source=source)
    client.force_login(org.admin)
    by_source = list(DayTotal.objects.filter(source=source).values_list("day", "created_count"))

    response = client.post(f"/admin/deals/source/{source.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Deal.objects.get(source=source)
    assert list(DayTotal.objects.filter(source=source).values_list("day", "created_count")) == by_source != []
